#pragma once

#include <memory>

#include "vector/column.h"

namespace sluice {

// Order-preserving byte keys for LIST and STRUCT values, so that sorts, hash tables and
// joins treat them as strings: memcmp order of the keys is the SQL order of the values
// (lexicographic; a NULL element after every value, as DuckDB orders them), and equal keys
// mean equal values. The key round-trips (DecodeNestedKeys).

// A VARCHAR column with the keys of rows [0, n) of `column` (any type; constant columns
// are read at row 0). NULL rows stay NULL.
std::shared_ptr<Column> EncodeNestedKeys(const Column& column, size_t n);

// The values of `type` whose keys are the rows [0, n) of the VARCHAR column `keys`
// (NULL rows give NULL). REQUIRES: the keys came from EncodeNestedKeys of that type.
std::shared_ptr<Column> DecodeNestedKeys(const Column& keys, const LogicalType& type, size_t n);

}  // namespace sluice
