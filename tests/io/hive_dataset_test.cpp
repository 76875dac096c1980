#include <gtest/gtest.h>

#include <filesystem>

#include "expr/binder.h"
#include "io/file_format_registry.h"
#include "io/hive_dataset.h"
#include "io/parquet_reader.h"
#include "io/parquet_writer.h"
#include "io/hive_partition_sink.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

Batch MakeBatch(const std::vector<int64_t>& xs, const std::vector<std::string>& regions) {
  auto x = Column::Make(TypeId::kBigInt, xs.size());
  auto r = Column::Make(TypeId::kVarchar, xs.size());
  for (size_t i = 0; i < xs.size(); i++) {
    x->SetValue(i, Value::BigInt(xs[i]));
    r->SetValue(i, Value::Varchar(regions[i]));
  }
  x->set_size(xs.size());
  r->set_size(xs.size());
  return Batch({x, r}, xs.size());
}

int64_t CountRows(const DataSource& source, std::vector<int> columns) {
  int64_t n = 0;
  for (int s = 0; s < source.num_splits(); s++) {
    auto stream = source.Open(s, columns);
    Batch b;
    while (stream->Next(&b)) n += static_cast<int64_t>(b.num_rows());
  }
  return n;
}

TEST(HivePartitions, ParseAndEscape) {
  const auto parts = HivePartitionsOf("/d", "/d/date=2026-01-01/region=e%2Fu/part-0.parquet");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].first, "date");
  EXPECT_EQ(parts[1].second, "e/u");
  EXPECT_EQ(HivePathSegment("region", Value::Varchar("e/u")), "region=e%2Fu");
  EXPECT_EQ(HivePathSegment("k", Value::Null(TypeId::kBigInt)), "k=__HIVE_DEFAULT_PARTITION__");
}

TEST(HiveDataset, PartitionColumnsAndPruning) {
  const fs::path root = fs::temp_directory_path() / "sluice_hive_test";
  fs::remove_all(root);
  Schema schema;
  schema.Add(Field{"x", TypeId::kBigInt, true, ""});
  schema.Add(Field{"region", TypeId::kVarchar, true, ""});
  // Two tasks write rows of three regions: region becomes directories.
  for (int task = 0; task < 2; task++) {
    const FileFormat& parquet = FileFormats().Get("parquet");
    const OptionValues options = parquet.NewWriteOptions("test");
    HivePartitionSink writer(
        root.string(), schema, {1}, parquet.WriteExtension(),
        [&](const std::string& path, const Schema& s) {
          return parquet.CreateFileSink(path, s, options, nullptr);
        },
        task, int64_t{16} << 20);
    writer.Write(MakeBatch({1, 2, 3, 4}, {"eu", "us", "eu", "a/b"}));
    writer.Close();
    EXPECT_EQ(writer.files_written(), 3);
  }
  auto source = OpenDataset(root.string(), HivePartitioning::kAuto,
                            [](const std::string& p) { return ParquetSource::Open(p); });
  ASSERT_EQ(source->schema().size(), 2u);
  EXPECT_EQ(source->schema().field(1).name, "region");
  EXPECT_EQ(CountRows(*source, {0, 1}), 8);
  EXPECT_EQ(CountRows(*source, {1}), 8);

  // region = 'eu' keeps 2 of 6 files; x > 100 prunes every row group of the rest.
  ExprPtr eu = BindExpression(Call("=", {Col("region"), Lit(Value::Varchar("eu"))}),
                              source->schema());
  auto pruned = source->WithFilters({eu});
  ASSERT_NE(pruned, nullptr);
  EXPECT_EQ(CountRows(*pruned, {0, 1}), 4);
  EXPECT_NE(pruned->Describe().find("4 pruned by partition filters"), std::string::npos)
      << pruned->Describe();
  ExprPtr big = BindExpression(Call(">", {Col("x"), Lit(Value::BigInt(100))}), source->schema());
  auto none = source->WithFilters({eu, big});
  ASSERT_NE(none, nullptr);
  EXPECT_EQ(CountRows(*none, {0}), 0);
  EXPECT_NE(none->Describe().find("pruned by statistics"), std::string::npos) << none->Describe();
  fs::remove_all(root);
}

}  // namespace
}  // namespace sluice
