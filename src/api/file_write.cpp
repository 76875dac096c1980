#include "api/file_write.h"

#include <fmt/format.h>

#include "api/session.h"
#include "common/error.h"

namespace sluice {

LogicalPlanPtr PlanFileWrite(LogicalPlanPtr plan, const FileWriteRequest& request,
                             const FileTargetFactory& make_target) {
  const Schema schema = plan->schema;
  FileSetSpec spec;
  spec.path = request.path;
  spec.layout = request.layout;
  spec.statement = request.statement;
  if (!request.partition_by.empty()) {
    spec.layout = FileLayout::kHivePartitioned;
    for (const std::string& name : request.partition_by) {
      const int c = schema.Find(name);
      if (c < 0) {
        throw BindError(fmt::format("PARTITION_BY column \"{}\" not found in ({})", name,
                                    schema.ToString()));
      }
      spec.partition_columns.push_back(c);
    }
    if (spec.partition_columns.size() >= schema.size()) {
      throw InvalidInputError("PARTITION_BY must leave at least one column to write");
    }
    if (request.max_files_per_partition > 0) {
      plan = MakeCoalesce(std::move(plan), request.max_files_per_partition);
    }
  }
  return MakeWrite(plan, make_target(schema, std::move(spec)));
}

int64_t RunWrite(Session& session, const LogicalPlan& write) {
  int64_t rows = 0;
  for (const Batch& b : session.Execute(write)) {
    for (size_t r = 0; r < b.num_rows(); r++) rows += b.column(0)->GetValue(r).GetInt();
  }
  return rows;
}

}  // namespace sluice
