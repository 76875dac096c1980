#include "exec/sort_order.h"

#include "types/physical_dispatch.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <optional>
#include <utility>

#include "common/thread_pool.h"
#include "types/interval.h"
#include "types/string_view.h"
#include "types/value.h"
#include "vector/nested_key.h"

namespace sluice {

namespace {

// A row to sort: the normalized prefix of its first key, its NULL rank, its index.
struct SortEntry {
  uint64_t prefix;
  uint32_t row;
  uint32_t null_rank;  // 0 sorts before 1
};

constexpr uint64_t kSignBit = uint64_t{1} << 63;

// Order-preserving unsigned encodings of the physical types.
template <typename T>
uint64_t Normalize(const T& v) {
  if constexpr (std::is_same_v<T, double>) {
    double d = v == 0.0 ? 0.0 : v;
    if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();  // NaN sorts last
    const uint64_t bits = std::bit_cast<uint64_t>(d);
    return (bits & kSignBit) != 0 ? ~bits : bits | kSignBit;
  } else if constexpr (std::is_same_v<T, int128_t>) {
    return static_cast<uint64_t>(static_cast<unsigned __int128>(v) >> 64) ^ kSignBit;
  } else if constexpr (std::is_same_v<T, StringView>) {
    // The first 8 bytes big-endian: memcmp order on the prefix.
    uint8_t bytes[8] = {};
    std::memcpy(bytes, v.data(), std::min<uint32_t>(v.size(), 8));
    uint64_t p = 0;
    for (uint8_t b : bytes) p = (p << 8) | b;
    return p;
  } else if constexpr (std::is_same_v<T, Interval>) {
    return static_cast<uint64_t>(v.NormalizedMicros()) ^ kSignBit;
  } else if constexpr (std::is_same_v<T, uint8_t>) {
    return v;
  } else {
    return static_cast<uint64_t>(static_cast<int64_t>(v)) ^ kSignBit;
  }
}

template <typename T>
int CompareValues(const T& a, const T& b) {
  if constexpr (std::is_same_v<T, StringView>) {
    return a.Compare(b);
  } else if constexpr (std::is_same_v<T, double> || std::is_same_v<T, Interval>) {
    const uint64_t x = Normalize(a);
    const uint64_t y = Normalize(b);
    return x < y ? -1 : (x > y ? 1 : 0);
  } else {
    return a < b ? -1 : (a > b ? 1 : 0);
  }
}


// Compares rows a and b of one column by one key; NULLs placed per the key.
using KeyComparator = int (*)(const Column&, const SortKey&, size_t, size_t);

template <typename T>
int CompareKey(const Column& col, const SortKey& key, size_t a, size_t b) {
  const bool null_a = !col.IsValid(a);
  const bool null_b = !col.IsValid(b);
  if (null_a || null_b) {
    if (null_a == null_b) return 0;
    return (null_a == key.nulls_first) ? -1 : 1;
  }
  const int c = CompareValues(col.data<T>()[a], col.data<T>()[b]);
  return key.ascending ? c : -c;
}

// The total order on entries: null rank, prefix, remaining key columns, input position.
class EntryLess {
 public:
  // `exact_keys`: how many leading keys the prefix orders exactly (compared no further).
  EntryLess(const std::vector<ColumnPtr>& columns, const std::vector<SortKey>& keys,
            size_t exact_keys)
      : keys_(keys) {
    for (size_t k = exact_keys; k < keys.size(); k++) {
      const Column* col = columns[keys[k].column].get();
      VisitPhysicalType(col->type(), [&]<typename T>() { rest_.push_back({col, k, &CompareKey<T>}); });
    }
  }
  bool operator()(const SortEntry& a, const SortEntry& b) const {
    if (a.null_rank != b.null_rank) return a.null_rank < b.null_rank;
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    for (const Rest& r : rest_) {
      const int c = r.compare(*r.column, keys_[r.key], a.row, b.row);
      if (c != 0) return c < 0;
    }
    return a.row < b.row;
  }

