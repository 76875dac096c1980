// The LIST and STRUCT layout of vector/: child columns, appends and gathers that rebase list
// offsets, values, hashing and the order-preserving byte keys (vector/nested_key.h).
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

Value IntList(std::vector<std::optional<int>> xs) {
  std::vector<Value> v;
  for (auto x : xs) v.push_back(x ? Value::Integer(*x) : Value::Null(kInt));
  return Value::List(LogicalType::List(kInt), std::move(v));
}

std::shared_ptr<Column> ColumnOf(const LogicalType& type, const std::vector<Value>& values) {
  auto c = Column::Make(type, values.size());
  for (size_t i = 0; i < values.size(); i++) c->SetValue(i, values[i]);
  c->set_size(values.size());
  return c;
}

TEST(NestedTypeTest, InternedTypesCompareByPointerAndParse) {
  const LogicalType a = LogicalType::List(kInt);
  const LogicalType b = ParseTypeName("integer[]");
  EXPECT_TRUE(a == b);
  EXPECT_FALSE(a == LogicalType::List(kText));
  EXPECT_EQ(ParseTypeName("LIST(VARCHAR)").ToString(), "VARCHAR[]");
  EXPECT_EQ(ParseTypeName("int[][]").ToString(), "INTEGER[][]");
  const LogicalType s = ParseTypeName("STRUCT(a INTEGER, \"b c\" VARCHAR[])");
  EXPECT_EQ(s.ToString(), "STRUCT(a INTEGER, \"b c\" VARCHAR[])");
  EXPECT_TRUE(s == ParseTypeName(s.ToString()));
  EXPECT_EQ(StructFieldIndex(s, "B C"), 1);
  EXPECT_EQ(StructFieldIndex(s, "z"), -1);
  EXPECT_THROW(ParseTypeName("struct(a int, A int)"), InvalidInputError);
  // Scalar types stay small, trivially copyable values.
  EXPECT_TRUE(std::is_trivially_copyable_v<LogicalType>);
  EXPECT_LE(sizeof(LogicalType), 16u);
}

TEST(NestedColumnTest, ListValuesRoundTripAndPrint) {
  const std::vector<Value> rows = {IntList({1, 2}), Value::Null(LogicalType::List(kInt)),
                                   IntList({}), IntList({std::nullopt, 3})};
  auto c = ColumnOf(LogicalType::List(kInt), rows);
  ASSERT_EQ(c->num_children(), 1u);
  EXPECT_EQ(c->child(0).size(), 4u);  // the elements of every row, in one child column
  for (size_t i = 0; i < rows.size(); i++) EXPECT_EQ(c->GetValue(i), rows[i]) << i;
  EXPECT_EQ(c->GetValue(3).ToString(), "[NULL, 3]");
  EXPECT_EQ(c->list_entries()[3].offset, 2u);
  EXPECT_EQ(c->list_entries()[3].length, 2u);
}

TEST(NestedColumnTest, GatherAndAppendRebaseOffsets) {
  auto c = ColumnOf(LogicalType::List(kInt), {IntList({1, 2}), IntList({3}), IntList({4, 5, 6})});
  const uint32_t sel[] = {2, 0, 2};
  auto g = c->Gather(sel, 3);
  EXPECT_EQ(g->GetValue(0), IntList({4, 5, 6}));
  EXPECT_EQ(g->GetValue(1), IntList({1, 2}));
  EXPECT_EQ(g->GetValue(2), IntList({4, 5, 6}));
  EXPECT_EQ(g->child(0).size(), 8u);  // only the gathered elements are copied
  auto s = c->Slice(1, 2);
  EXPECT_EQ(s->GetValue(0), IntList({3}));
  EXPECT_EQ(s->list_entries()[0].offset, 0u);
  auto k = Column::MakeConstant(LogicalType::List(kInt), IntList({7}), 3);
  auto flat = Column::Make(LogicalType::List(kInt), 1);
  flat->Append(*k, 0, 3);
  EXPECT_EQ(flat->GetValue(2), IntList({7}));
  EXPECT_EQ(flat->child(0).size(), 3u);
}

