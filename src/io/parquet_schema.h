#pragma once

#include <cstdint>
#include <memory>
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
  kInt64,           // BIGINT, TIMESTAMP(MICROS), TIME(MICROS), DECIMAL(p <= 18)
  kInt64ToInt128,   // wide DECIMAL
  kUint64ToInt128,  // UINT64 as DECIMAL(20,0)
  kTimestampMillis,
  kTimeMillis,  // TIME(MILLIS) in INT32
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

// A node of a nested column (a group or repeated field) and what its rows read as JSON:
// a struct an object of its fields, a list an array, a map an object keyed by the key's
// text. Levels say where each node's value is present in the leaves' level streams.
struct ParquetNestedNode {
  enum class Kind : uint8_t { kLeaf, kStruct, kList, kMap };
  Kind kind = Kind::kLeaf;
  std::string name;  // the field name (a struct's key)
  // The definition level from which this node's value is not NULL.
  int16_t def = 0;
  // Lists and maps: the definition level from which they have elements, and the
  // repetition level that starts each element after the first.
  int16_t elements_def = 0;
  int16_t rep = 0;
  // The leaves beneath, as indices [leaf_begin, leaf_end) into the column's leaves.
  int leaf_begin = 0;
  int leaf_end = 0;
  // Struct fields; a list's element; a map's key and value.
  std::vector<ParquetNestedNode> children;
};

// A top-level column of a Parquet file as Sluice exposes it: a primitive field is one leaf;
// a group or repeated field (struct, list, map) is a VARCHAR holding each row's value as
// JSON, assembled from all the leaves beneath it.
struct ParquetColumn {
  std::string name;
  LogicalType type;
  int first_leaf = 0;  // index of its first leaf (column chunk)
  int num_leaves = 1;
  std::shared_ptr<const ParquetNestedNode> nested;  // null for a primitive column
  std::optional<int32_t> field_id;                   // the schema element's field id, if any

  bool is_nested() const { return nested != nullptr; }
};

// A file's schema: its leaves in column-chunk order and its top-level columns.
struct ParquetFileSchema {
  std::vector<ParquetLeaf> leaves;
  std::vector<ParquetColumn> columns;
};

// Reads a file's schema. Throws IOError naming `path` for a malformed schema,
// NotImplementedError for types Sluice has no equivalent for.
ParquetFileSchema ReadParquetSchema(const parquet::FileMetaData& metadata,
                                    const std::string& path);

// The schema elements (root first) that store `schema` with the physical and logical
// types DuckDB and Spark read back as the same SQL types; every column OPTIONAL.
// `field_ids`, when not empty, gives each top-level column its field id (Iceberg data files).
std::vector<parquet::SchemaElement> ParquetSchemaFor(const Schema& schema,
                                                   const std::vector<int32_t>& field_ids = {});

}  // namespace sluice
