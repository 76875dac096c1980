#include "exec/stage_resume.h"

#include <fmt/format.h>

#include <functional>
#include <string>

#include "common/error.h"

namespace sluice {

namespace {

// The plan of the stage below (and including) `op`, as text: what its stored output depends
// on besides the data read (operators, their details, partition counts, column types).
void AppendPlan(const PhysicalOperator& op, std::string* out) {
  *out += op.name();
  *out += '[';
  *out += op.details();
  *out += fmt::format("|p{}|", op.num_partitions());
  for (const auto& f : op.schema().fields()) *out += f.type.ToString() + ",";
  for (const auto& child : op.children()) AppendPlan(*child, out);
  *out += ']';
}

}  // namespace

std::optional<ResumeDirectory::StageKey> ResumeKeyOf(const Exchange& exchange, ExecContext& ctx,
                                                     int stage, int tasks) {
  if (ctx.resume() == nullptr) return std::nullopt;
  std::string plan;
  AppendPlan(exchange, &plan);
  ResumeDirectory::StageKey key;
  key.job = ctx.resume_job();
  key.stage = stage;
  key.fingerprint = std::hash<std::string>()(plan);
  key.tasks = tasks;
  key.ranks = ctx.cluster() == nullptr ? 1 : ctx.cluster()->size();
  key.rank = ctx.cluster() == nullptr ? 0 : ctx.cluster()->rank();
  return key;
}

bool LoadStoredStage(const ResumeDirectory::StageKey& key, const Exchange& exchange,
                     Shuffle& shuffle, ExecContext& ctx) {
  ResumeDirectory& resume = *ctx.resume();
  bool everywhere = resume.HasCompleteStage(key);
  if (ctx.cluster() != nullptr) {
    for (const std::string& held : ctx.cluster()->AllGather(everywhere ? "1" : "0")) {
      everywhere = everywhere && held == "1";
    }
  }
  if (!everywhere) {
    resume.ClearStage(key);
    return false;
  }
  std::vector<LogicalType> types;
  for (const auto& f : exchange.child().schema().fields()) types.push_back(f.type);
  const Cluster::TaskRange owned = ctx.cluster() == nullptr ? Cluster::TaskRange{0, key.tasks}
                                                            : ctx.cluster()->OwnedTasks(key.tasks);
  ctx.pool().ParallelFor(owned.end - owned.first, [&](int i) {
    resume.RestoreTask(key, owned.first + i, shuffle, types);
    if (ctx.progress()) ctx.progress()->TaskFinished(key.stage);
  });
  return true;
}

void ReportLoadedStage(const ResumeDirectory::StageKey& key, const Exchange& exchange,
                       const ExchangeStats& stats, ExecContext& ctx) {
  if (ctx.resume()->StoredRows(key) != stats.rows) {
    throw InternalError(fmt::format(
        "--resume: the stored map output of stage {} ({}/stages/{}) does not add up to the rows "
        "recorded with it; remove the --resume directory to run the job from the start",
        key.stage, ctx.resume()->dir(), key.Name()));
  }
  ctx.AddRuntimeNote(exchange.id(), "map output reused from --resume");
  if (key.rank == 0) {
    // The job is "<statement>.<query of the statement>".
    fmt::print(stderr,
               "sluice: --resume: stage {} of query {} reused its stored map output ({} rows, {} "
               "rank(s))\n",
               key.stage, key.job, stats.total_rows(), key.ranks);
  }
}

}  // namespace sluice
