// Read-speed benchmark: generates (once) a CSV of mixed ints, doubles, strings and dates and
// reads it single-threaded. Usage: csv_bench [path] [megabytes]. Not a test.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include <fmt/format.h>

#include "io/csv_reader.h"

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "/tmp/sluice_bench.csv";
  const int64_t megabytes = argc > 2 ? std::stoll(argv[2]) : 200;
  if (!std::filesystem::exists(path)) {
    std::mt19937_64 rng(7);
    std::ofstream out(path, std::ios::binary);
    std::string chunk = "id,qty,price,name,day,flag\n";
    int64_t written = 0;
    for (int64_t i = 0; written < megabytes << 20; i++) {
      chunk += fmt::format("{},{},{:.2f},name_{}{},2024-{:02}-{:02},{}\n", i, rng() % 1000,
                           (rng() % 100000) / 100.0, rng() % 100000,
                           i % 3 == 0 ? "_longer_string" : "", 1 + i % 12, 1 + i % 28,
                           i % 2 == 0 ? "true" : "false");
      if (chunk.size() > (1 << 20)) {
        out << chunk;
        written += static_cast<int64_t>(chunk.size());
        chunk.clear();
      }
    }
    out << chunk;
  }
  sluice::CsvOptions options;
  options.target_split_bytes = int64_t{1} << 40;  // one split: single-threaded speed
  for (int run = 0; run < 3; run++) {
    const auto start = std::chrono::steady_clock::now();
    auto source = sluice::CsvSource::Open(path, options);
    std::vector<int> all;
    for (size_t i = 0; i < source->schema().size(); i++) all.push_back(static_cast<int>(i));
    int64_t rows = 0;
    for (int s = 0; s < source->num_splits(); s++) {
      auto stream = source->Open(s, all);
      sluice::Batch batch;
      while (stream->Next(&batch)) rows += static_cast<int64_t>(batch.num_rows());
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double mb = static_cast<double>(source->EstimatedBytes()) / (1 << 20);
    std::printf("run %d: %lld rows, %.0f MB in %.3f s = %.0f MB/s (%s)\n", run,
                static_cast<long long>(rows), mb, seconds, mb / seconds,
                source->schema().ToString().c_str());
  }
  return 0;
}
