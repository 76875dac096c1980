// Partition transforms and single-value bounds against the examples of the Iceberg spec
// (Appendix B for the bucket hash, "Truncate Transform Details" for truncate).
#include <gtest/gtest.h>

#include "common/error.h"
#include "common/murmur3.h"
#include "iceberg/single_value.h"
#include "iceberg/transform.h"
#include "vector/batch.h"
#include "vector/iceberg_hash.h"

namespace sluice::iceberg {
namespace {

constexpr int32_t kDay_2017_11_16 = 17486;
constexpr int64_t kTs_2017_11_16_223108 = int64_t{1510871468} * 1000000;

TEST(IcebergTransformTest, BucketHashMatchesTheSpecExamples) {
  EXPECT_EQ(Transform::Hash(Value::Integer(34)), 2017239379);
  EXPECT_EQ(Transform::Hash(Value::BigInt(34)), 2017239379);
  EXPECT_EQ(Transform::Hash(Value::Decimal(1420, 9, 2)), -500754589);
  EXPECT_EQ(Transform::Hash(Value::Date(kDay_2017_11_16)), -653330422);
  EXPECT_EQ(Transform::Hash(Value::Timestamp(kTs_2017_11_16_223108)), -2047944441);
  EXPECT_EQ(Transform::Hash(Value::Varchar("iceberg")), 1210000089);
  const unsigned char bytes[] = {0, 1, 2, 3};
  EXPECT_EQ(Murmur3_32(bytes, 4), -188683207);
}

TEST(IcebergTransformTest, BucketIsTheNonNegativeHashModN) {
  const Transform b = Transform::Parse("bucket[16]");
  EXPECT_EQ(b.ToString(), "bucket[16]");
  EXPECT_EQ(b.Apply(Value::Integer(34)).GetInt(), (2017239379 & 0x7fffffff) % 16);
  EXPECT_EQ(b.Apply(Value::Varchar("iceberg")).GetInt(), 1210000089 % 16);
  EXPECT_TRUE(b.Apply(Value::Null(TypeId::kInteger)).is_null());
}

// The exchange that moves rows to an Iceberg-bucketed table's buckets (SelectIcebergBuckets,
// over columns) places every row where the partition transform (over values) put it, for
// every type Iceberg buckets; NULL goes to bucket 0.
TEST(IcebergTransformTest, ExchangeBucketsAreTheTransformsBuckets) {
  const std::vector<Value> values = {
      Value::TinyInt(-7),
      Value::SmallInt(300),
      Value::Integer(34),
      Value::BigInt(-1234567890123),
      Value::Date(kDay_2017_11_16),
      Value::Timestamp(kTs_2017_11_16_223108),
      Value::TimestampTz(kTs_2017_11_16_223108),
      Value::Time(int64_t{81068} * 1000000),
      Value::Decimal(1420, 9, 2),
      Value::Decimal(-123456789, 18, 3),
      Value::Decimal(static_cast<int128_t>(1) << 100, 38, 0),
      Value::Varchar("iceberg"),
      Value::Varchar("a string longer than twelve bytes, held in the heap"),
      Value::Blob(std::string("\x00\x01\x02\x03", 4)),
  };
  for (const int n : {1, 7, 16}) {
    for (const Value& v : values) {
      auto column = Column::Make(v.type(), 2);
      column->SetValue(0, v);
      column->SetValue(1, Value::Null(v.type()));
      column->set_size(2);
      const Batch batch({column}, 2);
      std::vector<std::vector<uint32_t>> selections(static_cast<size_t>(n));
      SelectIcebergBuckets(batch, 0, &selections);
      const auto expected = static_cast<size_t>(Transform::Bucket(n).Apply(v).GetInt());
      // Row 1 (NULL) is in bucket 0, with row 0 when that is its bucket too.
      const std::vector<uint32_t> want =
          expected == 0 ? std::vector<uint32_t>{0, 1} : std::vector<uint32_t>{0};
      EXPECT_EQ(selections[expected], want)
          << v.ToString() << " of " << v.type().ToString() << " into " << n;
      EXPECT_TRUE(IcebergHashable(v.type().id())) << v.type().ToString();
      if (expected != 0) EXPECT_EQ(selections[0], std::vector<uint32_t>{1}) << v.ToString();
    }
  }
  EXPECT_FALSE(IcebergHashable(TypeId::kDouble));
  EXPECT_FALSE(IcebergHashable(TypeId::kBoolean));
}

TEST(IcebergTransformTest, TruncateMatchesTheSpecExamples) {
  const Transform t10 = Transform::Truncate(10);
  EXPECT_EQ(t10.Apply(Value::Integer(1)).GetInt(), 0);
  EXPECT_EQ(t10.Apply(Value::Integer(-1)).GetInt(), -10);
  EXPECT_EQ(t10.Apply(Value::BigInt(-1)).GetInt(), -10);
  const Value d = Transform::Truncate(50).Apply(Value::Decimal(1065, 9, 2));
  EXPECT_EQ(d.ToString(), "10.50");
  EXPECT_EQ(Transform::Truncate(3).Apply(Value::Varchar("iceberg")).GetString(), "ice");
  // Code points, not bytes.
  EXPECT_EQ(Transform::Truncate(2).Apply(Value::Varchar("été")).GetString(), "ét");
}

TEST(IcebergTransformTest, TimeTransformsCountFromTheEpoch) {
  const Value ts = Value::Timestamp(kTs_2017_11_16_223108);
  EXPECT_EQ(Transform::Parse("year").Apply(ts).GetInt(), 47);
  EXPECT_EQ(Transform::Parse("month").Apply(ts).GetInt(), 47 * 12 + 10);
  EXPECT_EQ(Transform::Parse("day").Apply(ts).GetInt(), kDay_2017_11_16);
  EXPECT_EQ(Transform::Parse("day").Apply(ts).type().id(), TypeId::kDate);
  EXPECT_EQ(Transform::Parse("hour").Apply(ts).GetInt(), 1510871468 / 3600);
  // Before 1970 the counts are negative and floor, not truncate.
  EXPECT_EQ(Transform::Parse("year").Apply(Value::Date(-1)).GetInt(), -1);
  EXPECT_EQ(Transform::Parse("month").Apply(Value::Date(-1)).GetInt(), -1);
  EXPECT_EQ(Transform::Parse("hour").Apply(Value::Timestamp(-1)).GetInt(), -1);
  EXPECT_EQ(Transform::Parse("day").Apply(Value::Timestamp(-1)).GetInt(), -1);
}

TEST(IcebergTransformTest, ParseRefusesUnknownTransforms) {
  EXPECT_THROW(Transform::Parse("bucket[0]"), InvalidInputError);
  EXPECT_THROW(Transform::Parse("bucket[4"), InvalidInputError);
  EXPECT_THROW(Transform::Parse("weekday"), InvalidInputError);
  EXPECT_TRUE(Transform::Parse("void").Apply(Value::Integer(3)).is_null());
}

TEST(IcebergTransformTest, ApplicabilityAndResultTypes) {
  const TypePtr ts = PrimitiveType(TypeKind::kTimestamp);
  const TypePtr date = PrimitiveType(TypeKind::kDate);
  const TypePtr str = PrimitiveType(TypeKind::kString);
  EXPECT_TRUE(Transform::Parse("hour").CanApply(*ts));
  EXPECT_FALSE(Transform::Parse("hour").CanApply(*date));
  EXPECT_FALSE(Transform::Parse("year").CanApply(*str));
  EXPECT_TRUE(Transform::Truncate(4).CanApply(*str));
  EXPECT_EQ(Transform::Parse("day").ResultType(ts)->kind, TypeKind::kDate);
  EXPECT_EQ(Transform::Bucket(8).ResultType(str)->kind, TypeKind::kInt);
  EXPECT_EQ(Transform::Identity().ResultType(str), str);
}

TEST(IcebergSingleValueTest, BoundsRoundTrip) {
  const TypePtr dec = DecimalType(9, 2);
  EXPECT_EQ(DecimalBytes(1420), std::string("\x05\x8c", 2));
  EXPECT_EQ(DecimalBytes(-1), std::string("\xff", 1));
  EXPECT_EQ(DecimalBytes(128), std::string("\x00\x80", 2));
  EXPECT_EQ(DeserializeValue(*dec, DecimalBytes(-1420), "t").ToString(), "-14.20");
  EXPECT_EQ(SerializeValue(*PrimitiveType(TypeKind::kInt), Value::Integer(1)), std::string("\x01\0\0\0", 4));
  EXPECT_EQ(DeserializeValue(*PrimitiveType(TypeKind::kLong), SerializeValue(*PrimitiveType(TypeKind::kLong), Value::BigInt(-5)), "t")
                .GetInt(),
            -5);
  EXPECT_EQ(DeserializeValue(*PrimitiveType(TypeKind::kString), "abc", "t").GetString(), "abc");
  try {
    DeserializeValue(*PrimitiveType(TypeKind::kLong), "abc", "m.avro");
    FAIL() << "no error";
  } catch (const InvalidInputError& e) {
    EXPECT_NE(std::string(e.what()).find("m.avro: a long bound of 3 bytes"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace sluice::iceberg
