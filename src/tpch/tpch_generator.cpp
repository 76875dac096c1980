#include "tpch/tpch_generator.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>

#include "common/error.h"
#include "common/thread_pool.h"
#include "io/csv_writer.h"
#include "io/parquet_writer.h"
#include "tpch/tpch_rows.h"

namespace sluice::tpch {

namespace fs = std::filesystem;

namespace {

// The drivers in the order their parts are scheduled: biggest first, so that the small
// tables fill the gaps at the end.
constexpr std::array<TpchTable, 6> kDrivers = {TpchTable::kOrders,   TpchTable::kPart,
                                               TpchTable::kCustomer, TpchTable::kSupplier,
                                               TpchTable::kNation,   TpchTable::kRegion};

// One unit of parallel work: a range of driver rows written as part file `part`.
struct PartTask {
  TpchTable driver;
  int part;
  int64_t first;
  int64_t count;
};

const char* Extension(TpchFileFormat format) {
  return format == TpchFileFormat::kCsv ? "csv" : "parquet";
}

std::string PartPath(const std::string& directory, TpchTable table, int part,
                     TpchFileFormat format) {
  return fmt::format("{}/{}/part-{}.{}", directory, TableName(table), part, Extension(format));
}

// Removes part-*.csv / part-*.parquet files of an earlier run from a table folder.
void RemoveOldParts(const fs::path& folder) {
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    const std::string ext = entry.path().extension().string();
    if (name.rfind("part-", 0) == 0 && (ext == ".csv" || ext == ".parquet")) {
      fs::remove(entry.path());
    }
  }
}

// One output file of a part task, in the chosen format.
class PartFile {
 public:
  virtual ~PartFile() = default;
  virtual void Append(const Batch& batch) = 0;
  // Completes the file; returns the rows written.
  virtual int64_t Finish() = 0;
};

// A CsvWriter or ParquetWriter, which also count their rows.
template <typename Writer>
class PartFileOf final : public PartFile {
 public:
  PartFileOf(const std::string& path, const Schema& schema) : writer_(path, schema) {}
  void Append(const Batch& batch) override { writer_.Write(batch); }
  int64_t Finish() override {
    writer_.Close();
    return writer_.rows_written();
  }

 private:
  Writer writer_;
};

// The files of one part task, one per table the task yields, opened on first use.
class PartWriters {
 public:
  PartWriters(const TpchGenOptions& options, int part) : options_(options), part_(part) {}

  void Append(TpchTable table, const Batch& batch) {
    auto it = files_.find(table);
    if (it == files_.end()) {
      const std::string path = PartPath(options_.directory, table, part_, options_.format);
      std::unique_ptr<PartFile> file;
      if (options_.format == TpchFileFormat::kCsv) {
        file = std::make_unique<PartFileOf<CsvWriter>>(path, TableSchema(table));
      } else {
        file = std::make_unique<PartFileOf<ParquetWriter>>(path, TableSchema(table));
      }
      it = files_.emplace(table, std::move(file)).first;
    }
    it->second->Append(batch);
  }

  // Finishes every file; returns rows written per table.
  std::map<TpchTable, int64_t> Finish() {
    std::map<TpchTable, int64_t> rows;
    for (auto& [table, file] : files_) rows[table] = file->Finish();
    return rows;
  }

 private:
  const TpchGenOptions& options_;
  int part_;
  std::map<TpchTable, std::unique_ptr<PartFile>> files_;
};

}  // namespace

int64_t RowsPerPart(TpchTable driver) {
  switch (driver) {
    case TpchTable::kOrders:
      return 100'000;  // about 400,000 line items
    case TpchTable::kPart:
      return 50'000;  // and 200,000 partsupp rows
    default:
      return 100'000;
  }
}

std::vector<TpchTableOutput> GenerateTpch(const TpchGenOptions& options, ThreadPool& pool) {
  if (!(options.scale_factor > 0)) {
    throw InvalidInputError(fmt::format("scale factor must be > 0, got {}", options.scale_factor));
  }
  try {
    for (TpchTable table : kAllTables) {
      const fs::path folder = fs::path(options.directory) / std::string(TableName(table));
      fs::create_directories(folder);
      RemoveOldParts(folder);
    }
  } catch (const fs::filesystem_error& e) {
    throw IOError(
        fmt::format("cannot prepare output folder '{}': {}", options.directory, e.what()));
  }

  std::vector<PartTask> tasks;
  for (TpchTable driver : kDrivers) {
    const int64_t rows = DriverRows(driver, options.scale_factor);
    const int64_t per_part = RowsPerPart(driver);
    int part = 0;
    for (int64_t first = 0; first < rows; first += per_part) {
      tasks.push_back({driver, part++, first, std::min(per_part, rows - first)});
    }
  }

  std::vector<std::map<TpchTable, int64_t>> task_rows(tasks.size());
  pool.ParallelFor(static_cast<int>(tasks.size()), [&](int i) {
    const PartTask& task = tasks[static_cast<size_t>(i)];
    PartWriters writers(options, task.part);
    GenerateRows(task.driver, options.scale_factor, task.first, task.count,
                 [&](TpchTable table, const Batch& batch) { writers.Append(table, batch); });
    task_rows[static_cast<size_t>(i)] = writers.Finish();
  });

  std::vector<TpchTableOutput> outputs;
  for (TpchTable table : kAllTables) outputs.push_back({table});
  for (size_t i = 0; i < tasks.size(); i++) {
    for (const auto& [table, rows] : task_rows[i]) {
      TpchTableOutput& out = outputs[static_cast<size_t>(table)];
      out.rows += rows;
      out.files += 1;
      out.bytes += static_cast<int64_t>(
          fs::file_size(PartPath(options.directory, table, tasks[i].part, options.format)));
    }
  }
  return outputs;
}

}  // namespace sluice::tpch
