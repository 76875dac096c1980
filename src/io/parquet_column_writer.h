#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "io/parquet_metadata.h"
#include "io/parquet_nested_writer.h"
#include "io/parquet_options.h"
#include "vector/batch.h"

namespace sluice {

// Scratch memory that WriteParquetColumnChunk reuses from one row group to the next:
// keeping it saves faulting in fresh pages for every chunk. One per concurrent caller.
struct ParquetChunkBuffers {
  std::vector<uint32_t> defs;
  std::string plain;
  std::vector<size_t> offsets;
  std::vector<std::string_view> dict_values;
  std::vector<uint32_t> indices;
  std::string body, levels, compressed, header_bytes;
};

// Encodes column `column` of `batches` (flat columns, one row group) as a Parquet column
// chunk: a dictionary page when the values fit one (else PLAIN), data pages v1 with RLE
// definition levels, each page compressed with options.codec, and min / max / null_count
// statistics. Appends the bytes to `out`, which starts at `file_offset` in the file, and
// returns the chunk's metadata.
parquet::ColumnMetaData WriteParquetColumnChunk(const std::vector<Batch>& batches, int column,
                                                const parquet::SchemaElement& element,
                                                const ParquetWriteOptions& options,
                                                int64_t file_offset, std::string* out,
                                                ParquetChunkBuffers* buffers = nullptr);

// The same for one leaf of a LIST or STRUCT column: its values and its repetition and
// definition levels (pages end at row boundaries).
parquet::ColumnMetaData WriteParquetLeafChunk(const ParquetShreddedLeaf& leaf,
                                              const ParquetWriteOptions& options,
                                              int64_t file_offset, std::string* out,
                                              ParquetChunkBuffers* buffers = nullptr);

}  // namespace sluice
