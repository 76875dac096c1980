#include "io/hive_partition_sink.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "io/file_format_registry.h"
#include "io/parquet_reader.h"
#include "vector/column.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

// Rows (x, x % partitions).
Batch Rows(int64_t first, int64_t count, int64_t partitions) {
  auto x = Column::Make(LogicalType(TypeId::kBigInt), count);
  auto k = Column::Make(LogicalType(TypeId::kBigInt), count);
  for (int64_t i = 0; i < count; i++) {
    x->SetValue(i, Value::BigInt(first + i));
    k->SetValue(i, Value::BigInt((first + i) % partitions));
  }
  x->set_size(count);
  k->set_size(count);
  return Batch({x, k}, count);
}

// With many partitions open, the rows the sink holds stay within its budget: the largest
// holders write row groups out early, and every row still lands in its file.
TEST(HivePartitionSink, BoundsTheRowsItHolds) {
  const fs::path root = fs::temp_directory_path() / ("sluice_hive_sink_" + std::to_string(::getpid()));
  fs::remove_all(root);
  Schema schema;
  schema.Add(Field{"x", TypeId::kBigInt, true, ""});
  schema.Add(Field{"k", TypeId::kBigInt, true, ""});
  const FileFormat& parquet = FileFormats().Get("parquet");
  const OptionValues options = parquet.NewWriteOptions("test");
  std::vector<DataSink*> opened;
  constexpr int64_t kBudget = 256 << 10;
  HivePartitionSink sink(
      root.string(), schema, {1}, parquet.WriteExtension(),
      [&](const std::string& path, const Schema& s) {
        auto file = parquet.CreateFileSink(path, s, options, nullptr);
        opened.push_back(file.get());
        return file;
      },
      0, kBudget);
  int64_t peak = 0;
  int64_t written = 0;
  for (int64_t first = 0; first < 400000; first += 2048) {
    written += 2048;
    sink.Write(Rows(first, 2048, 10));
    int64_t held = 0;
    for (const DataSink* s : opened) held += s->buffered_bytes();
    peak = std::max(peak, held);
  }
  sink.Close();
  EXPECT_EQ(opened.size(), 10u);
  EXPECT_LE(peak, kBudget);
  int64_t rows = 0;
  size_t groups = 0;
  for (int k = 0; k < 10; k++) {
    const ParquetSource::File file =
        ReadParquetFooter((root / ("k=" + std::to_string(k)) / "part-0.parquet").string());
    rows += file.metadata.num_rows;
    groups += file.metadata.row_groups.size();
  }
  EXPECT_EQ(rows, written);
  EXPECT_GT(groups, 10u);  // without the budget, one row group per file
  fs::remove_all(root);
}

}  // namespace
}  // namespace sluice
