#include "io/parquet_column_writer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string_view>
#include <type_traits>

#include "common/byte_compare.h"
#include "common/error.h"
#include "common/hash.h"
#include "io/parquet_compression.h"
#include "io/parquet_encoding.h"
#include "types/interval.h"

namespace sluice {

namespace {

using parquet::Encoding;
using parquet::Type;

// Strings longer than this get no min / max (statistics would bloat the footer).
constexpr size_t kMaxStatBytes = 256;
constexpr size_t kMaxPageRows = 100000;
constexpr uint32_t kEmptySlot = UINT32_MAX;

template <typename T>
void Put(std::string* out, T v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof(T));
}

void PutBigEndian128(std::string* out, int128_t v) {
  char b[16];
  for (int i = 15; i >= 0; i--) {
    b[i] = static_cast<char>(static_cast<uint8_t>(v & 0xff));
    v >>= 8;
  }
  out->append(b, 16);
}

// Appends the PLAIN bytes of a non-NULL value (booleans: one byte, packed later).
void AppendPlain(const Column& col, size_t row, Type type, std::string* out) {
  switch (col.type().id()) {
    case TypeId::kBoolean: out->push_back(col.data<uint8_t>()[row] ? 1 : 0); return;
    case TypeId::kTinyInt: Put<int32_t>(out, col.data<int8_t>()[row]); return;
    case TypeId::kSmallInt: Put<int32_t>(out, col.data<int16_t>()[row]); return;
    case TypeId::kInteger:
    case TypeId::kDate: Put<int32_t>(out, col.data<int32_t>()[row]); return;
    case TypeId::kBigInt:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kTime: Put<int64_t>(out, col.data<int64_t>()[row]); return;
    case TypeId::kDouble: Put<double>(out, col.data<double>()[row]); return;
    case TypeId::kDecimal:
      if (col.type().IsWideDecimal()) {
        PutBigEndian128(out, col.data<int128_t>()[row]);
      } else if (type == Type::kInt32) {
        Put<int32_t>(out, static_cast<int32_t>(col.data<int64_t>()[row]));
      } else {
        Put<int64_t>(out, col.data<int64_t>()[row]);
      }
      return;
    case TypeId::kVarchar:
    case TypeId::kBlob: {
      const StringView& s = col.data<StringView>()[row];
      Put<uint32_t>(out, s.size());
      out->append(s.data(), s.size());
      return;
    }
    case TypeId::kInterval: {
      const Interval& v = col.data<Interval>()[row];
      Put<uint32_t>(out, static_cast<uint32_t>(v.months));
      Put<uint32_t>(out, static_cast<uint32_t>(v.days));
      Put<uint32_t>(out, static_cast<uint32_t>(v.micros / 1000));
      return;
    }
    case TypeId::kNull: return;
  }
}

// Orders two PLAIN values (as statistics bytes) of a physical type.
int ComparePlain(Type type, std::string_view a, std::string_view b) {
  auto sign = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  auto load = [](std::string_view s, auto zero) {
    decltype(zero) v;
    std::memcpy(&v, s.data(), sizeof(v));
    return v;
  };
  switch (type) {
    case Type::kBoolean: return sign(a[0], b[0]);
    case Type::kInt32: return sign(load(a, int32_t{}), load(b, int32_t{}));
    case Type::kInt64: return sign(load(a, int64_t{}), load(b, int64_t{}));
    case Type::kDouble: return sign(load(a, double{}), load(b, double{}));
    case Type::kFixedLenByteArray:  // big-endian two's complement decimals
      if ((a[0] ^ b[0]) & 0x80) return (a[0] & 0x80) ? -1 : 1;
      [[fallthrough]];
    default: {  // byte-wise, unsigned
      const int c = CompareBytes(a.data(), b.data(), std::min(a.size(), b.size()));
      return c != 0 ? c : sign(a.size(), b.size());
    }
  }
}

bool SameBytes(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CompareBytes(a.data(), b.data(), a.size()) == 0;
}

int BitWidth(uint64_t max_value) {
  int w = 0;
  while (max_value > 0) {
    w++;
    max_value >>= 1;
  }
  return std::max(w, 1);
}

// Whether a dictionary of `dict_bytes` (its PLAIN values) for `n` values still pays: it and
// the bit-packed indices must come to at most half of the values' PLAIN bytes. Near-unique
// columns (keys, prices, comments) are written PLAIN, which also compresses better there;
// since a dictionary only grows, the check ends a hopeless one early.
bool DictionaryPays(size_t dict_bytes, size_t distinct, size_t n, size_t plain_bytes) {
  const size_t index_bytes = n * static_cast<size_t>(BitWidth(distinct - 1)) / 8;
  return 2 * (dict_bytes + index_bytes) <= plain_bytes;
}

class ChunkWriter {
 public:
  ChunkWriter(const parquet::SchemaElement& element, const ParquetWriteOptions& options,
              int64_t file_offset, std::string* out, ParquetChunkBuffers* buffers)
      : type_(*element.type),
        options_(options),
        file_offset_(file_offset),
        out_(out),
        defs_(buffers->defs),
        plain_(buffers->plain),
        offsets_(buffers->offsets),
        dict_values_(buffers->dict_values),
        indices_(buffers->indices),
        body_(buffers->body),
        levels_(buffers->levels),
        compressed_(buffers->compressed),
        header_bytes_(buffers->header_bytes) {
    defs_.clear();
    plain_.clear();
    offsets_.clear();
    dict_values_.clear();
    indices_.clear();
    meta_.type = type_;
    meta_.path_in_schema = {element.name};
    meta_.codec = options.codec;
  }

