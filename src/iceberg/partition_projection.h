#pragma once

#include <optional>
#include <vector>

#include "iceberg/transform.h"
#include "types/value.h"

namespace sluice::iceberg {

// A predicate on one column's values that partition pruning understands: `column op literal`
// (one literal), `column IN (literals)`, `column IS [NOT] NULL`. Literals are non-NULL.
struct ColumnPredicate {
  enum class Op { kEq, kLt, kLtEq, kGt, kGtEq, kIn, kIsNull, kNotNull };
  Op op = Op::kEq;
  std::vector<Value> literals;
};

// Iceberg's inclusive projection (spec: "Scan Planning") of `predicate` on a source column
// through `transform`: a predicate on the partition value that the partition value of every
// row satisfying `predicate` satisfies, so a file whose partition value fails it holds no
// such row. nullopt when nothing can be said (a range under bucket, anything under void).
// REQUIRES: the literals have the source column's type and transform.CanApply to it.
// Thread-safe (pure).
std::optional<ColumnPredicate> ProjectInclusive(const Transform& transform,
                                                const ColumnPredicate& predicate);

// Whether partition value `value` (NULL allowed) may satisfy `projected`.
bool MayMatch(const ColumnPredicate& projected, const Value& value);

// Whether some partition value of a manifest whose field summary is (lower, upper,
// contains_null, contains_nan) may satisfy `projected` (bounds absent: no non-NULL, non-NaN
// value).
bool MayMatchRange(const ColumnPredicate& projected, const std::optional<Value>& lower,
                   const std::optional<Value>& upper, bool contains_null, bool contains_nan);

}  // namespace sluice::iceberg
