#include "vector/iceberg_hash.h"

#include <algorithm>

#include "common/error.h"
#include "common/murmur3.h"

namespace sluice {

namespace {

// The hash of row `row` of `column`. REQUIRES: the row is valid; the type hashable.
int32_t HashRow(const Column& column, size_t row) {
  const size_t r = column.is_constant() ? 0 : row;
  switch (column.type().id()) {
    case TypeId::kTinyInt:
      return IcebergHashLong(column.data<int8_t>()[r]);
    case TypeId::kSmallInt:
      return IcebergHashLong(column.data<int16_t>()[r]);
    case TypeId::kInteger:
    case TypeId::kDate:
      return IcebergHashLong(column.data<int32_t>()[r]);
    case TypeId::kBigInt:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return IcebergHashLong(column.data<int64_t>()[r]);
    case TypeId::kDecimal:
      return IcebergHashDecimal(column.type().IsWideDecimal() ? column.data<int128_t>()[r]
                                                              : column.data<int64_t>()[r]);
    case TypeId::kVarchar:
    case TypeId::kBlob: {
      const StringView& s = column.data<StringView>()[r];
      return IcebergHashBytes(std::string_view(s.data(), s.size()));
    }
    default:
      break;
  }
  SLUICE_CHECK(false, "no Iceberg bucket hash for {} values", column.type().ToString());
  return 0;
}

}  // namespace

bool IcebergHashable(TypeId id) {
  switch (id) {
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInteger:
    case TypeId::kBigInt:
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kDecimal:
    case TypeId::kVarchar:
    case TypeId::kBlob:
      return true;
    default:
      return false;
  }
}

int32_t IcebergHashLong(int64_t v) {
  return Murmur3_32(&v, sizeof(v));  // little-endian 8 bytes, as the spec requires
}

int32_t IcebergHashBytes(std::string_view bytes) { return Murmur3_32(bytes.data(), bytes.size()); }

int32_t IcebergHashDecimal(int128_t unscaled) {
  const std::string bytes = DecimalBytes(unscaled);
  return Murmur3_32(bytes.data(), bytes.size());
}

std::string DecimalBytes(int128_t unscaled) {
  std::string be;
  for (int i = 15; i >= 0; i--) be.push_back(static_cast<char>((unscaled >> (8 * i)) & 0xff));
  // Drop leading bytes that only repeat the sign of the next one.
  size_t start = 0;
  while (start + 1 < be.size()) {
    const auto b = static_cast<unsigned char>(be[start]);
    const auto next = static_cast<unsigned char>(be[start + 1]);
    if ((b == 0x00 && (next & 0x80) == 0) || (b == 0xff && (next & 0x80) != 0)) {
      start++;
    } else {
      break;
    }
  }
  return be.substr(start);
}

void IcebergBuckets(const Column& column, size_t rows, int n, std::vector<int32_t>* out) {
  out->resize(rows);
  for (size_t i = 0; i < rows; i++) {
    (*out)[i] = column.IsValid(i) ? IcebergBucketOf(HashRow(column, i), n) : -1;
  }
}

void SelectIcebergBuckets(const Batch& batch, int key,
                          std::vector<std::vector<uint32_t>>* selections) {
  const size_t rows = batch.num_rows();
  std::vector<int32_t> buckets;
  IcebergBuckets(*batch.column(key), rows, static_cast<int>(selections->size()), &buckets);
  for (size_t i = 0; i < rows; i++) {
    (*selections)[static_cast<size_t>(std::max(0, buckets[i]))].push_back(static_cast<uint32_t>(i));
  }
}

}  // namespace sluice
