// libFuzzer target for the CSV reader (not part of the default build). Build with clang:
//   clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -Isrc tests/io/csv_fuzz.cpp \
//       src/io/*.cpp src/common/*.cpp src/types/*.cpp src/vector/*.cpp -lfmt -o csv_fuzz
// Every input must yield rows or a UserError; anything else (a crash, an InternalError, a
// hang) is a bug.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "io/csv_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/sluice_csv_fuzz_" + std::to_string(getpid()) + ".csv";
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  for (const bool ignore_errors : {false, true}) {
    sluice::CsvOptions options;
    options.ignore_errors = ignore_errors;
    // The first byte picks a split size so split boundaries get exercised too.
    options.target_split_bytes = size > 0 ? 1 + data[0] % 64 : 1;
    try {
      auto source = sluice::CsvSource::Open(path, options);
      std::vector<int> all;
      for (size_t i = 0; i < source->schema().size(); i++) all.push_back(static_cast<int>(i));
      for (int s = 0; s < source->num_splits(); s++) {
        auto stream = source->Open(s, all);
        sluice::Batch batch;
        while (stream->Next(&batch)) {
        }
      }
    } catch (const sluice::UserError&) {
    }
  }
  return 0;
}
