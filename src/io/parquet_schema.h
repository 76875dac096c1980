#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/parquet_metadata.h"
#include "types/logical_type.h"
#include "vector/schema.h"

namespace sluice {

// How a leaf column's stored (physical) values become Sluice values.
enum class ParquetConversion : uint8_t {
  kBoolean,
  kInt32ToInt8,
  kInt32ToInt16,
  kInt32,           // INTEGER, DATE
  kInt32ToInt64,    // DECIMAL(p <= 9) stored in an int64 column
  kUint32ToInt64,
  kInt32ToInt128,
  kInt64,           // BIGINT, TIMESTAMP(MICROS), DECIMAL(p <= 18)
  kInt64ToInt128,   // wide DECIMAL
  kUint64ToInt128,  // UINT64 as DECIMAL(20,0)
  kTimestampMillis,
  kTimestampNanos,
  kInt96Timestamp,
  kFloat,
  kDouble,
  kString,  // BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY
  kBytesToDecimal64,
  kBytesToDecimal128,
  kInterval,  // FIXED_LEN_BYTE_ARRAY(12) {months, days, millis}
};

// A leaf (primitive) column of a Parquet file, as Sluice reads it.
struct ParquetLeaf {
  std::string name;  // dotted path for fields of structs
  int schema_index = 0;
  parquet::Type physical = parquet::Type::kInt32;
  int32_t type_length = 0;
  int16_t max_def = 0;
  int16_t max_rep = 0;
  LogicalType type;
  ParquetConversion conversion = ParquetConversion::kInt32;
  // Statistics compare in unsigned order (unsigned ints, strings): the legacy min/max
  // fields cannot be trusted for them.
  bool unsigned_order = false;
};

// The leaves of a file's schema in column-chunk order. Throws IOError naming `path` for a
// malformed schema, NotImplementedError for repeated (LIST/MAP) columns and types Sluice
// has no equivalent for.
std::vector<ParquetLeaf> ParquetLeaves(const parquet::FileMetaData& metadata,
                                       const std::string& path);

// The schema elements (root first) that store `schema` with the physical and logical
// types DuckDB and Spark read back as the same SQL types; every column OPTIONAL.
std::vector<parquet::SchemaElement> ParquetSchemaFor(const Schema& schema);

}  // namespace sluice
