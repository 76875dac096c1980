// Iceberg's inclusive projection of a predicate on a source column through each partition
// transform (spec: "Scan Planning"): a file whose partition value fails the projection holds
// no row satisfying the predicate. Every case checks soundness on the values around the
// literal, and the edge cases the spec calls out: timestamps before 1970 (floor, not
// truncation toward zero), NULL under bucket, truncate of negative integers.
#include <gtest/gtest.h>

#include "iceberg/partition_projection.h"

namespace sluice::iceberg {
namespace {

using Op = ColumnPredicate::Op;

constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000000;
constexpr int64_t kMicrosPerHour = int64_t{3600} * 1000000;

ColumnPredicate Pred(Op op, std::vector<Value> literals = {}) { return {op, std::move(literals)}; }

// Whether `v` satisfies `p` (the source predicate, evaluated exactly).
bool Holds(const ColumnPredicate& p, const Value& v) { return MayMatch(p, v); }

// Soundness: every value that satisfies the predicate has a partition value that satisfies
// the projection.
void ExpectSound(const Transform& t, const ColumnPredicate& p, const std::vector<Value>& values) {
  const auto projected = ProjectInclusive(t, p);
  for (const auto& v : values) {
    if (!Holds(p, v)) continue;
    if (projected) {
      EXPECT_TRUE(MayMatch(*projected, t.Apply(v)))
          << t.ToString() << " of " << v.ToString() << " fails the projection";
    }
  }
}

std::vector<Value> TimestampsAround(int64_t micros) {
  std::vector<Value> out;
  for (int64_t d : {-kMicrosPerDay, -kMicrosPerHour, int64_t{-1}, int64_t{0}, int64_t{1}, kMicrosPerHour,
                    kMicrosPerDay}) {
    out.push_back(Value::Timestamp(micros + d));
  }
  return out;
}

TEST(PartitionProjectionTest, DayOfATimestampRange) {
  const Transform day = Transform::Parse("day");
  const int64_t jan2 = int64_t{19724} * kMicrosPerDay;  // 2024-01-02 00:00:00
  // ts >= 2024-01-02: day >= 2024-01-02.
  auto p = ProjectInclusive(day, Pred(Op::kGtEq, {Value::Timestamp(jan2)}));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->op, Op::kGtEq);
  EXPECT_EQ(p->literals[0].GetInt(), 19724);
  EXPECT_FALSE(MayMatch(*p, Value::Date(19723)));
  EXPECT_TRUE(MayMatch(*p, Value::Date(19724)));
  // ts < 2024-01-02 00:00:00 is ts <= 2024-01-01 23:59:59.999999: the day before only.
  p = ProjectInclusive(day, Pred(Op::kLt, {Value::Timestamp(jan2)}));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->op, Op::kLtEq);
  EXPECT_EQ(p->literals[0].GetInt(), 19723);
  EXPECT_FALSE(MayMatch(*p, Value::Date(19724)));
  // ts > 2024-01-01 23:59:59.999999 is ts >= midnight: 2024-01-02 on.
  p = ProjectInclusive(day, Pred(Op::kGt, {Value::Timestamp(jan2 - 1)}));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->literals[0].GetInt(), 19724);
  for (Op op : {Op::kEq, Op::kLt, Op::kLtEq, Op::kGt, Op::kGtEq}) {
    ExpectSound(day, Pred(op, {Value::Timestamp(jan2)}), TimestampsAround(jan2));
  }
}

