#pragma once

#include <cstddef>
#include <cstdint>

#include "io/parquet_schema.h"
#include "vector/column.h"

namespace sluice {

// Writes `rows` rows into `out` starting at row `offset`, converting the leaf's stored
// values to its Sluice type. `physical` holds `nonnull` decoded values: bool as uint8_t,
// INT32 as int32_t, INT64 as int64_t, INT96 as 12-byte records, FLOAT as float, DOUBLE as
// double, BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY as std::string_view (bytes copied into the
// column's heap when longer than 12). `defs` (null when the column has no NULLs) holds a
// definition level per row: rows below leaf.max_def are NULL and take no physical value.
// REQUIRES: out has capacity >= offset + rows. Throws ParquetCorruption on values that do
// not fit (a decimal longer than 16 bytes).
void ParquetConvert(const ParquetLeaf& leaf, const void* physical, size_t nonnull,
                    const uint8_t* defs, size_t rows, Column* out, size_t offset);

// Bytes per decoded physical value in the layout above.
size_t ParquetPhysicalWidth(parquet::Type type);

}  // namespace sluice
