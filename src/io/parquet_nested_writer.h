#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/parquet_metadata.h"
#include "vector/batch.h"

namespace sluice {

// One leaf column of a LIST or STRUCT column, shredded into Dremel levels for writing.
struct ParquetShreddedLeaf {
  parquet::SchemaElement element;  // the leaf's own schema element
  std::vector<std::string> path;   // path_in_schema, from the top-level column down
  int16_t max_def = 0;
  int16_t max_rep = 0;
  std::vector<uint32_t> defs;
  std::vector<uint32_t> reps;
  // One row per level entry: the leaf value where defs[i] == max_def, else NULL.
  std::shared_ptr<Column> values;
};

// Appends the schema elements of a LIST or STRUCT column as DuckDB and Spark write them:
// a LIST is `optional group name (LIST) { repeated group list { optional element } }`, a
// STRUCT an optional group of optional fields; `field_id` goes on the top element.
void AppendNestedSchemaElements(const std::string& name, const LogicalType& type,
                                std::optional<int32_t> field_id,
                                std::vector<parquet::SchemaElement>* out);

// The leaves (in schema order) of nested column `column` of `batches`, named `name`.
std::vector<ParquetShreddedLeaf> ShredNestedColumn(const std::vector<Batch>& batches,
                                                   int column, const std::string& name);

}  // namespace sluice
