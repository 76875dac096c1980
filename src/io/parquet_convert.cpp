#include "io/parquet_convert.h"

#include <cstring>
#include <string_view>

#include "io/parquet_encoding.h"
#include "types/interval.h"

namespace sluice {

namespace {

// Days from the Julian day epoch to 1970-01-01 (INT96 timestamps).
constexpr int64_t kJulianUnixEpoch = 2440588;
constexpr int64_t kMicrosPerDay = 86400LL * 1000 * 1000;

template <typename T>
inline T Load(const void* base, size_t i) {
  T v;
  std::memcpy(&v, static_cast<const uint8_t*>(base) + i * sizeof(T), sizeof(T));
  return v;
}

// Floor division, so that pre-1970 nanosecond timestamps round down like DuckDB's.
inline int64_t FloorDiv(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && (a < 0)) ? q - 1 : q;
}

int128_t BigEndianDecimal(std::string_view b) {
  if (b.size() > 16) throw ParquetCorruption{"decimal value longer than 16 bytes"};
  int128_t v = (!b.empty() && (static_cast<uint8_t>(b[0]) & 0x80)) ? -1 : 0;
  for (const char c : b) v = (v << 8) | static_cast<uint8_t>(c);
  return v;
}

// Stores value_at(j) for the j-th non-NULL row, NULL elsewhere.
template <typename Out, typename F>
void Scatter(const uint8_t* defs, int max_def, size_t rows, Column* out, size_t offset,
             F&& value_at) {
  Out* dst = out->data<Out>() + offset;
  if (defs == nullptr) {
    for (size_t i = 0; i < rows; i++) dst[i] = value_at(i);
    return;
  }
  size_t j = 0;
  for (size_t i = 0; i < rows; i++) {
    if (defs[i] == max_def) {
      dst[i] = value_at(j++);
    } else {
      dst[i] = Out{};
      out->SetNull(offset + i);
    }
  }
}

}  // namespace

size_t ParquetPhysicalWidth(parquet::Type type) {
  switch (type) {
    case parquet::Type::kBoolean: return 1;
    case parquet::Type::kInt32:
    case parquet::Type::kFloat: return 4;
    case parquet::Type::kInt64:
    case parquet::Type::kDouble: return 8;
    case parquet::Type::kInt96: return 12;
    case parquet::Type::kByteArray:
    case parquet::Type::kFixedLenByteArray: return sizeof(std::string_view);
  }
  return 16;
}