TEST(PartitionProjectionTest, TimestampsBefore1970FloorToTheEarlierDayAndHour) {
  const Transform day = Transform::Parse("day");
  const Transform hour = Transform::Parse("hour");
  // 1969-12-31 23:59:59.999999 is day -1 and hour -1 (floor), not day 0.
  const Value before_epoch = Value::Timestamp(-1);
  EXPECT_EQ(day.Apply(before_epoch).GetInt(), -1);
  EXPECT_EQ(hour.Apply(before_epoch).GetInt(), -1);
  auto p = ProjectInclusive(day, Pred(Op::kEq, {before_epoch}));
  ASSERT_TRUE(p);
  EXPECT_TRUE(MayMatch(*p, Value::Date(-1)));
  EXPECT_FALSE(MayMatch(*p, Value::Date(0)));
  // ts < 1970-01-01 00:00:00: day <= -1, so the epoch's day is skipped.
  p = ProjectInclusive(day, Pred(Op::kLt, {Value::Timestamp(0)}));
  ASSERT_TRUE(p);
  EXPECT_FALSE(MayMatch(*p, Value::Date(0)));
  EXPECT_TRUE(MayMatch(*p, Value::Date(-1)));
  for (const Transform& t : {day, hour, Transform::Parse("month"), Transform::Parse("year")}) {
    for (Op op : {Op::kEq, Op::kLt, Op::kLtEq, Op::kGt, Op::kGtEq}) {
      for (int64_t at : {int64_t{0}, -kMicrosPerDay / 2, int64_t{-1} * 365 * kMicrosPerDay}) {
        ExpectSound(t, Pred(op, {Value::Timestamp(at)}), TimestampsAround(at));
      }
    }
  }
}

TEST(PartitionProjectionTest, MonthAndYearOfDates) {
  const Transform month = Transform::Parse("month");
  const Transform year = Transform::Parse("year");
  // 2024-03-01 is day 19783: month 650 (2024-03), year 54.
  auto p = ProjectInclusive(month, Pred(Op::kGtEq, {Value::Date(19783)}));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->literals[0].GetInt(), 650);
  p = ProjectInclusive(year, Pred(Op::kLt, {Value::Date(19783)}));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->literals[0].GetInt(), 54);
  // 1969-12-31 is month -1 and year -1.
  EXPECT_EQ(month.Apply(Value::Date(-1)).GetInt(), -1);
  EXPECT_EQ(year.Apply(Value::Date(-1)).GetInt(), -1);
  std::vector<Value> days;
  for (int d = -400; d <= 400; d += 7) days.push_back(Value::Date(d));
  for (Op op : {Op::kEq, Op::kLt, Op::kLtEq, Op::kGt, Op::kGtEq}) {
    ExpectSound(month, Pred(op, {Value::Date(0)}), days);
    ExpectSound(year, Pred(op, {Value::Date(-31)}), days);
  }
}

TEST(PartitionProjectionTest, BucketProjectsEqualityAndInOnly) {
  const Transform bucket = Transform::Parse("bucket[16]");
  auto p = ProjectInclusive(bucket, Pred(Op::kEq, {Value::BigInt(42)}));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->op, Op::kEq);
  EXPECT_EQ(p->literals[0].GetInt(), bucket.Apply(Value::BigInt(42)).GetInt());
  EXPECT_TRUE(MayMatch(*p, bucket.Apply(Value::BigInt(42))));
  p = ProjectInclusive(bucket, Pred(Op::kIn, {Value::BigInt(1), Value::BigInt(2)}));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->op, Op::kIn);
  EXPECT_TRUE(MayMatch(*p, bucket.Apply(Value::BigInt(2))));
  // A range says nothing about a hash.
  for (Op op : {Op::kLt, Op::kLtEq, Op::kGt, Op::kGtEq}) {
    EXPECT_FALSE(ProjectInclusive(bucket, Pred(op, {Value::BigInt(42)})));
  }
}

TEST(PartitionProjectionTest, NullUnderBucketIsANullPartition) {
  const Transform bucket = Transform::Parse("bucket[4]");
  const Value null_bucket = bucket.Apply(Value::Null(LogicalType(TypeId::kBigInt)));
  EXPECT_TRUE(null_bucket.is_null());
  auto is_null = ProjectInclusive(bucket, Pred(Op::kIsNull));
  ASSERT_TRUE(is_null);
  EXPECT_TRUE(MayMatch(*is_null, null_bucket));
  EXPECT_FALSE(MayMatch(*is_null, Value::Integer(3)));
  // id = 42 never holds for NULL: the NULL partition's file is skipped.
  auto eq = ProjectInclusive(bucket, Pred(Op::kEq, {Value::BigInt(42)}));
  ASSERT_TRUE(eq);
  EXPECT_FALSE(MayMatch(*eq, null_bucket));
  auto not_null = ProjectInclusive(bucket, Pred(Op::kNotNull));
  ASSERT_TRUE(not_null);
  EXPECT_FALSE(MayMatch(*not_null, null_bucket));
}

