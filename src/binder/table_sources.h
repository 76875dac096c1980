#pragma once

#include <cstdint>
#include <string>

#include "io/csv_options.h"
#include "io/json_reader.h"
#include "plan/logical_plan.h"

namespace sluice {

// Scans of files and generated rows, as used by table functions and paths in FROM (and by
// Session's readers). The schema is sniffed now; nothing else is read until the plan runs.
// Files in key=value directories get their partition columns (HiveDataset).
LogicalPlanPtr CsvScan(const std::string& path, const CsvOptions& options = {});
LogicalPlanPtr ParquetScan(const std::string& path);
LogicalPlanPtr JsonScan(const std::string& path, const JsonReadOptions& options = {});
// Rows start..end-1 by step in a BIGINT column `range`, like DuckDB.
LogicalPlanPtr RangeScan(int64_t start, int64_t end, int64_t step = 1);

}  // namespace sluice
