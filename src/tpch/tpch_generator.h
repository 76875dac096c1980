#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tpch/tpch_schema.h"

namespace sluice {
class ThreadPool;
}

namespace sluice::tpch {

enum class TpchFileFormat { kCsv, kParquet };

struct TpchGenOptions {
  double scale_factor = 1;
  // Tables go to <directory>/<table>/part-<k>.csv (or .parquet).
  std::string directory;
  TpchFileFormat format = TpchFileFormat::kCsv;
};

// What was written for one table.
struct TpchTableOutput {
  TpchTable table;
  int64_t rows = 0;
  int files = 0;
  int64_t bytes = 0;
};

// Writes the eight TPC-H tables at options.scale_factor. Each driver table's rows are cut into
// parts of a fixed row count (independent of the thread count); every part is one task on
// `pool` that generates its rows and writes one file per table it yields (orders part k also
// writes lineitem part k). Files are written atomically; part files left in the table folders
// by an earlier run are removed first, so a glob over a folder reads exactly this data set.
// The files are byte-identical for any number of threads. Throws IOError on a write failure,
// InvalidInputError for a scale factor <= 0.
std::vector<TpchTableOutput> GenerateTpch(const TpchGenOptions& options, ThreadPool& pool);

// The driver rows per part file (exposed so tests can force several parts at small SF).
int64_t RowsPerPart(TpchTable driver);

}  // namespace sluice::tpch
