// libFuzzer target for the Parquet reader (not part of the default build). Build with clang:
//   clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -Isrc tests/io/parquet_fuzz.cpp \
//       src/io/*.cpp src/common/*.cpp src/types/*.cpp src/vector/*.cpp src/expr/*.cpp \
//       -lfmt -lsnappy -lzstd -llz4 -lz -o parquet_fuzz
// Seed it with files from tests/io/parquet_interop.sh or COPY ... TO 'x.parquet'. Every
// input must be read or give a UserError; anything else (a crash, an InternalError, a
// hang) is a bug.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "io/parquet_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/sluice_parquet_fuzz_" + std::to_string(getpid()) + ".parquet";
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  try {
    auto source = sluice::ParquetSource::Open(path);
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
  return 0;
}
