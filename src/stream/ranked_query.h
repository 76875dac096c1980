#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/session.h"
#include "plan/logical_plan.h"
#include "sql/ast.h"
#include "vector/batch.h"

namespace sluice::stream {

// A deduplication or first-n stream job (Flink's keep-first deduplication and Top-N ordered
// by time): SELECT ... FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts) AS rn
// FROM source) WHERE rn = 1 (or rn <= n, rn < n), ts being the source's WATERMARK column.
// Ranked by event time ascending, a row's rank is final once the watermark passes it, so
// the job emits each row once (docs/streaming.md). Holds pointers into the job's AST: the
// statement must outlive it.
class RankedQuery {
 public:
  // nullopt when `plan` (the job's query, bound) has no window function. Throws
  // NotImplementedError for a window function outside the shape above (its results could
  // change as rows arrive) and InvalidInputError when the source declares no WATERMARK or the
  // query does not select its time column.
  static std::optional<RankedQuery> Analyze(const sql::SelectNode& select, const LogicalPlan& plan,
                                            const SourceDefinition& source);

  // The largest rank the job emits.
  int64_t limit() const { return limit_; }

  // Of `final_rows` (rows of the source, all at or before the watermark), the ones later
  // rankings need: those ranked at most limit() in their partition. A later row ranks after
  // them, so keeping them alone gives it the same rank as keeping every row.
  // REQUIRES: the source's name is free to be (re)registered as a view of the session.
  std::vector<Batch> Keep(Session& session, const std::string& job_sql,
                          const std::vector<Batch>& final_rows) const;

 private:
  RankedQuery(const sql::QueryNode* inner, std::string rank_column, int64_t limit,
              SourceDefinition source)
      : inner_(inner), rank_column_(std::move(rank_column)), limit_(limit),
        source_(std::move(source)) {}

  const sql::QueryNode* inner_;
  std::string rank_column_;
  int64_t limit_;
  SourceDefinition source_;
};

}  // namespace sluice::stream
