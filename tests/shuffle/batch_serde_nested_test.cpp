// Spill and shuffle encoding of LIST, STRUCT and MAP columns (shuffle/batch_serde.h).
#include <gtest/gtest.h>

#include "shuffle/batch_serde.h"

namespace sluice {
namespace {

TEST(BatchSerdeNestedTest, ListsAndStructsRoundTrip) {
  const LogicalType list = LogicalType::List(TypeId::kVarchar);
  const LogicalType st = LogicalType::Struct({{"n", TypeId::kBigInt}, {"tags", list}});
  const std::vector<Value> lists = {
      Value::List(list, {Value::Varchar("short"), Value::Varchar("a string long enough for a heap")}),
      Value::Null(list), Value::List(list, {}), Value::List(list, {Value::Null(TypeId::kVarchar)})};
  auto lc = Column::Make(list, 4);
  auto sc = Column::Make(st, 4);
  for (size_t i = 0; i < 4; i++) {
    lc->SetValue(i, lists[i]);
    sc->SetValue(i, i == 2 ? Value::Null(st)
                           : Value::Struct(st, {Value::BigInt(static_cast<int64_t>(i)), lists[i]}));
  }
  lc->set_size(4);
  sc->set_size(4);
  // Slicing first leaves list offsets that do not start at 0.
  Batch batch({lc->Slice(1, 3), sc->Slice(1, 3)}, 3);
  std::string bytes;
  SerializeBatch(batch, &bytes);
  const Batch back = DeserializeBatch(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(),
                                      {list, st});
  ASSERT_EQ(back.num_rows(), 3u);
  for (size_t r = 0; r < 3; r++) {
    EXPECT_EQ(back.column(0)->GetValue(r), lists[r + 1]) << r;
    EXPECT_EQ(back.column(1)->GetValue(r), batch.column(1)->GetValue(r)) << r;
  }
  // A constant list column is written row by row.
  Batch constant({Column::MakeConstant(list, lists[0], 2)}, 2);
  bytes.clear();
  SerializeBatch(constant, &bytes);
  const Batch c = DeserializeBatch(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(),
                                   {list});
  EXPECT_EQ(c.column(0)->GetValue(1), lists[0]);
}

TEST(BatchSerdeNestedTest, MapsRoundTripAsTheirListLayout) {
  const LogicalType map = LogicalType::Map(TypeId::kVarchar, TypeId::kInteger);
  const std::vector<Value> maps = {
      Value::Map(map, {Value::Varchar("a"), Value::Varchar("a key long enough for a heap")},
                 {Value::Integer(1), Value::Null(TypeId::kInteger)}),
      Value::Null(map), Value::Map(map, {}, {}),
      Value::Map(map, {Value::Varchar("z")}, {Value::Integer(26)})};
  auto mc = Column::Make(map, 4);
  for (size_t i = 0; i < 4; i++) mc->SetValue(i, maps[i]);
  mc->set_size(4);
  Batch batch({mc->Slice(1, 3)}, 3);
  std::string bytes;
  SerializeBatch(batch, &bytes);
  const Batch back = DeserializeBatch(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(),
                                      {map});
  ASSERT_EQ(back.num_rows(), 3u);
  EXPECT_EQ(back.column(0)->type(), map);
  for (size_t r = 0; r < 3; r++) EXPECT_EQ(back.column(0)->GetValue(r), maps[r + 1]) << r;
}

}  // namespace
}  // namespace sluice
