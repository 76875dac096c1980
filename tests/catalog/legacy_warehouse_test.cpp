// A warehouse written in the table format of Sluice before Iceberg (`_current`,
// `_snapshots/v<N>.json`) is converted when opened: every row, the column types, the bucket
// layout and the views survive, and the tables are Iceberg tables of the SQL catalog after.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "catalog/bucketing.h"
#include "catalog/snapshot.h"
#include "catalog/sql_catalog.h"
#include "catalog/warehouse.h"
#include "catalog_test_util.h"
#include "iceberg/iceberg_source.h"
#include "io/parquet_writer.h"
#include "vector/value_rows.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using testing::Query;
using testing::TempDir;

Settings TestSettings() {
  Settings s;
  s.set_threads(2);
  s.set_progress_bar(false);
  return s;
}

void WriteFile(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// Writes `rows` as the old format's data file `relative` of the table at `dir`.
Snapshot::DataFile WriteDataFile(const std::string& dir, const std::string& relative,
                                 const Schema& schema, const std::vector<Batch>& rows,
                                 int bucket = -1) {
  fs::create_directories(dir + "/data");
  ParquetWriter writer(dir + "/" + relative, schema, ParquetWriteOptions{});
  for (const auto& b : rows) writer.Write(b);
  writer.Close();
  return Snapshot::DataFile{relative, writer.rows_written(), bucket};
}

// Commits `s` in the old format as the table's snapshot `s.version`.
void WriteLegacySnapshot(const std::string& dir, const Snapshot& s) {
  WriteFile(fmt::format("{}/_snapshots/v{}.json", dir, s.version), SnapshotToJson(s));
  WriteFile(dir + "/_current", fmt::format("{}\n", s.version));
}

Schema Columns() {
  return Schema({Field{"id", LogicalType(TypeId::kBigInt), false, ""},
                 Field{"small", LogicalType(TypeId::kSmallInt), true, ""},
                 Field{"name", LogicalType(TypeId::kVarchar), true, ""}});
}

std::vector<Batch> Rows(int64_t from, int64_t to) {
  std::vector<std::vector<Value>> rows;
  for (int64_t i = from; i < to; i++) {
    rows.push_back({Value::BigInt(i), Value::SmallInt(static_cast<int16_t>(i % 100)),
                    Value::Varchar("n" + std::to_string(i))});
  }
  return BatchesFromRows(Columns(), rows);
}

TEST(LegacyWarehouseTest, TablesBecomeIcebergTablesWithEveryRow) {
  TempDir tmp;
  const std::string root = tmp.path() + "/db";
  // main.t: two data files, at snapshot 3 (older snapshots already collected).
  const std::string t = root + "/main/t";
  Snapshot s;
  s.version = 3;
  s.schema = Columns();
  s.files = {WriteDataFile(t, "data/part-aaaa.parquet", Columns(), Rows(0, 100)),
             WriteDataFile(t, "data/part-bbbb.parquet", Columns(), Rows(100, 150))};
  s.row_count = 150;
  WriteLegacySnapshot(t, s);
  // sales.b: bucketed by id into 3 buckets, one file per bucket.
  const std::string b = root + "/sales/b";
  Snapshot bs;
  bs.version = 1;
  bs.schema = Columns();
  bs.buckets = BucketSpec{{"id"}, 3, {}};
  const auto split = SplitIntoBuckets(Columns(), bs.buckets, Rows(0, 60));
  for (size_t i = 0; i < split.size(); i++) {
    bs.files.push_back(WriteDataFile(b, fmt::format("data/part-{}.parquet", i), Columns(),
                                     split[i], static_cast<int>(i)));
    bs.row_count += bs.files.back().rows;
  }
  WriteLegacySnapshot(b, bs);
  WriteFile(root + "/main/_views/v.json", R"({"sql": "SELECT id FROM t WHERE id < 3", "columns": []})");

  {
    Session session(TestSettings(), root);
    EXPECT_EQ(Query(session, "SELECT count(*), sum(id), sum(small), min(name) FROM t"),
              std::vector<std::string>{"150|11175|6175|n0"});
    EXPECT_EQ(Query(session, "SELECT count(*), sum(id) FROM sales.b"),
              std::vector<std::string>{"60|1770"});
    EXPECT_EQ(Query(session, "SELECT id FROM v"), (std::vector<std::string>{"0", "1", "2"}));
    // The exact types survive (Iceberg itself has no SMALLINT).
    const Snapshot now = session.warehouse().FindTable({"main", "t"})->Current();
    EXPECT_EQ(now.schema.field(1).type.id(), TypeId::kSmallInt);
    EXPECT_FALSE(now.schema.field(0).nullable);
    EXPECT_EQ(session.warehouse().FindTable({"sales", "b"})->Current().buckets, bs.buckets);
    // The old format is gone, the data files are the same ones.
    EXPECT_FALSE(fs::exists(t + "/_current"));
    EXPECT_FALSE(fs::exists(t + "/_snapshots"));
    EXPECT_TRUE(fs::exists(t + "/data/part-aaaa.parquet"));
    EXPECT_TRUE(fs::exists(t + "/metadata/v1.metadata.json"));
    // A write after the conversion, then the table read by another reader of Iceberg.
    Query(session, "INSERT INTO t VALUES (1000, 1, 'x'); INSERT INTO sales.b VALUES (1000, 1, 'x')");
  }
  SqlCatalog catalog(root + "/catalog.db");
  const auto location = catalog.Load("main", "t");
  ASSERT_TRUE(location.has_value());
  EXPECT_EQ(fs::path(*location).filename(), "v2.metadata.json");
  auto scan = iceberg::IcebergSource::Open(*location);
  EXPECT_EQ(scan->EstimatedRows(), 151);
  // The bucketed table keeps its layout through the conversion and the append.
  Session session(TestSettings(), root);
  EXPECT_EQ(Query(session, "SELECT count(*), sum(id) FROM sales.b"),
            std::vector<std::string>{"61|2770"});
  for (const auto& f : session.warehouse().FindTable({"sales", "b"})->Current().files) {
    EXPECT_GE(f.bucket, 0) << f.path;
  }
  EXPECT_EQ(Query(session, "SELECT count(*) FROM t"), std::vector<std::string>{"151"});
}

// A conversion interrupted after the catalog recorded the table (its old files still there)
// opens the Iceberg table and removes what is left of the old format.
TEST(LegacyWarehouseTest, ConvertedTableIsNotConvertedTwice) {
  TempDir tmp;
  const std::string root = tmp.path() + "/db";
  const std::string t = root + "/main/t";
  Snapshot s;
  s.version = 1;
  s.schema = Columns();
  s.files = {WriteDataFile(t, "data/part-aaaa.parquet", Columns(), Rows(0, 10))};
  s.row_count = 10;
  WriteLegacySnapshot(t, s);
  { Warehouse w(root); }
  WriteLegacySnapshot(t, s);  // as if the crash came before the old files were removed
  Warehouse w(root);
  EXPECT_EQ(w.FindTable({"main", "t"})->Current().row_count, 10);
  EXPECT_EQ(w.FindTable({"main", "t"})->Current().version, 1);
  EXPECT_FALSE(fs::exists(t + "/_current"));
}

}  // namespace
}  // namespace sluice