void ParquetConvert(const ParquetLeaf& leaf, const void* p, size_t nonnull, const uint8_t* defs,
                    size_t rows, Column* out, size_t offset) {
  (void)nonnull;
  const int d = leaf.max_def;
  const auto* views = static_cast<const std::string_view*>(p);
  switch (leaf.conversion) {
    case ParquetConversion::kBoolean:
      Scatter<uint8_t>(defs, d, rows, out, offset, [&](size_t j) { return Load<uint8_t>(p, j) ? 1 : 0; });
      return;
    case ParquetConversion::kInt32ToInt8:
      Scatter<int8_t>(defs, d, rows, out, offset, [&](size_t j) { return static_cast<int8_t>(Load<int32_t>(p, j)); });
      return;
    case ParquetConversion::kInt32ToInt16:
      Scatter<int16_t>(defs, d, rows, out, offset, [&](size_t j) { return static_cast<int16_t>(Load<int32_t>(p, j)); });
      return;
    case ParquetConversion::kInt32:
      if (defs == nullptr) {
        std::memcpy(out->data<int32_t>() + offset, p, rows * 4);
        return;
      }
      Scatter<int32_t>(defs, d, rows, out, offset, [&](size_t j) { return Load<int32_t>(p, j); });
      return;
    case ParquetConversion::kInt32ToInt64:
      Scatter<int64_t>(defs, d, rows, out, offset, [&](size_t j) { return int64_t{Load<int32_t>(p, j)}; });
      return;
    case ParquetConversion::kUint32ToInt64:
      Scatter<int64_t>(defs, d, rows, out, offset, [&](size_t j) { return int64_t{Load<uint32_t>(p, j)}; });
      return;
    case ParquetConversion::kInt32ToInt128:
      Scatter<int128_t>(defs, d, rows, out, offset, [&](size_t j) { return int128_t{Load<int32_t>(p, j)}; });
      return;
    case ParquetConversion::kInt64:
      if (defs == nullptr) {
        std::memcpy(out->data<int64_t>() + offset, p, rows * 8);
        return;
      }
      Scatter<int64_t>(defs, d, rows, out, offset, [&](size_t j) { return Load<int64_t>(p, j); });
      return;
    case ParquetConversion::kInt64ToInt128:
      Scatter<int128_t>(defs, d, rows, out, offset, [&](size_t j) { return int128_t{Load<int64_t>(p, j)}; });
      return;
    case ParquetConversion::kUint64ToInt128:
      Scatter<int128_t>(defs, d, rows, out, offset, [&](size_t j) { return int128_t{Load<uint64_t>(p, j)}; });
      return;
    case ParquetConversion::kTimestampMillis:
      Scatter<int64_t>(defs, d, rows, out, offset, [&](size_t j) {
        return static_cast<int64_t>(static_cast<uint64_t>(Load<int64_t>(p, j)) * 1000);
      });
      return;
    case ParquetConversion::kTimeMillis:
      Scatter<int64_t>(defs, d, rows, out, offset, [&](size_t j) { return int64_t{Load<int32_t>(p, j)} * 1000; });
      return;
    case ParquetConversion::kTimestampNanos:
      Scatter<int64_t>(defs, d, rows, out, offset, [&](size_t j) { return FloorDiv(Load<int64_t>(p, j), 1000); });
      return;
    case ParquetConversion::kInt96Timestamp:
      Scatter<int64_t>(defs, d, rows, out, offset, [&](size_t j) {
        const auto* rec = static_cast<const uint8_t*>(p) + j * 12;
        int64_t nanos;
        uint32_t day;
        std::memcpy(&nanos, rec, 8);
        std::memcpy(&day, rec + 8, 4);
        const uint64_t micros = static_cast<uint64_t>(int64_t{day} - kJulianUnixEpoch) * kMicrosPerDay +
                                static_cast<uint64_t>(FloorDiv(nanos, 1000));
        return static_cast<int64_t>(micros);
      });
      return;
    case ParquetConversion::kFloat:
      Scatter<double>(defs, d, rows, out, offset, [&](size_t j) { return double{Load<float>(p, j)}; });
      return;
    case ParquetConversion::kDouble:
      if (defs == nullptr) {
        std::memcpy(out->data<double>() + offset, p, rows * 8);
        return;
      }
      Scatter<double>(defs, d, rows, out, offset, [&](size_t j) { return Load<double>(p, j); });
      return;
    case ParquetConversion::kString: {
      // One heap allocation for all the strings too long to inline.
      size_t heap_bytes = 0;
      for (size_t j = 0; j < nonnull; j++) {
        if (views[j].size() > StringView::kInlineSize) heap_bytes += views[j].size();
      }
      char* heap = heap_bytes > 0 ? out->OwnHeap().Allocate(heap_bytes) : nullptr;
      Scatter<StringView>(defs, d, rows, out, offset, [&](size_t j) {
        const std::string_view v = views[j];
        if (v.size() <= StringView::kInlineSize) return StringView(v);
        std::memcpy(heap, v.data(), v.size());
        const StringView copy(heap, static_cast<uint32_t>(v.size()));
        heap += v.size();
        return copy;
      });
      return;
    }
    case ParquetConversion::kBytesToDecimal64:
      Scatter<int64_t>(defs, d, rows, out, offset, [&](size_t j) {
        return static_cast<int64_t>(BigEndianDecimal(views[j]));
      });
      return;
    case ParquetConversion::kBytesToDecimal128:
      Scatter<int128_t>(defs, d, rows, out, offset, [&](size_t j) { return BigEndianDecimal(views[j]); });
      return;
    case ParquetConversion::kInterval:
      Scatter<Interval>(defs, d, rows, out, offset, [&](size_t j) {
        uint32_t f[3];
        if (views[j].size() != 12) throw ParquetCorruption{"INTERVAL value is not 12 bytes"};
        std::memcpy(f, views[j].data(), 12);
        Interval v;
        v.months = static_cast<int32_t>(f[0]);
        v.days = static_cast<int32_t>(f[1]);
        v.micros = int64_t{f[2]} * 1000;
        return v;
      });
      return;
  }
}

}  // namespace sluice
