#include "api/partitioned_write.h"

#include <atomic>
#include <filesystem>

#include <fmt/format.h>

#include "api/session.h"
#include "common/error.h"

namespace sluice {

int64_t WritePartitioned(Session& session, LogicalPlanPtr plan, const std::string& directory,
                         const PartitionedWriteSpec& spec) {
  const Schema schema = plan->schema;
  std::vector<int> partition_columns;
  for (const std::string& name : spec.partition_by) {
    const int c = schema.Find(name);
    if (c < 0) {
      throw BindError(fmt::format("PARTITION_BY column \"{}\" not found in ({})", name,
                                  schema.ToString()));
    }
    partition_columns.push_back(c);
  }
  if (partition_columns.size() >= schema.size()) {
    throw InvalidInputError("PARTITION_BY must leave at least one column to write");
  }
  if (spec.max_files_per_partition > 0) {
    plan = MakeCoalesce(std::move(plan), spec.max_files_per_partition);
  }
  namespace fs = std::filesystem;
  const fs::path target(directory);
  const fs::path staging = target.string() + ".tmp-write";
  fs::remove_all(staging);
  fs::create_directories(staging);
  std::atomic<int64_t> rows{0};
  try {
    session.ExecuteParallel(*plan, [&](int task, BatchStream& stream) {
      PartitionedWriter writer(staging.string(), schema, partition_columns, spec.target, task);
      Batch b;
      while (stream.Next(&b)) writer.Append(b);
      writer.Finish();
      rows += writer.rows_written();
    });
  } catch (...) {
    fs::remove_all(staging);
    throw;
  }
  const fs::path old = target.string() + ".tmp-old";
  fs::remove_all(old);
  if (fs::exists(target)) fs::rename(target, old);
  fs::rename(staging, target);
  fs::remove_all(old);
  return rows.load();
}

}  // namespace sluice