TEST(PartitionProjectionTest, TruncateOfNegativeIntegersFloors) {
  const Transform t = Transform::Parse("truncate[10]");
  // The spec: truncate(10, -1) = -10, not 0.
  EXPECT_EQ(t.Apply(Value::Integer(-1)).GetInt(), -10);
  EXPECT_EQ(t.Apply(Value::BigInt(-10)).GetInt(), -10);
  EXPECT_EQ(t.Apply(Value::BigInt(-11)).GetInt(), -20);
  // x >= -5: partition >= -10, so the [-10, -1] partition is kept and [-20, -11] skipped.
  auto p = ProjectInclusive(t, Pred(Op::kGtEq, {Value::Integer(-5)}));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->literals[0].GetInt(), -10);
  EXPECT_TRUE(MayMatch(*p, Value::Integer(-10)));
  EXPECT_FALSE(MayMatch(*p, Value::Integer(-20)));
  // x < -10 is x <= -11: partition <= -20.
  p = ProjectInclusive(t, Pred(Op::kLt, {Value::Integer(-10)}));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->literals[0].GetInt(), -20);
  EXPECT_FALSE(MayMatch(*p, Value::Integer(-10)));
  std::vector<Value> ints;
  for (int x = -35; x <= 35; x++) ints.push_back(Value::Integer(x));
  for (Op op : {Op::kEq, Op::kLt, Op::kLtEq, Op::kGt, Op::kGtEq}) {
    for (int at : {-21, -20, -1, 0, 9, 10}) ExpectSound(t, Pred(op, {Value::Integer(at)}), ints);
  }
}

TEST(PartitionProjectionTest, TruncateOfStringsKeepsPrefixOrder) {
  const Transform t = Transform::Parse("truncate[2]");
  auto p = ProjectInclusive(t, Pred(Op::kEq, {Value::Varchar("abc")}));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->literals[0].GetString(), "ab");
  p = ProjectInclusive(t, Pred(Op::kGtEq, {Value::Varchar("b")}));
  ASSERT_TRUE(p);
  EXPECT_FALSE(MayMatch(*p, Value::Varchar("az")));
  EXPECT_TRUE(MayMatch(*p, Value::Varchar("ba")));
  std::vector<Value> strings;
  for (const char* s : {"", "a", "ab", "abc", "abd", "b", "ba", "bz", "c"}) strings.push_back(Value::Varchar(s));
  for (Op op : {Op::kEq, Op::kLt, Op::kLtEq, Op::kGt, Op::kGtEq}) {
    for (const char* at : {"ab", "abc", "b"}) ExpectSound(t, Pred(op, {Value::Varchar(at)}), strings);
  }
}

TEST(PartitionProjectionTest, IdentityKeepsThePredicateAndVoidDropsIt) {
  auto p = ProjectInclusive(Transform::Identity(), Pred(Op::kLt, {Value::Integer(5)}));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->op, Op::kLt);
  EXPECT_FALSE(MayMatch(*p, Value::Integer(5)));
  EXPECT_FALSE(ProjectInclusive(Transform::Parse("void"), Pred(Op::kEq, {Value::Integer(5)})));
}

TEST(PartitionProjectionTest, ManifestSummariesPruneByTheirBounds) {
  const auto eq = Pred(Op::kEq, {Value::Date(10)});
  EXPECT_TRUE(MayMatchRange(eq, Value::Date(5), Value::Date(10), false, false));
  EXPECT_FALSE(MayMatchRange(eq, Value::Date(11), Value::Date(20), false, false));
  EXPECT_FALSE(MayMatchRange(Pred(Op::kGtEq, {Value::Date(21)}), Value::Date(11), Value::Date(20),
                             true, false));
  EXPECT_TRUE(MayMatchRange(Pred(Op::kLtEq, {Value::Date(11)}), Value::Date(11), Value::Date(20),
                            false, false));
  // Only NULLs: no bounds; IS NULL matches, a comparison does not.
  EXPECT_TRUE(MayMatchRange(Pred(Op::kIsNull), std::nullopt, std::nullopt, true, false));
  EXPECT_FALSE(MayMatchRange(eq, std::nullopt, std::nullopt, true, false));
  EXPECT_FALSE(MayMatchRange(Pred(Op::kIsNull), Value::Date(1), Value::Date(2), false, false));
}

}  // namespace
}  // namespace sluice::iceberg
