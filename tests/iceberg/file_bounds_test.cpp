// Pruning a data file by the column metrics of its manifest entry (iceberg/file_bounds.h),
// with metrics as engines other than Sluice write them: bounds of a column promoted from int
// to long since (4-byte bounds, which prune nothing rather than wrongly), truncated string
// bounds (Spark keeps 16 characters), missing metrics, all-NULL columns, NaN counts.
#include "iceberg/file_bounds.h"

#include <gtest/gtest.h>

#include "expr/binder.h"
#include "iceberg/single_value.h"

namespace sluice::iceberg {
namespace {

namespace ib = iceberg;

Schema TestSchema() {
  Schema s;
  s.Add(Field{"id", TypeId::kBigInt, true, ""});
  s.Add(Field{"name", TypeId::kVarchar, true, ""});
  s.Add(Field{"x", TypeId::kDouble, true, ""});
  return s;
}

ib::IcebergSchema IcebergFields() {
  ib::IcebergSchema out;
  out.fields = {{1, "id", false, ib::PrimitiveType(ib::TypeKind::kLong), ""},
                {2, "name", false, ib::PrimitiveType(ib::TypeKind::kString), ""},
                {3, "x", false, ib::PrimitiveType(ib::TypeKind::kDouble), ""}};
  return out;
}

std::string Long(int64_t v) {
  return ib::SerializeValue(*ib::PrimitiveType(ib::TypeKind::kLong), Value::BigInt(v));
}

// A file of 100 rows: id in [100, 199], no NULLs; name in ["apple", "pear"].
ColumnMetrics Metrics() {
  ColumnMetrics m;
  m.value_counts = {{1, 100}, {2, 100}, {3, 100}};
  m.null_value_counts = {{1, 0}, {2, 0}, {3, 0}};
  m.lower_bounds = {{1, Long(100)}, {2, "apple"}};
  m.upper_bounds = {{1, Long(199)}, {2, "pear"}};
  return m;
}

bool MayMatch(const ColumnMetrics& m, const ExprPtr& predicate) {
  const Schema schema = TestSchema();
  const FileBounds bounds = FileBounds::Of(m, schema, {1, 2, 3}, IcebergFields());
  return BoundsMayMatch(bounds, {BindExpression(predicate, schema)}, schema);
}

TEST(FileBoundsTest, ComparisonsAndInAgainstTheBounds) {
  const ColumnMetrics m = Metrics();
  EXPECT_TRUE(MayMatch(m, Call("=", {Col("id"), Lit(Value::BigInt(150))})));
  EXPECT_FALSE(MayMatch(m, Call("=", {Col("id"), Lit(Value::BigInt(99))})));
  EXPECT_FALSE(MayMatch(m, Call("=", {Col("id"), Lit(Value::BigInt(200))})));
  EXPECT_FALSE(MayMatch(m, Call(">", {Col("id"), Lit(Value::BigInt(199))})));
  EXPECT_TRUE(MayMatch(m, Call(">=", {Col("id"), Lit(Value::BigInt(199))})));
  EXPECT_FALSE(MayMatch(m, Call("<", {Lit(Value::BigInt(199)), Col("id")})));
  EXPECT_TRUE(MayMatch(m, Call("<", {Col("id"), Lit(Value::BigInt(101))})));
  EXPECT_FALSE(MayMatch(m, Call("<", {Col("id"), Lit(Value::BigInt(100))})));
  EXPECT_FALSE(MayMatch(m, In(Col("id"), {Lit(Value::BigInt(1)), Lit(Value::BigInt(500))})));
  EXPECT_TRUE(MayMatch(m, In(Col("id"), {Lit(Value::BigInt(1)), Lit(Value::BigInt(120))})));
  // Truncated string bounds are still bounds: "pear" <= every value's prefix.
  EXPECT_FALSE(MayMatch(m, Call("=", {Col("name"), Lit(Value::Varchar("zebra"))})));
  EXPECT_TRUE(MayMatch(m, Call("=", {Col("name"), Lit(Value::Varchar("orange"))})));
  // Other shapes say nothing.
  EXPECT_TRUE(MayMatch(m, Call("<>", {Col("id"), Lit(Value::BigInt(150))})));
}

TEST(FileBoundsTest, NullCounts) {
  ColumnMetrics m = Metrics();
  EXPECT_FALSE(MayMatch(m, IsNull(Col("id"))));
  EXPECT_TRUE(MayMatch(m, IsNotNull(Col("id"))));
  m.null_value_counts.erase(1);  // unknown: a NULL may be there
  EXPECT_TRUE(MayMatch(m, IsNull(Col("id"))));
  // A column of NULLs only (no bounds): nothing but IS NULL matches.
  m.null_value_counts[1] = 100;
  m.lower_bounds.erase(1);
  m.upper_bounds.erase(1);
  EXPECT_TRUE(MayMatch(m, IsNull(Col("id"))));
  EXPECT_FALSE(MayMatch(m, IsNotNull(Col("id"))));
  EXPECT_FALSE(MayMatch(m, Call("=", {Col("id"), Lit(Value::BigInt(150))})));
}

TEST(FileBoundsTest, UnknownOrUndecodableBoundsPruneNothing) {
  ColumnMetrics m;  // a writer that keeps no metrics
  EXPECT_TRUE(MayMatch(m, Call("=", {Col("id"), Lit(Value::BigInt(-5))})));
  EXPECT_TRUE(MayMatch(m, IsNull(Col("id"))));
  // Written when the column was an int (4-byte bounds), read as a long now.
  m = Metrics();
  m.lower_bounds[1] =
      ib::SerializeValue(*ib::PrimitiveType(ib::TypeKind::kInt), Value::Integer(100));
  m.upper_bounds[1] =
      ib::SerializeValue(*ib::PrimitiveType(ib::TypeKind::kInt), Value::Integer(199));
  EXPECT_TRUE(MayMatch(m, Call("=", {Col("id"), Lit(Value::BigInt(5))})));
}

TEST(FileBoundsTest, DoubleBoundsCountOnlyWithoutNaN) {
  ColumnMetrics m = Metrics();
  const ib::Type dbl = *ib::PrimitiveType(ib::TypeKind::kDouble);
  m.lower_bounds[3] = ib::SerializeValue(dbl, Value::Double(1.0));
  m.upper_bounds[3] = ib::SerializeValue(dbl, Value::Double(2.0));
  // Without a NaN count a NaN may be there, which Sluice orders above every number.
  EXPECT_TRUE(MayMatch(m, Call(">", {Col("x"), Lit(Value::Double(5.0))})));
  m.nan_value_counts[3] = 0;
  EXPECT_FALSE(MayMatch(m, Call(">", {Col("x"), Lit(Value::Double(5.0))})));
  EXPECT_TRUE(MayMatch(m, Call(">", {Col("x"), Lit(Value::Double(1.5))})));
}

}  // namespace
}  // namespace sluice::iceberg