 private:
  struct Rest {
    const Column* column;
    size_t key;
    KeyComparator compare;
  };
  const std::vector<SortKey>& keys_;
  std::vector<Rest> rest_;
};

bool FillEntries(const Column& col, const SortKey& key, size_t n, SortEntry* entries) {
  bool exact = true;
  VisitPhysicalType(col.type(), [&]<typename T>() {
    exact = !std::is_same_v<T, int128_t> && !std::is_same_v<T, StringView>;
    const T* data = col.data<T>();
    const uint32_t null_rank = key.nulls_first ? 0 : 1;
    for (size_t i = 0; i < n; i++) {
      SortEntry& e = entries[i];
      e.row = static_cast<uint32_t>(i);
      if (!col.IsValid(i)) {
        e.prefix = 0;
        e.null_rank = null_rank;
      } else {
        const uint64_t p = Normalize(data[i]);
        e.prefix = key.ascending ? p : ~p;
        e.null_rank = 1 - null_rank;
      }
    }
  });
  return exact;
}

// The value range [min, max] of an integer column (a DATE, TIMESTAMP, ... key), or nullopt
// when the column has NULLs or another physical type.
std::optional<std::pair<int64_t, int64_t>> IntegerRange(const Column& col, size_t n) {
  std::optional<std::pair<int64_t, int64_t>> out;
  if (n == 0 || col.validity() != nullptr || col.is_constant()) return out;
  VisitPhysicalType(col.type(), [&]<typename T>() {
    if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
      const T* data = col.data<T>();
      int64_t lo = data[0], hi = data[0];
      for (size_t i = 1; i < n; i++) {
        lo = std::min<int64_t>(lo, data[i]);
        hi = std::max<int64_t>(hi, data[i]);
      }
      out = std::make_pair(lo, hi);
    }
  });
  return out;
}

// Two integer keys without NULLs whose value ranges fit 64 bits together, e.g. (entity id,
// event time) under an ASOF join: each prefix becomes (first - min) shifted above (second -
// min), exact for both keys, so the sort compares the second key without reading its column.
// False (entries untouched) when they do not fit.
bool FillPackedEntries(const Column& first, const SortKey& first_key, const Column& second,
                       const SortKey& second_key, size_t n, SortEntry* entries) {
  const auto r0 = IntegerRange(first, n);
  const auto r1 = r0 ? IntegerRange(second, n) : std::nullopt;
  if (!r0 || !r1) return false;
  const auto span0 = static_cast<uint64_t>(r0->second) - static_cast<uint64_t>(r0->first);
  const auto span1 = static_cast<uint64_t>(r1->second) - static_cast<uint64_t>(r1->first);
  const int bits1 = std::bit_width(span1);
  if (std::bit_width(span0) + bits1 > 64) return false;
  std::vector<uint64_t> low(n);
  auto offsets = [&](const Column& col, const SortKey& key, std::pair<int64_t, int64_t> range,
                     auto&& store) {
    VisitPhysicalType(col.type(), [&]<typename T>() {
      if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
        const T* data = col.data<T>();
        for (size_t i = 0; i < n; i++) {
          const uint64_t v = key.ascending
                                 ? static_cast<uint64_t>(data[i]) - static_cast<uint64_t>(range.first)
                                 : static_cast<uint64_t>(range.second) - static_cast<uint64_t>(data[i]);
          store(i, v);
        }
      }
    });
  };
  offsets(second, second_key, *r1, [&](size_t i, uint64_t v) { low[i] = v; });
  offsets(first, first_key, *r0, [&](size_t i, uint64_t v) {
    // bits1 may be 64 only when the first key has a single value (span0 = 0).
    entries[i] = SortEntry{(bits1 >= 64 ? 0 : v << bits1) | low[i], static_cast<uint32_t>(i), 0};
  });
  return true;
}

template <typename T>
int CompareKeyAcross(const Column& ca, size_t a, const Column& cb, size_t b, const SortKey& key) {
  const bool null_a = !ca.IsValid(a);
  const bool null_b = !cb.IsValid(b);
  if (null_a || null_b) {
    if (null_a == null_b) return 0;
    return (null_a == key.nulls_first) ? -1 : 1;
  }
  const int c = CompareValues(ca.data<T>()[a], cb.data<T>()[b]);
  return key.ascending ? c : -c;
}

// LIST and STRUCT values (merging spilled runs): compared as Values, the order of their
// byte keys.
int CompareNestedAcross(const Column& ca, size_t a, const Column& cb, size_t b,
                        const SortKey& key) {
  const bool null_a = !ca.IsValid(a);
  const bool null_b = !cb.IsValid(b);
  if (null_a || null_b) {
    if (null_a == null_b) return 0;
    return (null_a == key.nulls_first) ? -1 : 1;
  }
  const int c = CompareValues(ca.GetValue(a), cb.GetValue(b));
  return key.ascending ? c : -c;
}

}  // namespace

