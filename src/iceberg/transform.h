#pragma once

#include <optional>
#include <string>

#include "iceberg/iceberg_type.h"
#include "types/value.h"

namespace sluice::iceberg {

// A partition transform (spec: "Partition Transforms"): how a source column's value becomes
// a partition value. Hidden partitioning stores only the transform; queries filter on the
// source column and scans prune by the transformed values.
class Transform {
 public:
  enum class Kind { kIdentity, kBucket, kTruncate, kYear, kMonth, kDay, kHour, kVoid };

  // Parses the spec's names: "identity", "bucket[16]", "truncate[10]", "year", "month",
  // "day", "hour", "void". Throws InvalidInputError otherwise.
  static Transform Parse(const std::string& text);
  static Transform Identity() { return Transform(Kind::kIdentity, 0); }
  static Transform Bucket(int n) { return Transform(Kind::kBucket, n); }
  static Transform Truncate(int width) { return Transform(Kind::kTruncate, width); }

  Kind kind() const { return kind_; }
  int param() const { return param_; }
  std::string ToString() const;

  // Whether the transform applies to `source`; the result's type (int for bucket, year,
  // month and hour; date for day; the source type otherwise).
  bool CanApply(const Type& source) const;
  TypePtr ResultType(const TypePtr& source) const;

  // The partition value of `v` (a Sluice value of the source column; NULL stays NULL, as
  // does everything under void). REQUIRES: CanApply to the source's Iceberg type.
  Value Apply(const Value& v) const;

  // Whether values of `id` are held as one integer (Value::GetInt): the integers, DATE,
  // TIMESTAMP and TIME. Such values hash, compare and truncate as that integer.
  static bool IntegerLike(TypeId id);
  // Iceberg's hash of a value for bucketing (int and long hash as a long; date as its day
  // count; timestamp as micros; string as UTF-8; decimal as its minimal two's complement
  // big-endian unscaled bytes): vector/iceberg_hash.h, which the bucket exchange uses too.
  static int32_t Hash(const Value& v);

  friend bool operator==(const Transform& a, const Transform& b) {
    return a.kind_ == b.kind_ && a.param_ == b.param_;
  }

 private:
  Transform(Kind kind, int param) : kind_(kind), param_(param) {}

  Kind kind_;
  int param_;
};

}  // namespace sluice::iceberg
