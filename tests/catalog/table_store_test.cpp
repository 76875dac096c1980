// Snapshots, atomic commits and crash recovery of warehouse tables.
#include <chrono>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "catalog/file_table_store.h"
#include "catalog/memory_table_store.h"
#include "catalog/snapshot.h"
#include "catalog/warehouse.h"
#include "catalog_test_util.h"
#include "common/error.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using testing::ReadAll;
using testing::SortedRows;
using testing::TempDir;

Schema TwoColumns() {
  return Schema({Field{"id", LogicalType(TypeId::kBigInt), true, ""},
                 Field{"name", LogicalType(TypeId::kVarchar), true, ""}});
}

std::vector<Batch> Rows(const std::vector<std::pair<int64_t, std::string>>& rows) {
  std::vector<std::vector<Value>> values;
  for (const auto& [id, name] : rows) values.push_back({Value::BigInt(id), Value::Varchar(name)});
  std::vector<Batch> batches;
  const Schema schema = TwoColumns();
  auto id = Column::Make(schema.field(0).type, values.size());
  auto name = Column::Make(schema.field(1).type, values.size());
  for (size_t r = 0; r < values.size(); r++) {
    id->SetValue(r, values[r][0]);
    name->SetValue(r, values[r][1]);
  }
  id->set_size(values.size());
  name->set_size(values.size());
  batches.emplace_back(std::vector<ColumnPtr>{id, name}, values.size());
  return batches;
}

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// The table metadata files (*.metadata.json) of a table directory, sorted.
std::vector<std::string> MetadataFiles(const std::string& table_dir) {
  std::vector<std::string> names;
  for (const auto& name : FilesIn(table_dir + "/metadata")) {
    if (name.ends_with(".metadata.json")) names.push_back(name);
  }
  return names;
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

TEST(SnapshotTest, JsonRoundTrip) {
  Snapshot s;
  s.version = 7;
  s.schema = Schema({Field{"d", ParseTypeName("decimal(12,3)"), false, ""},
                     Field{"ts", LogicalType(TypeId::kTimestamp), true, ""}});
  s.files = {{"data/part-a.parquet", 10}, {"data/part-b.parquet", 5}};
  s.row_count = 15;
  const Snapshot back = ParseSnapshot(SnapshotToJson(s), "test");
  EXPECT_EQ(back.version, 7);
  EXPECT_EQ(back.row_count, 15);
  ASSERT_EQ(back.files.size(), 2u);
  EXPECT_EQ(back.files[1].path, "data/part-b.parquet");
  EXPECT_EQ(back.schema, s.schema);
  EXPECT_FALSE(back.schema.field(0).nullable);
  EXPECT_THROW(ParseSnapshot("{not json", "bad.json"), IOError);
}

TEST(InMemoryTableStoreTest, CommitsSwapSnapshots) {
  InMemoryTableStore store(TwoColumns());
  auto source = store.Source();
  store.Overwrite(TwoColumns(), Rows({{1, "a"}}));
  store.Append(Rows({{2, "b"}}));
  EXPECT_EQ(store.Current().version, 2);
  EXPECT_EQ(store.Current().row_count, 2);
  // The source is by reference: it sees the latest commit.
  EXPECT_EQ(ReadAll(*source), (std::vector<std::string>{"1|a", "2|b"}));
}

TEST(FileTableStoreTest, AppendAndOverwriteCommitNewSnapshots) {
  TempDir tmp;
  const std::string dir = tmp.path() + "/t";
  auto store = FileTableStore::Create(dir, "t", TwoColumns(), Rows({{1, "a"}, {2, "b"}}));
  EXPECT_EQ(store->Current().version, 1);
  store->Append(Rows({{3, "c"}}));
  const Snapshot s2 = store->Current();
  EXPECT_EQ(s2.version, 2);
  EXPECT_EQ(s2.row_count, 3);
  EXPECT_EQ(s2.files.size(), 2u);
  EXPECT_EQ(ReadAll(*store->Source()), (std::vector<std::string>{"1|a", "2|b", "3|c"}));

  store->Overwrite(TwoColumns(), Rows({{9, "z"}}));
  EXPECT_EQ(store->Current().version, 3);
  EXPECT_EQ(ReadAll(*store->Source()), (std::vector<std::string>{"9|z"}));
  // Current and previous snapshots are kept; v1 and the files only it used are gone.
  EXPECT_EQ(MetadataFiles(dir), (std::vector<std::string>{"v2.metadata.json", "v3.metadata.json"}));
  EXPECT_EQ(FilesIn(dir + "/data").size(), 3u);

  // Another "process" opening the directory sees the last commit.
  auto reopened = FileTableStore::Open(dir, "t");
  EXPECT_EQ(reopened->Current().version, 3);
  EXPECT_EQ(ReadAll(*reopened->Source()), (std::vector<std::string>{"9|z"}));
}

TEST(FileTableStoreTest, ReaderOfOldSnapshotIsUndisturbedByCommit) {
  TempDir tmp;
  const std::string dir = tmp.path() + "/t";
  auto writer = FileTableStore::Create(dir, "t", TwoColumns(), Rows({{1, "a"}}));
  auto reader = FileTableStore::Open(dir, "t");  // a second process, reading v1
  writer->Overwrite(TwoColumns(), Rows({{2, "b"}}));
  EXPECT_EQ(ReadAll(*reader->Source()), (std::vector<std::string>{"1|a"}));
  EXPECT_EQ(ReadAll(*writer->Source()), (std::vector<std::string>{"2|b"}));
}

TEST(FileTableStoreTest, EmptyTableHasNoFiles) {
  TempDir tmp;
  auto store = FileTableStore::Create(tmp.path() + "/t", "t", TwoColumns(), {});
  EXPECT_EQ(store->Current().files.size(), 0u);
  EXPECT_EQ(ReadAll(*store->Source()), std::vector<std::string>{});
  store->Append(Rows({{1, "a"}}));
  EXPECT_EQ(ReadAll(*store->Source()), std::vector<std::string>{"1|a"});
}

// A writer that died after writing data files and the next metadata file, but before the
// catalog's compare-and-swap, leaves garbage that the next open removes; the old table reads
// fine.
TEST(WarehouseTest, CrashMidWriteKeepsOldTableAndCleansOrphans) {
  TempDir tmp;
  const std::string root = tmp.path() + "/db";
  {
    Warehouse w(root);
    w.CreateTable({"main", "t"}, TwoColumns(), Rows({{1, "a"}, {2, "b"}}));
  }
  const std::string dir = root + "/main/t";
  const std::vector<std::string> data_before = FilesIn(dir + "/data");
  ASSERT_EQ(data_before.size(), 1u);
  const std::vector<std::string> metadata_before = FilesIn(dir + "/metadata");
  // The interrupted write: a finished orphan data file, a half-written one, the next
  // metadata file and a manifest, a temporary version hint; a table whose creation never
  // committed; a drop that was interrupted.
  fs::copy_file(dir + "/data/" + data_before[0], dir + "/data/part-orphan.parquet");
  WriteFile(dir + "/data/part-half.parquet.tmp-1234", "PAR1garbage");
  fs::copy_file(dir + "/metadata/v1.metadata.json", dir + "/metadata/v2.metadata.json");
  WriteFile(dir + "/metadata/0000-m0.avro", "Obj");
  WriteFile(dir + "/metadata/version-hint.text.tmp-abcd", "2\n");
  fs::create_directories(root + "/main/half_created/data");
  WriteFile(root + "/main/half_created/data/part-x.parquet", "x");
  // Interrupted over an hour ago; a create that started a minute ago may still be in flight
  // in another process, so it stays (not visible as a table either way).
  const auto long_ago = fs::file_time_type::clock::now() - std::chrono::hours(2);
  for (const char* p : {"/main/half_created/data/part-x.parquet", "/main/half_created/data",
                        "/main/half_created"}) {
    fs::last_write_time(root + p, long_ago);
  }
  fs::create_directories(root + "/main/in_flight/data");
  WriteFile(root + "/main/in_flight/data/part-y.parquet", "y");
  fs::create_directories(root + "/main/_dropped-0001/data");

  Warehouse reopened(root);
  std::shared_ptr<TableStore> t = reopened.FindTable({"main", "t"});
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->Current().version, 1);
  EXPECT_EQ(ReadAll(*t->Source()), (std::vector<std::string>{"1|a", "2|b"}));
  EXPECT_EQ(FilesIn(dir + "/data"), data_before);
  EXPECT_EQ(FilesIn(dir + "/metadata"), metadata_before);
  EXPECT_EQ(MetadataFiles(dir), std::vector<std::string>{"v1.metadata.json"});
  EXPECT_EQ(FilesIn(dir), (std::vector<std::string>{"data", "metadata"}));
  EXPECT_FALSE(reopened.HasTable({"main", "half_created"}));
  EXPECT_FALSE(reopened.HasTable({"main", "in_flight"}));
  EXPECT_EQ(FilesIn(root + "/main"), (std::vector<std::string>{"in_flight", "t"}));
}