  // Writes a nested leaf: Collect's 0/1 definition levels become the leaf's levels (a value
  // is present exactly where its level is the maximum).
  parquet::ColumnMetaData WriteLeaf(const ParquetShreddedLeaf& leaf) {
    leaf_ = &leaf;
    meta_.path_in_schema = leaf.path;
    const size_t n = leaf.values->size();
    Collect({Batch({leaf.values}, n)}, 0);
    SLUICE_CHECK(defs_.size() == leaf.defs.size(), "levels {} values {}", leaf.defs.size(),
                 defs_.size());
    defs_.assign(leaf.defs.begin(), leaf.defs.end());
    max_def_ = static_cast<uint32_t>(leaf.max_def);
    return Write({}, -1);
  }

  parquet::ColumnMetaData Write(const std::vector<Batch>& batches, int column) {
    if (column >= 0) Collect(batches, column);
    const bool dictionary = options_.dictionary && type_ != Type::kBoolean && BuildDictionary();
    if (dictionary) {
      meta_.dictionary_page_offset = Position();
      std::string dict;
      for (const std::string_view v : dict_values_) dict.append(v);
      parquet::PageHeader header;
      header.type = parquet::PageType::kDictionaryPage;
      header.dictionary_page.emplace();
      header.dictionary_page->num_values = static_cast<int32_t>(dict_values_.size());
      header.dictionary_page->encoding = Encoding::kPlain;
      EmitPage(&header, dict);
      meta_.encodings = {Encoding::kPlain, Encoding::kRle, Encoding::kRleDictionary};
    } else {
      meta_.encodings = {Encoding::kPlain, Encoding::kRle};
    }
    meta_.data_page_offset = Position();
    size_t row = 0, value = 0;
    while (row < defs_.size() || (row == 0 && defs_.empty())) {
      size_t end_row = row, end_value = value, bytes = 0;
      while (end_row < defs_.size() &&
             ((end_row - row < kMaxPageRows && bytes < static_cast<size_t>(options_.page_bytes)) ||
              (leaf_ != nullptr && leaf_->reps[end_row] != 0))) {
        if (defs_[end_row++] == max_def_) {
          bytes += offsets_[end_value + 1] - offsets_[end_value];
          end_value++;
        }
      }
      WriteDataPage(row, end_row, value, end_value, dictionary);
      row = end_row;
      value = end_value;
      if (defs_.empty()) break;
    }
    meta_.num_values = static_cast<int64_t>(defs_.size());
    meta_.statistics = Statistics();
    return meta_;
  }

