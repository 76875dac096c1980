#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/file.h"
#include "io/parquet_encoding.h"
#include "io/parquet_metadata.h"
#include "io/parquet_schema.h"
#include "vector/column.h"

namespace sluice {

// Reads one column chunk (a leaf column in one row group) page by page: each page is read
// with one pread into a reused buffer, decompressed into another, its definition levels
// decoded, and its values decoded as asked for. A dictionary page is converted once to a
// Column of the output type, and dictionary-encoded rows are gathered from it (strings
// then point into the dictionary's heap instead of being copied).
// Not thread-safe; `file` and `leaf` must outlive the reader.
class ParquetColumnReader {
 public:
  // Throws IOError when the chunk's byte range lies outside the file. `num_rows` is the
  // chunk's number of level entries (its rows unless the leaf is repeated).
  ParquetColumnReader(const FileReader& file, const ParquetLeaf& leaf,
                      const parquet::ColumnMetaData& meta, int64_t num_rows);
  ~ParquetColumnReader();
  ParquetColumnReader(const ParquetColumnReader&) = delete;
  ParquetColumnReader& operator=(const ParquetColumnReader&) = delete;

  // Decodes the next `n` rows into `out` (a fresh column of leaf.type with capacity >= n)
  // and sets its size to n. Throws IOError naming the file and column on corrupt data.
  void Read(size_t n, Column* out);
  // Decodes the next `n` rows into rows [offset, offset + n) of `out` (capacity >=
  // offset + n) without setting its size, so that runs of rows can be read into one column.
  void ReadInto(size_t n, Column* out, size_t offset);
  // Passes over the next `n` rows without converting them. Skips accumulate and are applied
  // at the next read, so a data page made only of skipped rows is passed over by its header
  // alone: its body is neither read nor decompressed. REQUIRES: the leaf is not repeated.
  void Skip(size_t n);
  // Like Read, for the level entries of a nested leaf: `out` gets one slot per entry (NULL
  // unless its definition level is the maximum), `reps` and `defs` (n each) the levels.
  void ReadLevels(size_t n, Column* out, uint8_t* reps, uint8_t* defs);

 private:
  enum class Mode : uint8_t { kPlain, kDictionary, kRleBoolean, kDelta, kViews, kByteStreamSplit };

  [[noreturn]] void Fail(const std::string& message) const;
  void ReadRows(size_t n, Column* out, size_t offset, uint8_t* reps, uint8_t* defs);
  void ApplySkip();
  // Decodes the definition levels of the next `k` rows of the page into defs_; returns how
  // many are non-NULL.
  size_t DecodeDefinitions(size_t k);
  // Loads the next page. While skip_left_ covers a whole data page, passes over it instead.
  void LoadNextPage();
  void LoadDictionary(const parquet::PageHeader& header, const uint8_t* body, size_t size);
  void LoadDataPage(const parquet::PageHeader& header, const uint8_t* body, size_t size);
  void StartValues(parquet::Encoding encoding, const uint8_t* data, size_t size, int64_t count);
  const uint8_t* Decompress(const uint8_t* src, size_t src_size, size_t dst_size);
  // Decodes the next `n` values of the page in the layout ParquetConvert takes.
  const void* DecodePhysical(size_t n);
  const void* DecodeDelta(size_t n);
  void DecodeDeltaStrings(bool with_prefixes, const uint8_t* data, size_t size, int64_t count);
  void GatherDictionary(size_t rows, const uint8_t* defs, size_t nonnull, Column* out,
                        size_t offset);

  const FileReader& file_;
  const ParquetLeaf& leaf_;
  parquet::Codec codec_;
  int64_t pos_ = 0;  // file offset of the next page header
  int64_t end_ = 0;
  int64_t rows_left_ = 0;  // in the chunk, not yet loaded into a page
  size_t skip_left_ = 0;   // rows to skip before the next read (see Skip)
  size_t probe_bytes_ = 64 * 1024;
  PooledBuffer io_;
  PooledBuffer page_;

  // The current data page.
  size_t page_left_ = 0;
  RleBitPackedDecoder levels_;  // definition levels, decoded a batch at a time
  RleBitPackedDecoder rep_levels_;
  std::vector<uint8_t> defs_;
  Mode mode_ = Mode::kPlain;
  const uint8_t* values_ = nullptr;
  size_t values_size_ = 0;
  size_t cursor_ = 0;  // byte (or bit, for booleans; or value, for BYTE_STREAM_SPLIT) offset
  size_t stream_count_ = 0;
  RleBitPackedDecoder rle_;
  DeltaBinaryPackedDecoder delta_;
  std::vector<std::string_view> page_views_;
  std::vector<char> delta_bytes_;

  std::shared_ptr<Column> dictionary_;
  Column* shared_dictionary_with_ = nullptr;

  // Scratch reused across batches.
  std::vector<uint8_t> scratch_;
  std::vector<std::string_view> views_;
  std::vector<uint32_t> indices_;
  std::vector<int64_t> longs_;
  std::vector<int64_t> prefixes_;
};

}  // namespace sluice
