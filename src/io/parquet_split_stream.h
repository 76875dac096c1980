#pragma once

#include <memory>
#include <vector>

#include "io/parquet_filters.h"
#include "io/parquet_reader.h"
#include "vector/batch_stream.h"

namespace sluice {

// Reads one row group of `file`: the columns `columns` (indices into `schema`, the source's
// schema), kBatchSize rows at a time. With `filters` whose columns are projected (and no
// nested column projected), each batch's filter columns are decoded first and the other
// columns only for the rows that pass: runs of failing rows are skipped, and data pages
// holding only such rows are neither read nor decompressed. Batches then hold only those
// rows (a batch no row passes is not returned); the filter above the scan still runs.
// `file` and `schema` must outlive the stream.
std::unique_ptr<BatchStream> OpenParquetRowGroup(const ParquetSource::File& file, int row_group,
                                                 const std::vector<int>& columns,
                                                 const Schema& schema,
                                                 const std::vector<ParquetRowFilter>& filters);

}  // namespace sluice
