#include "binder/table_sources.h"

#include "io/csv_reader.h"
#include "io/hive_dataset.h"
#include "io/parquet_reader.h"
#include "io/range_source.h"

namespace sluice {

LogicalPlanPtr CsvScan(const std::string& path, const CsvOptions& options) {
  return MakeScan(OpenDataset(path, HivePartitioning::kAuto,
                              [&](const std::string& p) { return CsvSource::Open(p, options); }));
}

LogicalPlanPtr ParquetScan(const std::string& path) {
  return MakeScan(OpenDataset(path, HivePartitioning::kAuto,
                              [](const std::string& p) { return ParquetSource::Open(p); }));
}

LogicalPlanPtr JsonScan(const std::string& path, const JsonReadOptions& options) {
  return MakeScan(OpenDataset(path, HivePartitioning::kAuto,
                              [&](const std::string& p) { return JsonSource::Open(p, options); }));
}

LogicalPlanPtr RangeScan(int64_t start, int64_t end, int64_t step) {
  return MakeScan(std::make_shared<RangeSource>(start, end, step));
}

}  // namespace sluice
