// TableStore::ChangeSchema and constraints kept by a table: a rename commits a new Iceberg
// schema over the same data files with the same field ids, and DEFAULT / CHECK / NOT NULL /
// PRIMARY KEY survive reopening the table.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "catalog/file_table_store.h"
#include "catalog/memory_table_store.h"
#include "catalog/warehouse.h"
#include "catalog_test_util.h"

namespace sluice {
namespace {

using testing::ReadAll;
using testing::SortedRows;
using testing::TempDir;

Schema Columns(const std::string& second, bool second_nullable = true) {
  return Schema({Field{"id", LogicalType(TypeId::kBigInt), true, ""},
                 Field{second, LogicalType(TypeId::kVarchar), second_nullable, ""}});
}

std::vector<Batch> TwoRows() {
  auto id = Column::Make(LogicalType(TypeId::kBigInt), 2);
  auto name = Column::Make(LogicalType(TypeId::kVarchar), 2);
  id->SetValue(0, Value::BigInt(1));
  id->SetValue(1, Value::BigInt(2));
  name->SetValue(0, Value::Varchar("a"));
  name->SetValue(1, Value::Varchar("b"));
  id->set_size(2);
  name->set_size(2);
  return {Batch({id, name}, 2)};
}

TableConstraints SomeConstraints() {
  TableConstraints c;
  c.defaults = {"", "'x'"};
  c.checks = {"(id > 0)"};
  c.keys = {{{"id"}, true}};
  return c;
}

TEST(SchemaChangeTest, RenameKeepsFilesAndFieldIds) {
  TempDir dir;
  const std::string table = dir.path() + "/t";
  {
    auto store = FileTableStore::Create(table, "t", Columns("name"), TwoRows());
    const Snapshot before = store->Current();
    store->ChangeSchema(Columns("label", false), SomeConstraints());
    const Snapshot after = store->Current();
    EXPECT_EQ(after.version, before.version + 1);
    EXPECT_EQ(after.field_ids, before.field_ids);
    ASSERT_EQ(after.files.size(), before.files.size());
    EXPECT_EQ(after.files[0].path, before.files[0].path);
    EXPECT_EQ(after.schema.field(1).name, "label");
    EXPECT_EQ(ReadAll(*store->Source()), (std::vector<std::string>{"1|a", "2|b"}));
  }
  // A later process sees the new schema, NOT NULL and the constraints.
  auto reopened = FileTableStore::Open(table, "t");
  const Snapshot s = reopened->Current();
  EXPECT_EQ(s.schema.field(1).name, "label");
  EXPECT_FALSE(s.schema.field(1).nullable);
  EXPECT_TRUE(s.schema.field(0).nullable);
  EXPECT_EQ(s.constraints, SomeConstraints());
  EXPECT_EQ(ReadAll(*reopened->Source()), (std::vector<std::string>{"1|a", "2|b"}));
  // The Iceberg metadata holds both schemas, the current one with the same field ids.
  std::ifstream in(*reopened->MetadataLocation());
  const nlohmann::json metadata = nlohmann::json::parse(in);
  EXPECT_EQ(metadata.at("schemas").size(), 2u);
  EXPECT_EQ(metadata.at("current-schema-id").get<int>(), 1);
}

TEST(SchemaChangeTest, WritesKeepConstraintsAndReplaceSetsThem) {
  TempDir dir;
  const std::string table = dir.path() + "/t";
  auto store = FileTableStore::Create(table, "t", Columns("name"), TwoRows());
  store->ChangeSchema(Columns("name"), SomeConstraints());
  store->Append(TwoRows());
  EXPECT_EQ(store->Current().constraints, SomeConstraints());
  // Copy-on-write of the whole table (UPDATE, DELETE) keeps them too.
  TableRewrite whole;
  whole.version = store->Current().version;
  store->Rewrite(whole, TwoRows());
  EXPECT_EQ(store->Current().constraints, SomeConstraints());
  // A replace (CREATE OR REPLACE) sets its own.
  store->Replace(Columns("name"), BucketSpec{}, TwoRows());
  EXPECT_TRUE(store->Current().constraints.empty());
  EXPECT_TRUE(FileTableStore::Open(table, "t")->Current().constraints.empty());
}

TEST(SchemaChangeTest, ReplaceGivesANewColumnAFreshFieldId) {
  TempDir dir;
  auto store = FileTableStore::Create(dir.path() + "/t", "t", Columns("name"), TwoRows());
  const std::vector<int32_t> before = store->Current().field_ids;
  // DROP COLUMN name, then ADD COLUMN name: the new column is not the old one.
  Schema only_id({Field{"id", LogicalType(TypeId::kBigInt), true, ""}});
  auto id = Column::Make(LogicalType(TypeId::kBigInt), 1);
  id->SetValue(0, Value::BigInt(1));
  id->set_size(1);
  store->Replace(only_id, BucketSpec{}, {Batch({id}, 1)});
  store->Replace(Columns("name"), BucketSpec{}, TwoRows());
  const std::vector<int32_t> after = store->Current().field_ids;
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0], before[0]);
  EXPECT_GT(after[1], before[1]);
}

TEST(SchemaChangeTest, InMemoryRename) {
  InMemoryTableStore store(Columns("name"));
  store.Replace(Columns("name"), BucketSpec{}, TwoRows());
  store.ChangeSchema(Columns("label", false), SomeConstraints());
  const Snapshot s = store.Current();
  EXPECT_EQ(s.schema.field(1).name, "label");
  EXPECT_FALSE(s.schema.field(1).nullable);
  EXPECT_EQ(s.constraints, SomeConstraints());
  EXPECT_EQ(ReadAll(*store.Source()), (std::vector<std::string>{"1|a", "2|b"}));
}

}  // namespace
}  // namespace sluice