TEST(NestedColumnTest, StructFieldsFollowTheRows) {
  const LogicalType t = LogicalType::Struct({{"a", kInt}, {"b", kText}});
  const std::vector<Value> rows = {
      Value::Struct(t, {Value::Integer(1), Value::Varchar("x")}), Value::Null(t),
      Value::Struct(t, {Value::Null(kInt), Value::Varchar("a long string that lives in the heap")})};
  auto c = ColumnOf(t, rows);
  ASSERT_EQ(c->num_children(), 2u);
  EXPECT_EQ(c->child(0).size(), 3u);
  EXPECT_TRUE(c->child(0).IsNull(1));  // a NULL struct has NULL fields
  const uint32_t sel[] = {2, 0};
  auto g = c->Gather(sel, 2);
  EXPECT_EQ(g->GetValue(0), rows[2]);
  EXPECT_EQ(g->GetValue(1).ToString(), "{'a': 1, 'b': x}");
  auto k = Column::MakeConstant(t, rows[0], 5);
  EXPECT_EQ(k->GetValue(4), rows[0]);
}

TEST(NestedColumnTest, EqualListsHashEqually) {
  auto a = ColumnOf(LogicalType::List(kInt), {IntList({1, 2}), IntList({1}), IntList({})});
  auto b = ColumnOf(LogicalType::List(kInt), {IntList({9}), IntList({1, 2}), IntList({})});
  std::vector<uint64_t> ha(3), hb(3);
  HashColumn(*a, 3, ha.data(), false);
  HashColumn(*b, 3, hb.data(), false);
  EXPECT_EQ(ha[0], hb[1]);
  EXPECT_EQ(ha[2], hb[2]);
  EXPECT_NE(ha[0], ha[1]);
  EXPECT_NE(ha[2], hb[0]);
}

TEST(NestedKeyTest, KeysSortLikeValuesAndDecode) {
  const LogicalType t = LogicalType::List(kInt);
  // An empty list is a prefix of every list, and a NULL element sorts after every value.
  const std::vector<Value> expected = {IntList({}), IntList({-5}), IntList({1}), IntList({1, 2}),
                                 IntList({1, 2, 3}), IntList({1, std::nullopt}), IntList({2})};
  for (size_t i = 0; i + 1 < expected.size(); i++) {
    EXPECT_LT(CompareValues(expected[i], expected[i + 1]), 0) << i;
  }
  auto c = ColumnOf(t, expected);
  auto keys = EncodeNestedKeys(*c, expected.size());
  for (size_t i = 0; i + 1 < expected.size(); i++) {
    EXPECT_LT(keys->data<StringView>()[i].Compare(keys->data<StringView>()[i + 1]), 0) << i;
  }
  auto back = DecodeNestedKeys(*keys, t, expected.size());
  for (size_t i = 0; i < expected.size(); i++) EXPECT_EQ(back->GetValue(i), expected[i]) << i;
}

TEST(NestedKeyTest, StringsWithZeroBytesAndStructsRoundTrip) {
  const LogicalType t = LogicalType::Struct({{"s", kText}, {"l", LogicalType::List(kText)}});
  const std::vector<Value> rows = {
      Value::Struct(t, {Value::Varchar(std::string("a\0b", 3)),
                        Value::List(LogicalType::List(kText), {Value::Varchar("")})}),
      Value::Struct(t, {Value::Varchar("a"), Value::Null(LogicalType::List(kText))}),
      Value::Null(t)};
  auto c = ColumnOf(t, rows);
  auto keys = EncodeNestedKeys(*c, 3);
  EXPECT_TRUE(keys->IsNull(2));
  // "a" < "a\0b": a prefix sorts first.
  EXPECT_LT(keys->data<StringView>()[1].Compare(keys->data<StringView>()[0]), 0);
  auto back = DecodeNestedKeys(*keys, t, 3);
  for (size_t i = 0; i < rows.size(); i++) EXPECT_EQ(back->GetValue(i), rows[i]) << i;
}

TEST(NestedValueTest, CastsBetweenListsAndText) {
  const Value v = Value::Varchar("[1, NULL, 3]").CastTo(LogicalType::List(kInt));
  EXPECT_EQ(v, IntList({1, std::nullopt, 3}));
  EXPECT_EQ(Value::Varchar("['a,b', c]").CastTo(LogicalType::List(kText)).ToString(),
            "['a,b', c]");
  EXPECT_EQ(IntList({1, 2}).CastTo(LogicalType::List(TypeId::kBigInt)).type().ToString(),
            "BIGINT[]");
  EXPECT_THROW(Value::Varchar("1, 2").CastTo(LogicalType::List(kInt)), ConversionError);
}

}  // namespace
}  // namespace sluice
