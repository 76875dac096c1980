#include "exec/window_frame.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "common/error.h"
#include "exec/window.h"
#include "types/physical_dispatch.h"

namespace sluice {

namespace {

// Marks boundary[i] = 1 where row i differs from row i - 1 in `col` (NULLs equal each
// other; -0.0 equals 0.0 and NaN equals NaN, as the sort orders them).
void MarkChanges(const Column& col, size_t n, std::vector<uint8_t>& boundary) {
  VisitPhysicalType(col.type(), [&]<typename T>() {
    const T* data = col.data<T>();
    for (size_t i = 1; i < n; i++) {
      if (boundary[i]) continue;
      const bool va = col.IsValid(i - 1), vb = col.IsValid(i);
      if (va != vb) {
        boundary[i] = 1;
        continue;
      }
      if (!va) continue;
      bool equal;
      if constexpr (std::is_same_v<T, StringView>) {
        equal = data[i - 1].Compare(data[i]) == 0;
      } else if constexpr (std::is_same_v<T, double>) {
        equal = data[i - 1] == data[i] || (std::isnan(data[i - 1]) && std::isnan(data[i]));
      } else if constexpr (std::is_same_v<T, Interval>) {
        equal = data[i - 1].NormalizedMicros() == data[i].NormalizedMicros();
      } else {
        equal = data[i - 1] == data[i];
      }
      if (!equal) boundary[i] = 1;
    }
  });
}

void Number(const std::vector<uint8_t>& boundary, size_t n, std::vector<uint32_t>* of,
            std::vector<uint32_t>* starts) {
  of->resize(n);
  starts->clear();
  for (size_t i = 0; i < n; i++) {
    if (i == 0 || boundary[i]) starts->push_back(static_cast<uint32_t>(i));
    (*of)[i] = static_cast<uint32_t>(starts->size() - 1);
  }
  starts->push_back(static_cast<uint32_t>(n));
}

// The numeric value of row i of a RANGE order key, negated for DESC so that the rows of a
// partition are ascending.
class RangeKey {
 public:
  RangeKey(const Column& col, bool ascending) : col_(col), sign_(ascending ? 1.0 : -1.0) {
    const LogicalType& t = col.type();
    if (!t.IsNumeric()) {
      throw InvalidInputError(fmt::format(
          "RANGE with an offset needs a numeric ORDER BY key, not {}", t.ToString()));
    }
    if (t.id() == TypeId::kDecimal) scale_ = std::pow(10.0, t.scale());
  }
  double At(size_t i) const {
    double v = 0;
    VisitPhysicalType(col_.type(), [&]<typename T>() {
      if constexpr (std::is_arithmetic_v<T> || std::is_same_v<T, int128_t>) {
        v = static_cast<double>(col_.data<T>()[i]);
      }
    });
    return sign_ * v / scale_;
  }

 private:
  const Column& col_;
  double sign_;
  double scale_ = 1.0;
};

// First row j in [lo, hi) with key(j) >= target (strict: > target).
uint32_t LowerBound(const RangeKey& key, uint32_t lo, uint32_t hi, double target, bool strict) {
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    const double v = key.At(mid);
    if (strict ? v <= target : v < target) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

}  // namespace

WindowLayout ComputeWindowLayout(const std::vector<ColumnPtr>& columns,
                                 const std::vector<int>& partition_keys,
                                 const std::vector<SortKey>& order_keys, size_t num_rows) {
  WindowLayout layout;
  std::vector<uint8_t> boundary(num_rows, 0);
  for (int k : partition_keys) MarkChanges(*columns[k], num_rows, boundary);
  Number(boundary, num_rows, &layout.part_of, &layout.part_starts);
  for (const auto& k : order_keys) MarkChanges(*columns[k.column], num_rows, boundary);
  Number(boundary, num_rows, &layout.peer_of, &layout.peer_starts);
  return layout;
}

void ComputeWindowFrames(const WindowLayout& layout, const WindowFunction& fn,
                         const Column* order_key, const SortKey* key,
                         std::vector<uint32_t>* begin, std::vector<uint32_t>* end) {
  const size_t n = layout.num_rows();
  begin->resize(n);
  end->resize(n);
  const bool range_offsets =
      fn.unit == WindowFrameUnit::kRange &&
      (fn.start == WindowBoundKind::kPreceding || fn.start == WindowBoundKind::kFollowing ||
       fn.end == WindowBoundKind::kPreceding || fn.end == WindowBoundKind::kFollowing);
  std::optional<RangeKey> range;
  if (range_offsets) {
    if (order_key == nullptr) {
      throw InvalidInputError("RANGE with an offset needs exactly one ORDER BY key");
    }
    range.emplace(*order_key, key->ascending);
  }
  const auto rows_offset = [](double d) { return static_cast<int64_t>(d); };

  for (size_t i = 0; i < n; i++) {
    const int64_t ps = layout.PartBegin(i), pe = layout.PartEnd(i);
    const int64_t row = static_cast<int64_t>(i);
    // Bound positions: `is_end` bounds are exclusive ends.
    auto bound = [&](WindowBoundKind kind, double offset, bool is_end) -> int64_t {
      switch (kind) {
        case WindowBoundKind::kUnboundedPreceding: return ps;
        case WindowBoundKind::kUnboundedFollowing: return pe;
        default: break;
      }
      if (fn.unit == WindowFrameUnit::kRows) {
        int64_t at = row;
        if (kind == WindowBoundKind::kPreceding) at -= rows_offset(offset);
        if (kind == WindowBoundKind::kFollowing) at += rows_offset(offset);
        return std::clamp<int64_t>(is_end ? at + 1 : at, ps, pe);
      }
      if (kind == WindowBoundKind::kCurrentRow) {
        return is_end ? layout.PeerEnd(i) : layout.PeerBegin(i);
      }
      if (fn.unit == WindowFrameUnit::kGroups) {
        const int64_t first = layout.peer_of[ps], last = layout.peer_of[pe - 1];
        int64_t g = layout.peer_of[i];
        g += kind == WindowBoundKind::kPreceding ? -rows_offset(offset) : rows_offset(offset);
        if (g < first) return ps;
        if (g > last) return pe;
        return is_end ? layout.peer_starts[g + 1] : layout.peer_starts[g];
      }
      // RANGE with an offset: NULL keys frame their own peer group; the others search the
      // non-NULL run of the partition.
      if (order_key->IsNull(i)) return is_end ? layout.PeerEnd(i) : layout.PeerBegin(i);
      int64_t lo = ps, hi = pe;
      if (order_key->IsNull(ps)) lo = layout.PeerEnd(ps);
      if (order_key->IsNull(pe - 1)) hi = layout.PeerBegin(pe - 1);
      const double target =
          range->At(i) + (kind == WindowBoundKind::kPreceding ? -offset : offset);
      return LowerBound(*range, static_cast<uint32_t>(lo), static_cast<uint32_t>(hi), target,
                        is_end);
    };
    const int64_t b = bound(fn.start, fn.start_offset, false);
    const int64_t e = bound(fn.end, fn.end_offset, true);
    (*begin)[i] = static_cast<uint32_t>(b);
    (*end)[i] = static_cast<uint32_t>(std::max(b, e));
  }
}

}  // namespace sluice
