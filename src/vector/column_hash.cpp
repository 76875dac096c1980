#include "vector/column_hash.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "common/hash.h"
#include "types/interval.h"

namespace sluice {

namespace {

template <typename T, typename HashFn>
void HashValues(const Column& column, size_t n, uint64_t* hashes, bool combine, HashFn hash) {
  const T* data = column.data<T>();
  if (column.is_constant()) {
    const uint64_t h = column.IsValid(0) ? hash(data[0]) : kNullHash;
    for (size_t i = 0; i < n; i++) hashes[i] = combine ? HashCombine(hashes[i], h) : h;
    return;
  }
  const bool nulls = column.validity() != nullptr;
  if (combine) {
    for (size_t i = 0; i < n; i++) {
      const uint64_t h = (nulls && !column.IsValid(i)) ? kNullHash : hash(data[i]);
      hashes[i] = HashCombine(hashes[i], h);
    }
  } else if (!nulls) {
    for (size_t i = 0; i < n; i++) hashes[i] = hash(data[i]);
  } else {
    for (size_t i = 0; i < n; i++) hashes[i] = column.IsValid(i) ? hash(data[i]) : kNullHash;
  }
}

void HashNested(const Column& column, size_t n, uint64_t* hashes, bool combine) {
  const bool constant = column.is_constant();
  const size_t m = constant ? 1 : n;
  std::vector<uint64_t> row_hash(m);
  if (column.type().HasListLayout()) {
    const Column& child = column.child(0);
    std::vector<uint64_t> element_hash(child.size());
    if (child.size() > 0) HashColumn(child, child.size(), element_hash.data(), false);
    const ListEntry* entries = column.list_entries();
    for (size_t i = 0; i < m; i++) {
      uint64_t h = HashInt(entries[i].length ^ 0x6c697374ULL);
      for (uint64_t j = 0; j < entries[i].length; j++) {
        h = HashCombine(h, element_hash[entries[i].offset + j]);
      }
      row_hash[i] = h;
    }
  } else {
    std::fill(row_hash.begin(), row_hash.end(), HashInt(0x73747275ULL));
    for (size_t f = 0; f < column.num_children(); f++) {
      HashColumn(column.child(f), m, row_hash.data(), true);
    }
  }
  for (size_t i = 0; i < n; i++) {
    const size_t r = constant ? 0 : i;
    const uint64_t h = column.IsValid(r) ? row_hash[r] : kNullHash;
    hashes[i] = combine ? HashCombine(hashes[i], h) : h;
  }
}

}  // namespace

void HashColumn(const Column& column, size_t n, uint64_t* hashes, bool combine) {
  auto int_hash = [](auto v) { return HashInt(static_cast<uint64_t>(static_cast<int64_t>(v))); };
  switch (column.type().id()) {
    case TypeId::kNull:
      for (size_t i = 0; i < n; i++) hashes[i] = combine ? HashCombine(hashes[i], kNullHash) : kNullHash;
      return;
    case TypeId::kBoolean:
      return HashValues<uint8_t>(column, n, hashes, combine, int_hash);
    case TypeId::kTinyInt:
      return HashValues<int8_t>(column, n, hashes, combine, int_hash);
    case TypeId::kSmallInt:
      return HashValues<int16_t>(column, n, hashes, combine, int_hash);
    case TypeId::kInteger:
    case TypeId::kDate:
      return HashValues<int32_t>(column, n, hashes, combine, int_hash);
    case TypeId::kBigInt:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kTime:
      return HashValues<int64_t>(column, n, hashes, combine, int_hash);
    case TypeId::kDouble:
      return HashValues<double>(column, n, hashes, combine, [](double d) {
        if (d == 0) d = 0;  // -0.0 and 0.0 are equal
        uint64_t bits;
        std::memcpy(&bits, &d, 8);
        return HashInt(bits);
      });
    case TypeId::kDecimal:
      if (column.type().IsWideDecimal()) {
        return HashValues<int128_t>(column, n, hashes, combine, [](int128_t v) {
          return HashCombine(HashInt(static_cast<uint64_t>(v)),
                             HashInt(static_cast<uint64_t>(v >> 64)));
        });
      }
      return HashValues<int64_t>(column, n, hashes, combine, int_hash);
    case TypeId::kVarchar:
    case TypeId::kBlob:
      return HashValues<StringView>(column, n, hashes, combine,
                                    [](const StringView& s) { return HashBytes(s.data(), s.size()); });
    case TypeId::kInterval:
      return HashValues<Interval>(column, n, hashes, combine, [](const Interval& v) {
        return HashCombine(HashInt(static_cast<uint64_t>(v.months) << 32 | static_cast<uint32_t>(v.days)),
                           HashInt(static_cast<uint64_t>(v.micros)));
      });
    case TypeId::kList:
    case TypeId::kStruct:
    case TypeId::kMap:
      return HashNested(column, n, hashes, combine);
  }
}

void SelectHashPartitions(const Batch& batch, const std::vector<int>& keys,
                          std::vector<uint64_t>* hashes,
                          std::vector<std::vector<uint32_t>>* selections) {
  const size_t rows = batch.num_rows();
  const int n = static_cast<int>(selections->size());
  hashes->resize(rows);
  for (size_t k = 0; k < keys.size(); k++) {
    HashColumn(*batch.column(keys[k]), rows, hashes->data(), k > 0);
  }
  for (size_t i = 0; i < rows; i++) {
    (*selections)[HashPartitionOf((*hashes)[i], n)].push_back(static_cast<uint32_t>(i));
  }
}

}  // namespace sluice
