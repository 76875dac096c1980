#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "types/interval.h"
#include "types/logical_type.h"
#include "types/string_view.h"
#include "vector/column.h"

namespace sluice {

// Three-way comparison of two non-NULL values. It orders values exactly as ComputeSortOrder
// (sort_order.cpp) does, since the merge joins rely on their Sort children's order: doubles
// with -0 = 0 and all NaNs equal and last, intervals by normalized micros.
template <typename T>
int CompareKeyValue(const T& a, const T& b) {
  if constexpr (std::is_same_v<T, StringView>) {
    return a.Compare(b);
  } else if constexpr (std::is_same_v<T, double>) {
    auto norm = [](double d) {
      d = d == 0.0 ? 0.0 : d;
      if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();
      const uint64_t bits = std::bit_cast<uint64_t>(d);
      constexpr uint64_t kSign = uint64_t{1} << 63;
      return (bits & kSign) != 0 ? ~bits : bits | kSign;
    };
    const uint64_t x = norm(a);
    const uint64_t y = norm(b);
    return x < y ? -1 : (x > y ? 1 : 0);
  } else if constexpr (std::is_same_v<T, Interval>) {
    const int64_t x = a.NormalizedMicros();
    const int64_t y = b.NormalizedMicros();
    return x < y ? -1 : (x > y ? 1 : 0);
  } else {
    return a < b ? -1 : (a > b ? 1 : 0);
  }
}

// Compares row i of `a` with row j of `b` (same type, both rows non-NULL).
using RowCompare = int (*)(const Column& a, size_t i, const Column& b, size_t j);

template <typename T>
int CompareKeyRows(const Column& a, size_t i, const Column& b, size_t j) {
  return CompareKeyValue(a.data<T>()[i], b.data<T>()[j]);
}

// The RowCompare for a flat (non-nested) type.
RowCompare MakeRowCompare(const LogicalType& type);

}  // namespace sluice
