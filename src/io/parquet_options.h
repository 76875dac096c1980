#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/parquet_metadata.h"

namespace sluice {

// How ParquetWriter lays out a file.
struct ParquetWriteOptions {
  parquet::Codec codec = parquet::Codec::kSnappy;
  int compression_level = 0;  // 0: the codec's default
  int64_t row_group_rows = 1 << 20;
  // Dictionary-encode a column chunk unless its dictionary grows past dictionary_max_bytes
  // or stops paying (it and its indices over half the PLAIN bytes); then it is written PLAIN.
  bool dictionary = true;
  int64_t dictionary_max_bytes = 1 << 20;
  // Target uncompressed size of a data page.
  int64_t page_bytes = 1 << 20;
  // One id per column, written as the schema elements' field_id (Iceberg data files); empty:
  // none.
  std::vector<int32_t> field_ids;
};

// "snappy", "zstd", "gzip", "lz4" (LZ4_RAW), "none" / "uncompressed" (any case).
// Throws InvalidInputError for anything else.
parquet::Codec ParseParquetCodec(const std::string& name);

}  // namespace sluice