 private:
  int64_t Position() const { return file_offset_ + static_cast<int64_t>(out_->size()); }
  std::string_view Value(size_t i) const {
    return std::string_view(plain_).substr(offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  // The value as statistics bytes: PLAIN without the length of a BYTE_ARRAY.
  std::string_view StatBytes(size_t i) const {
    std::string_view v = Value(i);
    return type_ == Type::kByteArray ? v.substr(4) : v;
  }

  void Collect(const std::vector<Batch>& batches, int column) {
    size_t rows = 0;
    for (const Batch& batch : batches) rows += batch.num_rows();
    defs_.reserve(rows);
    offsets_.reserve(rows + 1);
    offsets_.push_back(0);
    for (const Batch& batch : batches) {
      const ColumnPtr& ptr = batch.column(column);
      const ColumnPtr flat = ptr->Flatten(ptr);
      const Column& col = *flat;
      const bool all_null = col.type().id() == TypeId::kNull;
      const bool stats = !(type_ == Type::kFixedLenByteArray && col.type().id() == TypeId::kInterval);
      if (plain_.capacity() < plain_.size() + batch.num_rows() * 8) {
        plain_.reserve(std::max(plain_.capacity() * 2, plain_.size() + rows * 8));
      }
      if (!all_null && CollectFixed(col, batch.num_rows())) continue;
      for (size_t r = 0; r < batch.num_rows(); r++) {
        const bool valid = !all_null && col.IsValid(r);
        defs_.push_back(valid ? 1 : 0);
        if (!valid) {
          null_count_++;
          continue;
        }
        AppendPlain(col, r, type_, &plain_);
        offsets_.push_back(plain_.size());
        if (!stats) continue;
        const size_t i = offsets_.size() - 2;
        if (type_ == Type::kDouble && std::isnan(col.data<double>()[r])) continue;
        if (!has_stats_) {
          min_ = max_ = i;
          has_stats_ = true;
        } else if (ComparePlain(type_, StatBytes(i), StatBytes(min_)) < 0) {
          min_ = i;
        } else if (ComparePlain(type_, StatBytes(i), StatBytes(max_)) > 0) {
          max_ = i;
        }
      }
    }
  }

  // The common fixed-width columns whose PLAIN bytes are their in-memory values, without
  // the per-value dispatch of AppendPlain and ComparePlain; false for any other column.
  bool CollectFixed(const Column& col, size_t rows) {
    switch (col.type().id()) {
      case TypeId::kInteger:
      case TypeId::kDate: return type_ == Type::kInt32 && (CollectValues<int32_t>(col, rows), true);
      case TypeId::kBigInt:
      case TypeId::kTimestamp:
      case TypeId::kTimestampTz:
      case TypeId::kTime: return type_ == Type::kInt64 && (CollectValues<int64_t>(col, rows), true);
      case TypeId::kDecimal:
        return !col.type().IsWideDecimal() && type_ == Type::kInt64 &&
               (CollectValues<int64_t>(col, rows), true);
      case TypeId::kDouble: return type_ == Type::kDouble && (CollectValues<double>(col, rows), true);
      default: return false;
    }
  }

  template <typename T>
  void CollectValues(const Column& col, size_t rows) {
    const T* data = col.data<T>();
    T lo{}, hi{};
    if (has_stats_) {
      std::memcpy(&lo, plain_.data() + offsets_[min_], sizeof(T));
      std::memcpy(&hi, plain_.data() + offsets_[max_], sizeof(T));
    }
    for (size_t r = 0; r < rows; r++) {
      if (!col.IsValid(r)) {
        defs_.push_back(0);
        null_count_++;
        continue;
      }
      defs_.push_back(1);
      const T v = data[r];
      plain_.append(reinterpret_cast<const char*>(&v), sizeof(T));
      offsets_.push_back(plain_.size());
      if constexpr (std::is_floating_point_v<T>) {
        if (std::isnan(v)) continue;
      }
      const size_t i = offsets_.size() - 2;
      if (!has_stats_) {
        lo = hi = v;
        min_ = max_ = i;
        has_stats_ = true;
      } else if (v < lo) {
        lo = v;
        min_ = i;
      } else if (hi < v) {
        hi = v;
        max_ = i;
      }
    }
  }

  // Dictionary-encodes the values into dict_values_ / indices_, with an open-addressing
  // table of value numbers keyed by the values' bytes; false (and nothing kept) when the
  // distinct values outgrow options_.dictionary_max_bytes.
  bool BuildDictionary() {
    if (type_ == Type::kInt32) return BuildWordDictionary<uint32_t>();
    if (type_ == Type::kInt64 || type_ == Type::kDouble) return BuildWordDictionary<uint64_t>();
    const size_t n = offsets_.size() - 1;
    std::vector<uint32_t> slots(64, kEmptySlot);  // dictionary index per slot
    std::vector<uint64_t> hashes;                  // hash per dictionary value
    size_t dict_bytes = 0;
    indices_.reserve(n);
    auto grow = [&] {
      std::vector<uint32_t> bigger(slots.size() * 2, kEmptySlot);
      const size_t mask = bigger.size() - 1;
      for (uint32_t d = 0; d < dict_values_.size(); d++) {
        size_t s = hashes[d] & mask;
        while (bigger[s] != kEmptySlot) s = (s + 1) & mask;
        bigger[s] = d;
      }
      slots.swap(bigger);
    };
    for (size_t i = 0; i < n; i++) {
      const std::string_view v = Value(i);
      const uint64_t h = HashBytes(v.data(), v.size());
      const size_t mask = slots.size() - 1;
      size_t s = h & mask;
      while (slots[s] != kEmptySlot &&
             (hashes[slots[s]] != h || !SameBytes(dict_values_[slots[s]], v))) {
        s = (s + 1) & mask;
      }
      if (slots[s] == kEmptySlot) {
        dict_bytes += v.size();
        if (dict_bytes > static_cast<size_t>(options_.dictionary_max_bytes) ||
            !DictionaryPays(dict_bytes, dict_values_.size() + 1, n, plain_.size())) {
          dict_values_.clear();
          indices_.clear();
          return false;
        }
        slots[s] = static_cast<uint32_t>(dict_values_.size());
        dict_values_.push_back(v);
        hashes.push_back(h);
        indices_.push_back(slots[s]);
        if (dict_values_.size() * 2 > slots.size()) grow();
        continue;
      }
      indices_.push_back(slots[s]);
    }
    return true;
  }

  // BuildDictionary for 4- and 8-byte values (INT32, INT64, DOUBLE by its bits), whose PLAIN
  // bytes lie back to back in plain_: each slot holds the value itself beside its dictionary
  // index, so a probe touches one slot instead of a slot, a hash and the value's bytes (the
  // probe loop is the writer's hottest; a row group's keys miss the cache at every step).
  template <typename W>
  bool BuildWordDictionary() {
    struct Slot {
      W value;
      uint32_t index;  // kEmptySlot when free
    };
    const size_t n = offsets_.size() - 1;
    const char* values = plain_.data();
    const size_t max_values = static_cast<size_t>(options_.dictionary_max_bytes) / sizeof(W);
    std::vector<Slot> slots(64, Slot{W{}, kEmptySlot});
    size_t mask = slots.size() - 1;
    indices_.resize(n);
    uint32_t* indices = indices_.data();
    uint32_t distinct = 0;
    for (size_t i = 0; i < n; i++) {
      W v;
      std::memcpy(&v, values + i * sizeof(W), sizeof(W));
      size_t s = HashInt(v) & mask;
      while (slots[s].index != kEmptySlot && slots[s].value != v) s = (s + 1) & mask;
      if (slots[s].index != kEmptySlot) {
        indices[i] = slots[s].index;
        continue;
      }
      // The dictionary would outgrow dictionary_max_bytes, or no longer pay.
      if (distinct >= max_values ||
          !DictionaryPays((size_t{distinct} + 1) * sizeof(W), size_t{distinct} + 1, n, n * sizeof(W))) {
        dict_values_.clear();
        indices_.clear();
        return false;
      }
      slots[s] = Slot{v, distinct};
      dict_values_.push_back(Value(i));
      indices[i] = distinct++;
      if (size_t{distinct} * 2 > slots.size()) {
        std::vector<Slot> bigger(slots.size() * 2, Slot{W{}, kEmptySlot});
        mask = bigger.size() - 1;
        for (const Slot& slot : slots) {
          if (slot.index == kEmptySlot) continue;
          size_t t = HashInt(slot.value) & mask;
          while (bigger[t].index != kEmptySlot) t = (t + 1) & mask;
          bigger[t] = slot;
        }
        slots.swap(bigger);
      }
    }
    return true;
  }

  void WriteDataPage(size_t row, size_t end_row, size_t value, size_t end_value, bool dictionary) {
    body_.clear();
    levels_.clear();
    if (leaf_ != nullptr && leaf_->max_rep > 0) {
      RleBitPackedEncode(leaf_->reps.data() + row, end_row - row,
                         BitWidth(static_cast<uint64_t>(leaf_->max_rep)), &levels_);
      Put<uint32_t>(&body_, static_cast<uint32_t>(levels_.size()));
      body_.append(levels_);
      levels_.clear();
    }
    RleBitPackedEncode(defs_.data() + row, end_row - row, BitWidth(max_def_), &levels_);
    Put<uint32_t>(&body_, static_cast<uint32_t>(levels_.size()));
    body_.append(levels_);
    if (dictionary) {
      // A page of only NULLs has an empty dictionary: its indices take no bits.
      const int width = dict_values_.empty() ? 0 : BitWidth(dict_values_.size() - 1);
      body_.push_back(static_cast<char>(width));
      RleBitPackedEncode(indices_.data() + value, end_value - value, width, &body_);
    } else if (type_ == Type::kBoolean) {
      const size_t start = body_.size();
      body_.resize(start + (end_value - value + 7) / 8, 0);
      for (size_t i = value; i < end_value; i++) {
        if (plain_[i]) body_[start + (i - value) / 8] |= static_cast<char>(1 << ((i - value) % 8));
      }
    } else {
      body_.append(plain_, offsets_[value], offsets_[end_value] - offsets_[value]);
    }
    parquet::PageHeader header;
    header.type = parquet::PageType::kDataPage;
    header.data_page.emplace();
    header.data_page->num_values = static_cast<int32_t>(end_row - row);
    header.data_page->encoding = dictionary ? Encoding::kRleDictionary : Encoding::kPlain;
    EmitPage(&header, body_);
  }

  void EmitPage(parquet::PageHeader* header, const std::string& body) {
    compressed_.clear();
    ParquetCompress(options_.codec, options_.compression_level, body.data(), body.size(), &compressed_);
    header->uncompressed_page_size = static_cast<int32_t>(body.size());
    header->compressed_page_size = static_cast<int32_t>(compressed_.size());
    header_bytes_.clear();
    parquet::SerializePageHeader(*header, &header_bytes_);
    out_->append(header_bytes_);
    out_->append(compressed_);
    meta_.total_uncompressed_size += static_cast<int64_t>(header_bytes_.size() + body.size());
    meta_.total_compressed_size += static_cast<int64_t>(header_bytes_.size() + compressed_.size());
  }

  parquet::Statistics Statistics() const {
    parquet::Statistics s;
    s.null_count = null_count_;
    if (has_stats_) {
      const std::string_view lo = StatBytes(min_), hi = StatBytes(max_);
      if (lo.size() <= kMaxStatBytes && hi.size() <= kMaxStatBytes) {
        s.min_value = std::string(lo);
        s.max_value = std::string(hi);
        if (type_ != Type::kByteArray && type_ != Type::kFixedLenByteArray) {
          s.min = s.min_value;  // legacy fields, signed order, for old readers
          s.max = s.max_value;
        }
      }
    }
    return s;
  }

  Type type_;
  const ParquetWriteOptions& options_;
  int64_t file_offset_;
  std::string* out_;
  parquet::ColumnMetaData meta_;

  // Scratch, kept by the caller from one row group to the next (ParquetChunkBuffers).
  std::vector<uint32_t>& defs_;
  std::string& plain_;
  std::vector<size_t>& offsets_;  // value i is plain_[offsets_[i], offsets_[i+1])
  std::vector<std::string_view>& dict_values_;
  std::vector<uint32_t>& indices_;
  std::string &body_, &levels_, &compressed_, &header_bytes_;
  int64_t null_count_ = 0;
  const ParquetShreddedLeaf* leaf_ = nullptr;  // a nested leaf's levels, or null
  uint32_t max_def_ = 1;
  bool has_stats_ = false;
  size_t min_ = 0, max_ = 0;
};

}  // namespace

parquet::ColumnMetaData WriteParquetColumnChunk(const std::vector<Batch>& batches, int column,
                                                const parquet::SchemaElement& element,
                                                const ParquetWriteOptions& options,
                                                int64_t file_offset, std::string* out,
                                                ParquetChunkBuffers* buffers) {
  ParquetChunkBuffers local;
  ChunkWriter writer(element, options, file_offset, out, buffers != nullptr ? buffers : &local);
  return writer.Write(batches, column);
}

parquet::ColumnMetaData WriteParquetLeafChunk(const ParquetShreddedLeaf& leaf,
                                              const ParquetWriteOptions& options,
                                              int64_t file_offset, std::string* out,
                                              ParquetChunkBuffers* buffers) {
  ParquetChunkBuffers local;
  ChunkWriter writer(leaf.element, options, file_offset, out, buffers != nullptr ? buffers : &local);
  return writer.WriteLeaf(leaf);
}

}  // namespace sluice
