#pragma once

#include "io/table_function.h"

namespace sluice::iceberg {

// The Iceberg table functions, named and shaped as DuckDB's iceberg extension has them:
//   iceberg_scan(path [, snapshot_from_id => id] [, snapshot_from_timestamp => ts]
//                [, ref => 'branch or tag'])  the rows of a table (any engine's)
//   iceberg_snapshots(path)                   its snapshots
//   iceberg_metadata(path [, snapshot...])    the files of a snapshot, with their stats
// `path` is a table directory or a metadata file. Throws InvalidInputError when a name is
// taken.
void RegisterIcebergTableFunctions(TableFunctionRegistry& registry);

}  // namespace sluice::iceberg
