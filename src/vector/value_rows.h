#pragma once

#include <vector>

#include "types/value.h"
#include "vector/batch.h"
#include "vector/schema.h"

namespace sluice {

// Rows of Values (VALUES lists, small result tables, metadata listings) as batches of at
// most kBatchSize rows. REQUIRES: every row has schema.size() values of the field types
// (or NULL).
std::vector<Batch> BatchesFromRows(const Schema& schema, const std::vector<std::vector<Value>>& rows);

// The rows of `batches` as Values, in order (the inverse of BatchesFromRows).
std::vector<std::vector<Value>> RowsFromBatches(const std::vector<Batch>& batches);

}  // namespace sluice