SortKeyComparator GetSortKeyComparator(const LogicalType& type) {
  if (type.IsNested()) return &CompareNestedAcross;
  SortKeyComparator out = nullptr;
  VisitPhysicalType(type, [&]<typename T>() { out = &CompareKeyAcross<T>; });
  return out;
}

std::vector<uint32_t> ComputeSortOrder(const std::vector<ColumnPtr>& input,
                                       const std::vector<SortKey>& keys, size_t num_rows,
                                       std::optional<int64_t> limit, ThreadPool* pool) {
  // LIST and STRUCT keys sort by their order-preserving byte keys.
  std::vector<ColumnPtr> encoded;
  for (const SortKey& k : keys) {
    if (input[k.column]->type().IsNested()) [[unlikely]] {
      if (encoded.empty()) encoded = input;
      encoded[k.column] = EncodeNestedKeys(*input[k.column], num_rows);
    }
  }
  const std::vector<ColumnPtr>& columns = encoded.empty() ? input : encoded;
  std::vector<SortEntry> entries(num_rows);
  size_t exact_keys = 0;
  if (keys.empty()) {
    for (size_t i = 0; i < num_rows; i++) entries[i] = SortEntry{0, static_cast<uint32_t>(i), 0};
  } else if (keys.size() >= 2 &&
             FillPackedEntries(*columns[keys[0].column], keys[0], *columns[keys[1].column],
                               keys[1], num_rows, entries.data())) {
    exact_keys = 2;
  } else {
    exact_keys = FillEntries(*columns[keys[0].column], keys[0], num_rows, entries.data()) ? 1 : 0;
  }
  const EntryLess less(columns, keys, exact_keys);
  const size_t keep = limit.has_value()
                          ? std::min<size_t>(num_rows, static_cast<size_t>(std::max<int64_t>(*limit, 0)))
                          : num_rows;

  if (keep < num_rows) {
    // Top-N: select, then sort only the survivors.
    std::nth_element(entries.begin(), entries.begin() + keep, entries.end(), less);
    entries.resize(keep);
    std::sort(entries.begin(), entries.end(), less);
  } else {
    const int threads = pool != nullptr ? pool->threads() : 1;
    constexpr size_t kMinChunk = 16384;
    size_t chunks = std::min<size_t>(static_cast<size_t>(threads), num_rows / kMinChunk);
    if (chunks <= 1) {
      std::sort(entries.begin(), entries.end(), less);
    } else {
      std::vector<size_t> bounds(chunks + 1);
      for (size_t c = 0; c <= chunks; c++) bounds[c] = num_rows * c / chunks;
      pool->ParallelFor(static_cast<int>(chunks), [&](int c) {
        std::sort(entries.begin() + bounds[c], entries.begin() + bounds[c + 1], less);
      });
      // Merge neighbouring runs pairwise, in parallel within a round.
      std::vector<SortEntry> buffer(num_rows);
      while (bounds.size() > 2) {
        const size_t runs = bounds.size() - 1;
        const size_t pairs = runs / 2;
        pool->ParallelFor(static_cast<int>((runs + 1) / 2), [&](int p) {
          const size_t lo = bounds[2 * p];
          if (static_cast<size_t>(p) == pairs) {  // odd run out: copy through
            std::copy(entries.begin() + lo, entries.begin() + bounds[2 * p + 1],
                      buffer.begin() + lo);
            return;
          }
          const size_t mid = bounds[2 * p + 1];
          const size_t hi = bounds[2 * p + 2];
          std::merge(entries.begin() + lo, entries.begin() + mid, entries.begin() + mid,
                     entries.begin() + hi, buffer.begin() + lo, less);
        });
        entries.swap(buffer);
        std::vector<size_t> next;
        for (size_t b = 0; b < bounds.size(); b += 2) next.push_back(bounds[b]);
        if (next.back() != num_rows) next.push_back(num_rows);
        bounds.swap(next);
      }
    }
  }
  std::vector<uint32_t> order(entries.size());
  for (size_t i = 0; i < entries.size(); i++) order[i] = entries[i].row;
  return order;
}

}  // namespace sluice