TEST(WarehouseTest, TablesOpenWhenFirstUsedSoOneCorruptTableSparesTheOthers) {
  TempDir tmp;
  const std::string root = tmp.path() + "/db";
  {
    Warehouse w(root);
    w.CreateTable({"main", "good"}, TwoColumns(), Rows({{1, "a"}}));
    w.CreateTable({"main", "bad"}, TwoColumns(), Rows({{2, "b"}}));
  }
  WriteFile(root + "/main/bad/metadata/v1.metadata.json", "{ not json");
  Warehouse reopened(root);
  EXPECT_TRUE(reopened.HasTable({"main", "bad"}));
  std::shared_ptr<TableStore> good = reopened.FindTable({"main", "good"});
  ASSERT_NE(good, nullptr);
  EXPECT_EQ(ReadAll(*good->Source()), std::vector<std::string>{"1|a"});
  EXPECT_THROW(reopened.FindTable({"main", "bad"}), UserError);
  // Dropping the broken table needs no read of it.
  EXPECT_TRUE(reopened.Drop({"main", "bad"}));
  EXPECT_FALSE(reopened.HasTable({"main", "bad"}));
}

TEST(WarehouseTest, SchemasTablesAndViewsPersist) {
  TempDir tmp;
  const std::string root = tmp.path() + "/db";
  {
    Warehouse w(root);
    w.CreateSchema("Sales", false);
    EXPECT_THROW(w.CreateSchema("sales", false), InvalidInputError);
    w.CreateSchema("sales", true);
    w.CreateTable({"sales", "orders"}, TwoColumns(), Rows({{1, "a"}}));
    w.CreateView({"main", "v"}, ViewDefinition{"SELECT 1 AS x", {"y"}});
    EXPECT_THROW(w.CreateTable({"nope", "t"}, TwoColumns(), {}), InvalidInputError);
    EXPECT_THROW(w.CreateView({"sales", "orders"}, ViewDefinition{"SELECT 1", {}}),
                 InvalidInputError);
  }
  Warehouse w(root);
  EXPECT_TRUE(w.HasSchema("sales"));
  EXPECT_TRUE(w.HasTable({"sales", "orders"}));
  ASSERT_TRUE(w.HasView({"main", "v"}));
  EXPECT_EQ(w.View({"main", "v"}).sql, "SELECT 1 AS x");
  EXPECT_EQ(w.View({"main", "v"}).column_aliases, std::vector<std::string>{"y"});
  std::vector<std::string> names;
  for (const auto& n : w.Names()) names.push_back(n.Display());
  EXPECT_EQ(names, (std::vector<std::string>{"v", "sales.orders"}));
  EXPECT_THROW(w.DropSchema("sales", false, false), InvalidInputError);
  EXPECT_TRUE(w.Drop({"sales", "orders"}));
  EXPECT_FALSE(fs::exists(root + "/sales/orders"));
  w.DropSchema("sales", false, false);
  EXPECT_FALSE(fs::exists(root + "/sales"));
  EXPECT_TRUE(w.Drop({"main", "v"}));
  EXPECT_FALSE(Warehouse(root).HasView({"main", "v"}));
}

TEST(WarehouseTest, ParsesNames) {
  EXPECT_EQ(ParseCatalogName("T").Display(), "t");
  EXPECT_EQ(ParseCatalogName("main.t").Display(), "t");
  EXPECT_EQ(ParseCatalogName("S.T").Display(), "s.t");
  EXPECT_EQ(ParseCatalogName("db.s.t").Display(), "s.t");
}

}  // namespace
}  // namespace sluice
