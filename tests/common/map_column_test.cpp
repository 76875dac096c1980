// The MAP type (types/logical_type.h): a type of its own laid out as LIST(STRUCT(key, value)),
// so the list paths of vector/ (gather, hashing, byte keys) carry it; values, printing and
// the checks DuckDB makes on keys.
#include <gtest/gtest.h>

#include "types/logical_type.h"
#include "types/value.h"
#include "vector/column.h"
#include "vector/column_hash.h"
#include "vector/nested_key.h"

namespace sluice {
namespace {

const LogicalType kInt = TypeId::kInteger;
const LogicalType kText = TypeId::kVarchar;
const LogicalType kMapType = LogicalType::Map(kText, kInt);

Value MapOf(std::vector<std::pair<std::string, std::optional<int>>> entries) {
  std::vector<Value> keys, values;
  for (const auto& [k, v] : entries) {
    keys.push_back(Value::Varchar(k));
    values.push_back(v ? Value::Integer(*v) : Value::Null(kInt));
  }
  return Value::Map(kMapType, keys, values);
}

std::shared_ptr<Column> ColumnOf(const LogicalType& type, const std::vector<Value>& values) {
  auto c = Column::Make(type, values.size());
  for (size_t i = 0; i < values.size(); i++) c->SetValue(i, values[i]);
  c->set_size(values.size());
  return c;
}

TEST(MapTypeTest, DistinctFromItsListLayoutAndParses) {
  const LogicalType entry = LogicalType::Struct({{"key", kText}, {"value", kInt}});
  EXPECT_EQ(kMapType.id(), TypeId::kMap);
  EXPECT_TRUE(kMapType.HasListLayout());
  EXPECT_TRUE(kMapType.ListChild() == entry);
  EXPECT_FALSE(kMapType == LogicalType::List(entry));
  EXPECT_TRUE(kMapType == LogicalType::Map(kText, kInt));
  EXPECT_FALSE(kMapType == LogicalType::Map(kText, TypeId::kBigInt));
  EXPECT_EQ(kMapType.ToString(), "MAP(VARCHAR, INTEGER)");
  EXPECT_TRUE(ParseTypeName("map(varchar, int)") == kMapType);
  const LogicalType nested = ParseTypeName("MAP(INTEGER, MAP(VARCHAR, DECIMAL(10,2)[]))");
  EXPECT_EQ(nested.ToString(), "MAP(INTEGER, MAP(VARCHAR, DECIMAL(10,2)[]))");
  EXPECT_EQ(nested.MapValue().MapValue().ToString(), "DECIMAL(10,2)[]");
  EXPECT_EQ(LogicalType::Map(TypeId::kNull, TypeId::kNull).ToString(), "MAP(\"NULL\", \"NULL\")");
  EXPECT_EQ(kMapType.PhysicalSize(), static_cast<int>(sizeof(ListEntry)));
  EXPECT_THROW(ParseTypeName("map(varchar)"), InvalidInputError);
}

TEST(MapValueTest, KeysMustBeUniqueAndNotNull) {
  EXPECT_EQ(MapOf({{"a", 1}, {"b", std::nullopt}}).ToString(), "{a=1, b=NULL}");
  EXPECT_EQ(MapOf({}).ToString(), "{}");
  EXPECT_EQ(MapOf({{"a,b", 1}, {"", 2}}).ToString(), "{'a,b'=1, ''=2}");
  EXPECT_EQ(MapOf({{"a", 1}}).ToSqlLiteral(), "MAP {'a': 1}::MAP(VARCHAR, INTEGER)");
  EXPECT_THROW(MapOf({{"a", 1}, {"a", 2}}), InvalidInputError);
  EXPECT_THROW(Value::Map(kMapType, {Value::Null(kText)}, {Value::Integer(1)}), InvalidInputError);
  EXPECT_THROW(Value::Map(kMapType, {Value::Varchar("a")}, {}), InvalidInputError);
  // Maps compare as their list of entries: the order of entries counts, as in DuckDB.
  EXPECT_FALSE(MapOf({{"a", 1}, {"b", 2}}) == MapOf({{"b", 2}, {"a", 1}}));
  EXPECT_LT(CompareValues(MapOf({{"a", 1}}), MapOf({{"a", 1}, {"b", 0}})), 0);
}

TEST(MapValueTest, CastsFromAndToText) {
  const Value m = Value::Varchar("{a=1, 'b c'=NULL}").CastTo(kMapType);
  EXPECT_EQ(m, MapOf({{"a", 1}, {"b c", std::nullopt}}));
  EXPECT_EQ(m.CastTo(kText).GetString(), "{a=1, b c=NULL}");
  EXPECT_EQ(Value::Varchar("{}").CastTo(kMapType), MapOf({}));
  EXPECT_THROW(Value::Varchar("{a=1, a=2}").CastTo(kMapType), InvalidInputError);
  EXPECT_THROW(Value::Varchar("{a, b=1, 2}").CastTo(kMapType), ConversionError);
  EXPECT_THROW(Value::Varchar("[1]").CastTo(kMapType), ConversionError);
  const Value wide = m.CastTo(LogicalType::Map(kText, TypeId::kBigInt));
  EXPECT_EQ(wide.type().ToString(), "MAP(VARCHAR, BIGINT)");
  EXPECT_EQ(wide.ToString(), "{a=1, b c=NULL}");
}

TEST(MapColumnTest, ListLayoutGathersHashesAndKeys) {
  const std::vector<Value> rows = {MapOf({{"a", 1}, {"b", 2}}), Value::Null(kMapType), MapOf({}),
                                   MapOf({{"a long key that lives in the heap", std::nullopt}})};
  auto c = ColumnOf(kMapType, rows);
  ASSERT_EQ(c->num_children(), 1u);
  const Column& entries = c->child(0);
  EXPECT_EQ(entries.type().id(), TypeId::kStruct);
  EXPECT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries.child(0).size(), 3u);  // the entry fields are as long as the entries
  for (size_t i = 0; i < rows.size(); i++) EXPECT_EQ(c->GetValue(i), rows[i]) << i;
  const uint32_t sel[] = {3, 0, 0};
  auto g = c->Gather(sel, 3);
  EXPECT_EQ(g->GetValue(0), rows[3]);
  EXPECT_EQ(g->GetValue(2), rows[0]);
  EXPECT_EQ(g->child(0).size(), 5u);
  std::vector<uint64_t> h(3);
  HashColumn(*g, 3, h.data(), false);
  EXPECT_EQ(h[1], h[2]);
  EXPECT_NE(h[0], h[1]);
  auto keys = EncodeNestedKeys(*c, rows.size());
  auto back = DecodeNestedKeys(*keys, kMapType, rows.size());
  for (size_t i = 0; i < rows.size(); i++) EXPECT_EQ(back->GetValue(i), rows[i]) << i;
  EXPECT_EQ(back->type(), kMapType);
}

// Column::SetValue of a LIST of STRUCTs sized the STRUCT child but not its fields, so a
// column sharing a field (map_keys) saw no rows.
TEST(MapColumnTest, SetValueSizesTheFieldsOfListElements) {
  const LogicalType entry = LogicalType::Struct({{"k", kText}});
  const LogicalType list = LogicalType::List(entry);
  auto c = ColumnOf(list, {Value::List(list, {Value::Struct(entry, {Value::Varchar("x")}),
                                              Value::Struct(entry, {Value::Varchar("y")})})});
  EXPECT_EQ(c->child(0).size(), 2u);
  EXPECT_EQ(c->child(0).child(0).size(), 2u);
}

}  // namespace
}  // namespace sluice
