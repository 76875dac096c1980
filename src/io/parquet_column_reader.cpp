#include "io/parquet_column_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "common/error.h"
#include "io/parquet_compression.h"
#include "io/parquet_convert.h"
#include "io/thrift_compact.h"

namespace sluice {

namespace {

using parquet::Encoding;
using parquet::Type;

constexpr int64_t kMaxPageBytes = int64_t{1} << 30;

uint32_t LoadU32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

int BitWidth(uint64_t max_value) {
  int w = 0;
  while (max_value > 0) {
    w++;
    max_value >>= 1;
  }
  return w;
}

template <typename T>
void GatherRows(const T* dict, const uint32_t* idx, const uint8_t* defs, int max_def, size_t rows,
                Column* out, size_t offset) {
  T* dst = out->data<T>() + offset;
  if (defs == nullptr) {
    for (size_t i = 0; i < rows; i++) dst[i] = dict[idx[i]];
    return;
  }
  size_t j = 0;
  for (size_t i = 0; i < rows; i++) {
    if (defs[i] == max_def) {
      dst[i] = dict[idx[j++]];
    } else {
      dst[i] = T{};
      out->SetNull(offset + i);
    }
  }
}

// Bytes read ahead for a page header while skipping pages (headers are tens of bytes
// without statistics; a longer one is read in full by the retry in LoadNextPage).
constexpr size_t kSkipProbeBytes = 512;

// The rows of a data page of a non-repeated leaf, 0 for any other page.
size_t PageRows(const parquet::PageHeader& header) {
  int32_t n = 0;
  if (header.type == parquet::PageType::kDataPage && header.data_page) {
    n = header.data_page->num_values;
  } else if (header.type == parquet::PageType::kDataPageV2 && header.data_page_v2) {
    n = header.data_page_v2->num_values;
  }
  return n > 0 ? static_cast<size_t>(n) : 0;
}

struct Bytes16 {
  uint64_t a, b;
};

}  // namespace

ParquetColumnReader::ParquetColumnReader(const FileReader& file, const ParquetLeaf& leaf,
                                         const parquet::ColumnMetaData& meta, int64_t num_rows)
    : file_(file), leaf_(leaf), codec_(meta.codec), rows_left_(num_rows), io_(64 * 1024),
      page_(64 * 1024) {
  int64_t start = meta.data_page_offset;
  if (meta.dictionary_page_offset && *meta.dictionary_page_offset > 0 &&
      *meta.dictionary_page_offset < start) {
    start = *meta.dictionary_page_offset;
  }
  const int64_t size = meta.total_compressed_size;
  if (start < 4 || size <= 0 || size > file.size() || start > file.size() - 8 - size) {
    Fail(fmt::format("column chunk [{}, +{}) lies outside the file ({} bytes)", start, size,
                     file.size()));
  }
  if (meta.type != leaf.physical) Fail("column chunk type differs from the schema");
  pos_ = start;
  end_ = start + size;
}

ParquetColumnReader::~ParquetColumnReader() = default;

void ParquetColumnReader::Fail(const std::string& message) const {
  throw IOError(fmt::format("Parquet file '{}' column '{}': {}", file_.path(), leaf_.name, message));
}

void ParquetColumnReader::Read(size_t n, Column* out) {
  ReadInto(n, out, 0);
  out->set_size(n);
}

void ParquetColumnReader::ReadInto(size_t n, Column* out, size_t offset) {
  // A column starts at row 0; a new one may have the address of one since freed.
  if (offset == 0) shared_dictionary_with_ = nullptr;
  try {
    ReadRows(n, out, offset, nullptr, nullptr);
  } catch (const ParquetCorruption& e) {
    Fail(e.message);
  } catch (const ThriftError& e) {
    Fail("corrupt page header (" + e.message + ")");
  }
}

void ParquetColumnReader::Skip(size_t n) {
  SLUICE_CHECK(leaf_.max_rep == 0, "Skip on repeated column {}", leaf_.name);
  skip_left_ += n;
}

void ParquetColumnReader::ReadLevels(size_t n, Column* out, uint8_t* reps, uint8_t* defs) {
  shared_dictionary_with_ = nullptr;
  try {
    ReadRows(n, out, 0, reps, defs);
  } catch (const ParquetCorruption& e) {
    Fail(e.message);
  } catch (const ThriftError& e) {
    Fail("corrupt page header (" + e.message + ")");
  }
  out->set_size(n);
}

size_t ParquetColumnReader::DecodeDefinitions(size_t k) {
  defs_.resize(k);
  if (levels_.SkipRepeated(static_cast<uint32_t>(leaf_.max_def), k)) {
    std::memset(defs_.data(), leaf_.max_def, k);
    return k;
  }
  indices_.resize(k);
  levels_.Decode(indices_.data(), k);
  size_t nonnull = 0;
  const auto max_def = static_cast<uint32_t>(leaf_.max_def);
  for (size_t i = 0; i < k; i++) {
    if (indices_[i] > max_def) throw ParquetCorruption{"definition level above the maximum"};
    defs_[i] = static_cast<uint8_t>(indices_[i]);
    nonnull += indices_[i] == max_def;
  }
  return nonnull;
}

void ParquetColumnReader::ApplySkip() {
  while (skip_left_ > 0) {
    if (page_left_ == 0) {
      LoadNextPage();
      continue;
    }
    const size_t k = std::min(skip_left_, page_left_);
    const size_t nonnull = leaf_.max_def > 0 ? DecodeDefinitions(k) : k;
    if (mode_ == Mode::kDictionary) {
      indices_.resize(nonnull);
      rle_.Decode(indices_.data(), nonnull);
    } else {
      DecodePhysical(nonnull);
    }
    page_left_ -= k;
    skip_left_ -= k;
  }
}

void ParquetColumnReader::ReadRows(size_t n, Column* out, size_t offset, uint8_t* reps_out,
                                   uint8_t* defs_out) {
  if (skip_left_ > 0) ApplySkip();
  size_t done = 0;
  while (done < n) {
    if (page_left_ == 0) {
      LoadNextPage();
      continue;
    }
    const size_t k = std::min(n - done, page_left_);
    if (reps_out != nullptr) {
      if (leaf_.max_rep > 0) {
        indices_.resize(k);
        rep_levels_.Decode(indices_.data(), k);
        for (size_t i = 0; i < k; i++) {
          if (indices_[i] > static_cast<uint32_t>(leaf_.max_rep)) {
            throw ParquetCorruption{"repetition level above the maximum"};
          }
          reps_out[done + i] = static_cast<uint8_t>(indices_[i]);
        }
      } else {
        std::memset(reps_out + done, 0, k);
      }
    }
    const uint8_t* defs = nullptr;
    size_t nonnull = k;
    if (leaf_.max_def > 0) {
      nonnull = DecodeDefinitions(k);
      defs = nonnull == k ? nullptr : defs_.data();
      if (defs_out != nullptr) std::memcpy(defs_out + done, defs_.data(), k);
    } else if (defs_out != nullptr) {
      std::memset(defs_out + done, 0, k);
    }
    if (mode_ == Mode::kDictionary) {
      GatherDictionary(k, defs, nonnull, out, offset + done);
    } else {
      const void* physical = DecodePhysical(nonnull);
      ParquetConvert(leaf_, physical, nonnull, defs, k, out, offset + done);
    }
    page_left_ -= k;
    done += k;
  }
}

void ParquetColumnReader::GatherDictionary(size_t rows, const uint8_t* defs, size_t nonnull,
                                           Column* out, size_t offset) {
  indices_.resize(nonnull);
  rle_.Decode(indices_.data(), nonnull);
  const uint32_t size = static_cast<uint32_t>(dictionary_->size());
  // Checked through the largest index: a loop without exits, which vectorizes.
  uint32_t largest = 0;
  for (size_t i = 0; i < nonnull; i++) largest = std::max(largest, indices_[i]);
  if (nonnull > 0 && largest >= size) {
    throw ParquetCorruption{
        fmt::format("dictionary index {} out of range (dictionary has {} values)", largest, size)};
  }
  if (out->type().IsStringLike() && shared_dictionary_with_ != out) {
    out->ShareHeapsOf(*dictionary_);
    shared_dictionary_with_ = out;
  }
  const int d = leaf_.max_def;
  const uint32_t* idx = indices_.data();
  switch (out->type().PhysicalSize()) {
    case 1: GatherRows(dictionary_->data<uint8_t>(), idx, defs, d, rows, out, offset); break;
    case 2: GatherRows(dictionary_->data<uint16_t>(), idx, defs, d, rows, out, offset); break;
    case 4: GatherRows(dictionary_->data<uint32_t>(), idx, defs, d, rows, out, offset); break;
    case 8: GatherRows(dictionary_->data<uint64_t>(), idx, defs, d, rows, out, offset); break;
    case 16: GatherRows(dictionary_->data<Bytes16>(), idx, defs, d, rows, out, offset); break;
    default: SLUICE_CHECK(false, "width={}", out->type().PhysicalSize());
  }
}

const uint8_t* ParquetColumnReader::Decompress(const uint8_t* src, size_t src_size,
                                               size_t dst_size) {
  if (codec_ == parquet::Codec::kUncompressed) {
    if (src_size != dst_size) throw ParquetCorruption{"page sizes differ in an uncompressed page"};
    return src;
  }
  if (page_.size() < dst_size) page_.Grow(dst_size, 0);
  auto* dst = reinterpret_cast<uint8_t*>(page_.data());
  if (!ParquetDecompress(codec_, src, src_size, dst, dst_size)) {
    throw ParquetCorruption{fmt::format("{} page does not decompress to its stated {} bytes",
                                        parquet::CodecName(codec_), dst_size)};
  }
  return dst;
}

void ParquetColumnReader::LoadNextPage() {
  for (;;) {
    if (pos_ >= end_) {
      throw ParquetCorruption{fmt::format("column chunk ends with {} rows missing", rows_left_ + page_left_)};
    }
    const int64_t left = end_ - pos_;
    // While skipping, most pages are passed over by their header: read only a little.
    const size_t probe = skip_left_ > 0 ? kSkipProbeBytes : probe_bytes_;
    size_t have = static_cast<size_t>(std::min<int64_t>(left, static_cast<int64_t>(probe)));
    if (io_.size() < have) io_.Grow(have, 0);
    auto* buf = reinterpret_cast<uint8_t*>(io_.data());
    if (file_.ReadAt(pos_, io_.data(), have) != have) throw ParquetCorruption{"file is truncated"};
    parquet::PageHeader header;
    size_t header_size = 0;
    for (;;) {
      try {
        header_size = parquet::ParsePageHeader(buf, have, &header);
        break;
      } catch (const ThriftError&) {
        // A header longer than the probe (large statistics): read more and retry.
        if (static_cast<int64_t>(have) >= left || have >= (16u << 20)) throw;
        const size_t more = static_cast<size_t>(std::min<int64_t>(left, have * 4));
        io_.Grow(more, have);
        buf = reinterpret_cast<uint8_t*>(io_.data());
        if (file_.ReadAt(pos_ + have, io_.data() + have, more - have) != more - have) {
          throw ParquetCorruption{"file is truncated"};
        }
        have = more;
      }
    }
    const int64_t compressed = header.compressed_page_size;
    const int64_t uncompressed = header.uncompressed_page_size;
    if (compressed < 0 || uncompressed < 0 || uncompressed > kMaxPageBytes ||
        compressed > left - static_cast<int64_t>(header_size)) {
      throw ParquetCorruption{fmt::format("page sizes out of range (compressed {}, uncompressed {})",
                                          compressed, uncompressed)};
    }
    const size_t total = header_size + static_cast<size_t>(compressed);
    if (skip_left_ > 0 && header.type != parquet::PageType::kDictionaryPage) {
      const size_t rows = PageRows(header);
      if (rows > 0 && rows <= skip_left_ && static_cast<int64_t>(rows) <= rows_left_) {
        pos_ += static_cast<int64_t>(total);
        rows_left_ -= static_cast<int64_t>(rows);
        skip_left_ -= rows;
        return;
      }
    }
    if (total > have) {
      io_.Grow(total, have);
      buf = reinterpret_cast<uint8_t*>(io_.data());
      if (file_.ReadAt(pos_ + have, io_.data() + have, total - have) != total - have) {
        throw ParquetCorruption{"file is truncated"};
      }
    }
    probe_bytes_ = std::max<size_t>(total + 1024, 64 * 1024);
    pos_ += static_cast<int64_t>(total);
    const uint8_t* body = buf + header_size;
    switch (header.type) {
      case parquet::PageType::kDictionaryPage:
        if (!header.dictionary_page) throw ParquetCorruption{"dictionary page without its header"};
        LoadDictionary(header, Decompress(body, compressed, uncompressed), uncompressed);
        continue;
      case parquet::PageType::kDataPage:
      case parquet::PageType::kDataPageV2:
        LoadDataPage(header, body, static_cast<size_t>(compressed));
        if (page_left_ == 0) continue;
        return;
      case parquet::PageType::kIndexPage: continue;
      default:
        throw ParquetCorruption{fmt::format("unknown page type {}", static_cast<int>(header.type))};
    }
  }
}

void ParquetColumnReader::LoadDictionary(const parquet::PageHeader& header, const uint8_t* body,
                                         size_t size) {
  const auto& h = *header.dictionary_page;
  if (h.encoding != Encoding::kPlain && h.encoding != Encoding::kPlainDictionary) {
    throw ParquetCorruption{fmt::format("dictionary page has unsupported encoding {}",
                                        parquet::EncodingName(h.encoding))};
  }
  if (h.num_values < 0) throw ParquetCorruption{"negative dictionary size"};
  // Every value takes at least a byte (a bit for booleans), so a larger count is corrupt.
  if (static_cast<uint64_t>(h.num_values) > uint64_t{size} * 8 + 8) {
    throw ParquetCorruption{"dictionary has more values than bytes"};
  }
  const size_t n = static_cast<size_t>(h.num_values);
  StartValues(Encoding::kPlain, body, size, h.num_values);
  const void* physical = DecodePhysical(n);
  dictionary_ = Column::Make(leaf_.type, std::max<size_t>(n, 1));
  ParquetConvert(leaf_, physical, n, nullptr, n, dictionary_.get(), 0);
  dictionary_->set_size(n);
  shared_dictionary_with_ = nullptr;
}

void ParquetColumnReader::LoadDataPage(const parquet::PageHeader& header, const uint8_t* body,
                                       size_t compressed) {
  int64_t num_values;
  Encoding encoding;
  const uint8_t* data;
  size_t size;
  const size_t uncompressed = static_cast<size_t>(header.uncompressed_page_size);
  if (header.type == parquet::PageType::kDataPage) {
    if (!header.data_page) throw ParquetCorruption{"data page without its header"};
    const auto& h = *header.data_page;
    num_values = h.num_values;
    encoding = h.encoding;
    if (num_values < 0 || num_values > rows_left_) {
      throw ParquetCorruption{fmt::format("page holds {} values but only {} rows are left",
                                          num_values, rows_left_)};
    }
    data = Decompress(body, compressed, uncompressed);
    size = uncompressed;
    if (leaf_.max_rep > 0) {
      if (h.repetition_level_encoding != Encoding::kRle) {
        throw ParquetCorruption{fmt::format("repetition levels encoded as {} are not supported",
                                            parquet::EncodingName(h.repetition_level_encoding))};
      }
      if (size < 4) throw ParquetCorruption{"page too short for its repetition levels"};
      const uint32_t len = LoadU32(data);
      if (len > size - 4) throw ParquetCorruption{"repetition levels longer than the page"};
      rep_levels_ = RleBitPackedDecoder(data + 4, len, BitWidth(leaf_.max_rep));
      data += 4 + len;
      size -= 4 + len;
    }
    if (leaf_.max_def > 0) {
      if (h.definition_level_encoding != Encoding::kRle) {
        throw ParquetCorruption{fmt::format("definition levels encoded as {} are not supported",
                                            parquet::EncodingName(h.definition_level_encoding))};
      }
      if (size < 4) throw ParquetCorruption{"page too short for its definition levels"};
      const uint32_t len = LoadU32(data);
      if (len > size - 4) throw ParquetCorruption{"definition levels longer than the page"};
      levels_ = RleBitPackedDecoder(data + 4, len, BitWidth(leaf_.max_def));
      data += 4 + len;
      size -= 4 + len;
    }
  } else {
    if (!header.data_page_v2) throw ParquetCorruption{"data page v2 without its header"};
    const auto& h = *header.data_page_v2;
    num_values = h.num_values;
    encoding = h.encoding;
    if (num_values < 0 || num_values > rows_left_) {
      throw ParquetCorruption{fmt::format("page holds {} values but only {} rows are left",
                                          num_values, rows_left_)};
    }
    const int64_t rep_len = h.repetition_levels_byte_length;
    const int64_t def_len = h.definition_levels_byte_length;
    if (rep_len < 0 || def_len < 0 || rep_len + def_len > static_cast<int64_t>(compressed) ||
        rep_len + def_len > static_cast<int64_t>(uncompressed)) {
      throw ParquetCorruption{"level lengths out of range in a v2 page"};
    }
    if (leaf_.max_rep > 0) {
      rep_levels_ = RleBitPackedDecoder(body, static_cast<size_t>(rep_len), BitWidth(leaf_.max_rep));
    }
    if (leaf_.max_def > 0) {
      levels_ = RleBitPackedDecoder(body + rep_len, static_cast<size_t>(def_len), BitWidth(leaf_.max_def));
    }
    const size_t levels = static_cast<size_t>(rep_len + def_len);
    const size_t values_compressed = compressed - levels;
    size = uncompressed - levels;
    if (h.is_compressed) {
      data = Decompress(body + levels, values_compressed, size);
    } else {
      if (values_compressed != size) throw ParquetCorruption{"page sizes differ in an uncompressed page"};
      data = body + levels;
    }
  }
  // The non-NULL count is only known as levels are decoded; the decoders check their
  // bounds value by value.
  StartValues(encoding, data, size, 0);
  rows_left_ -= num_values;
  page_left_ = static_cast<size_t>(num_values);
}

}  // namespace sluice
