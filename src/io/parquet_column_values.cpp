// ParquetColumnReader: decoding the values section of a page, per encoding.
#include <fmt/format.h>

#include <cstring>

#include "common/error.h"
#include "io/parquet_column_reader.h"

namespace sluice {

namespace {

using parquet::Encoding;
using parquet::Type;

constexpr int64_t kMaxDecodedBytes = int64_t{1} << 30;

[[noreturn]] void Corrupt(std::string message) { throw ParquetCorruption{std::move(message)}; }

// The stored width of one value of a fixed-width physical type (0 for BYTE_ARRAY).
size_t StoredWidth(const ParquetLeaf& leaf) {
  switch (leaf.physical) {
    case Type::kBoolean: return 0;
    case Type::kInt32:
    case Type::kFloat: return 4;
    case Type::kInt64:
    case Type::kDouble: return 8;
    case Type::kInt96: return 12;
    case Type::kByteArray: return 0;
    case Type::kFixedLenByteArray: return static_cast<size_t>(leaf.type_length);
  }
  return 0;
}

void DecodeAll(DeltaBinaryPackedDecoder& d, int64_t at_least, size_t bytes, std::vector<int64_t>* out) {
  // Each value past the first takes at least a bit, so this bounds the allocation.
  if (d.total() < static_cast<uint64_t>(at_least) || d.total() > uint64_t{bytes} * 8 + 1) {
    Corrupt("DELTA_BINARY_PACKED count does not match the page");
  }
  out->resize(static_cast<size_t>(d.total()));
  d.Decode(out->data(), out->size());
}

}  // namespace

void ParquetColumnReader::StartValues(Encoding encoding, const uint8_t* data, size_t size,
                                      int64_t count) {
  values_ = data;
  values_size_ = size;
  cursor_ = 0;
  const Type t = leaf_.physical;
  auto unsupported = [&]() {
    Corrupt(fmt::format("encoding {} is not valid for this column's type",
                        parquet::EncodingName(encoding)));
  };
  switch (encoding) {
    case Encoding::kPlain: mode_ = Mode::kPlain; return;
    case Encoding::kPlainDictionary:
    case Encoding::kRleDictionary:
      if (!dictionary_) Corrupt("dictionary-encoded page without a dictionary page");
      if (size < 1) Corrupt("dictionary-encoded page is empty");
      rle_ = RleBitPackedDecoder(data + 1, size - 1, data[0]);
      mode_ = Mode::kDictionary;
      return;
    case Encoding::kRle: {
      if (t != Type::kBoolean) unsupported();
      if (size < 4) Corrupt("RLE boolean page too short");
      uint32_t len;
      std::memcpy(&len, data, 4);
      if (len > size - 4) Corrupt("RLE boolean data longer than the page");
      rle_ = RleBitPackedDecoder(data + 4, len, 1);
      mode_ = Mode::kRleBoolean;
      return;
    }
    case Encoding::kDeltaBinaryPacked:
      if (t != Type::kInt32 && t != Type::kInt64) unsupported();
      delta_ = DeltaBinaryPackedDecoder(data, size);
      if (delta_.total() < static_cast<uint64_t>(count)) Corrupt("DELTA_BINARY_PACKED holds too few values");
      mode_ = Mode::kDelta;
      return;
    case Encoding::kDeltaLengthByteArray:
      if (t != Type::kByteArray) unsupported();
      DecodeDeltaStrings(false, data, size, count);
      return;
    case Encoding::kDeltaByteArray:
      if (t != Type::kByteArray && t != Type::kFixedLenByteArray) unsupported();
      DecodeDeltaStrings(true, data, size, count);
      return;
    case Encoding::kByteStreamSplit: {
      const size_t w = StoredWidth(leaf_);
      if (w == 0 || t == Type::kInt96) unsupported();
      if (size % w != 0) Corrupt("BYTE_STREAM_SPLIT data is not a whole number of values");
      stream_count_ = size / w;
      if (stream_count_ < static_cast<uint64_t>(count)) Corrupt("BYTE_STREAM_SPLIT holds too few values");
      mode_ = Mode::kByteStreamSplit;
      return;
    }
    default: break;
  }
  Corrupt(fmt::format("unsupported encoding {} ({})", parquet::EncodingName(encoding),
                      static_cast<int>(encoding)));
}

void ParquetColumnReader::DecodeDeltaStrings(bool with_prefixes, const uint8_t* data, size_t size,
                                             int64_t count) {
  const uint8_t* p = data;
  const uint8_t* end = data + size;
  if (with_prefixes) {
    DeltaBinaryPackedDecoder prefixes(p, end - p);
    DecodeAll(prefixes, count, size, &prefixes_);
    p = prefixes.end_position();
  }
  DeltaBinaryPackedDecoder lengths(p, end - p);
  DecodeAll(lengths, count, size, &longs_);
  p = lengths.end_position();
  const size_t n = longs_.size();
  if (with_prefixes && prefixes_.size() != n) Corrupt("DELTA_BYTE_ARRAY prefix and suffix counts differ");
  uint64_t suffix_bytes = 0;
  for (const int64_t len : longs_) {
    if (len < 0) Corrupt("negative string length");
    suffix_bytes += static_cast<uint64_t>(len);
  }
  if (suffix_bytes > static_cast<uint64_t>(end - p)) Corrupt("string data longer than the page");
  page_views_.resize(n);
  if (!with_prefixes) {
    for (size_t i = 0; i < n; i++) {
      page_views_[i] = std::string_view(reinterpret_cast<const char*>(p), longs_[i]);
      p += longs_[i];
    }
  } else {
    uint64_t total = 0, previous = 0;
    for (size_t i = 0; i < n; i++) {
      if (prefixes_[i] < 0 || static_cast<uint64_t>(prefixes_[i]) > previous) {
        Corrupt("DELTA_BYTE_ARRAY prefix longer than the previous value");
      }
      previous = static_cast<uint64_t>(prefixes_[i]) + static_cast<uint64_t>(longs_[i]);
      total += previous;
      if (total > static_cast<uint64_t>(kMaxDecodedBytes)) Corrupt("DELTA_BYTE_ARRAY values too large");
    }
    delta_bytes_.resize(std::max<uint64_t>(total, 1));
    char* out = delta_bytes_.data();
    const char* prev = out;
    for (size_t i = 0; i < n; i++) {
      const size_t prefix = static_cast<size_t>(prefixes_[i]);
      const size_t suffix = static_cast<size_t>(longs_[i]);
      std::memmove(out, prev, prefix);
      std::memcpy(out + prefix, p, suffix);
      p += suffix;
      page_views_[i] = std::string_view(out, prefix + suffix);
      prev = out;
      out += prefix + suffix;
    }
  }
  if (leaf_.physical == Type::kFixedLenByteArray) {
    for (const auto& v : page_views_) {
      if (v.size() != static_cast<size_t>(leaf_.type_length)) Corrupt("FIXED_LEN_BYTE_ARRAY value of wrong length");
    }
  }
  mode_ = Mode::kViews;
}

const void* ParquetColumnReader::DecodeDelta(size_t n) {
  longs_.resize(n);
  delta_.Decode(longs_.data(), n);
  if (leaf_.physical == Type::kInt64) return longs_.data();
  scratch_.resize(n * 4);
  auto* out = reinterpret_cast<int32_t*>(scratch_.data());
  for (size_t i = 0; i < n; i++) out[i] = static_cast<int32_t>(longs_[i]);
  return out;
}

const void* ParquetColumnReader::DecodePhysical(size_t n) {
  const Type t = leaf_.physical;
  switch (mode_) {
    case Mode::kPlain: {
      if (t == Type::kBoolean) {
        if ((cursor_ + n + 7) / 8 > values_size_) Corrupt("page ends before its values");
        scratch_.resize(n);
        for (size_t i = 0; i < n; i++) {
          const size_t bit = cursor_ + i;
          scratch_[i] = (values_[bit >> 3] >> (bit & 7)) & 1;
        }
        cursor_ += n;
        return scratch_.data();
      }
      if (t == Type::kByteArray) {
        views_.resize(n);
        for (size_t i = 0; i < n; i++) {
          if (values_size_ - cursor_ < 4) Corrupt("page ends before its values");
          uint32_t len;
          std::memcpy(&len, values_ + cursor_, 4);
          cursor_ += 4;
          if (len > values_size_ - cursor_) Corrupt("string longer than the page");
          views_[i] = std::string_view(reinterpret_cast<const char*>(values_ + cursor_), len);
          cursor_ += len;
        }
        return views_.data();
      }
      const size_t w = StoredWidth(leaf_);
      if (n > (values_size_ - cursor_) / w) Corrupt("page ends before its values");
      const uint8_t* p = values_ + cursor_;
      cursor_ += n * w;
      if (t != Type::kFixedLenByteArray) return p;
      views_.resize(n);
      for (size_t i = 0; i < n; i++) views_[i] = std::string_view(reinterpret_cast<const char*>(p + i * w), w);
      return views_.data();
    }
    case Mode::kRleBoolean: {
      indices_.resize(n);
      rle_.Decode(indices_.data(), n);
      scratch_.resize(n);
      for (size_t i = 0; i < n; i++) scratch_[i] = indices_[i] != 0;
      return scratch_.data();
    }
    case Mode::kDelta: return DecodeDelta(n);
    case Mode::kViews: {
      if (n > page_views_.size() - cursor_) Corrupt("page ends before its values");
      const std::string_view* p = page_views_.data() + cursor_;
      cursor_ += n;
      return p;
    }
    case Mode::kByteStreamSplit: {
      const size_t w = StoredWidth(leaf_);
      if (n > stream_count_ - cursor_) Corrupt("page ends before its values");
      scratch_.resize(n * w);
      for (size_t k = 0; k < w; k++) {
        const uint8_t* stream = values_ + k * stream_count_ + cursor_;
        for (size_t i = 0; i < n; i++) scratch_[i * w + k] = stream[i];
      }
      cursor_ += n;
      if (t != Type::kFixedLenByteArray) return scratch_.data();
      views_.resize(n);
      for (size_t i = 0; i < n; i++) {
        views_[i] = std::string_view(reinterpret_cast<const char*>(scratch_.data() + i * w), w);
      }
      return views_.data();
    }
    case Mode::kDictionary: break;
  }
  SLUICE_CHECK(false, "DecodePhysical in dictionary mode");
  return nullptr;
}

}  // namespace sluice
