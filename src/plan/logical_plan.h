#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "expr/expr.h"
#include "io/data_source.h"
#include "io/data_writer.h"
#include "vector/batch.h"
#include "vector/batch_mapper.h"
#include "vector/schema.h"

namespace sluice {

struct LogicalPlan;
// Logical plans are immutable trees; DataFrames derived from one another share subtrees.
using LogicalPlanPtr = std::shared_ptr<const LogicalPlan>;

enum class LogicalKind {
  kScan,         // source, scan_columns
  kValues,       // rows held in memory (batches)
  kFilter,       // predicate
  kProject,      // exprs
  kAggregate,    // exprs = group keys, aggregates
  kJoin,         // join_type, predicate (over left ++ right; may be null for cross joins)
  kSort,         // sort_keys
  kLimit,        // limit, offset
  kUnion,        // UNION ALL of children (same column types)
  kDistinct,     // rows distinct over all columns
  kRepartition,  // num_partitions, exprs = hash keys (round robin when empty)
  kCoalesce,     // num_partitions: merge partitions without a shuffle
  kCache,        // cache: materialized on first use, reused after
  kWindow,       // exprs = window calls (kWindow); output = child columns + one per call
  kUnnest,       // exprs = LIST expressions; output = child columns + one element column per
                 // expression, a row per element of the row's longest list
  kWrite,        // target: the child's rows are written there; output = BIGINT count per
                 // partition (rows written), the write committed once every task succeeded
  kMapBatches,   // mapper: each input batch becomes the batches it returns (of `schema`)
};

// kAsof / kAsofLeft: ASOF [LEFT] JOIN. The predicate is equalities between the sides (the
// keys) AND one inequality between a left and a right expression (the time); each left row
// meets at most one right row, the closest that satisfies the inequality
// (physical/plan_asof_join.h); kAsofLeft keeps the left rows without one.
enum class JoinKind { kInner, kLeft, kRight, kFull, kSemi, kAnti, kCross, kAsof, kAsofLeft };
const char* JoinKindName(JoinKind kind);
// Parses "inner", "left", "left_outer", "right", "full", "outer", "semi", "left_semi",
// "anti", "left_anti", "cross", "asof", "asof_left"; throws InvalidInputError.
JoinKind ParseJoinKind(const std::string& how);

struct SortSpec {
  ExprPtr expr;  // bound over the child's schema
  bool ascending = true;
  bool nulls_first = false;
};

// A query result kept for reuse (DataFrame.cache(), CACHE TABLE). Filled on first use,
// under `mutex`; `partitions` never changes once `filled` is set, so readers that see
// `filled` (acquire) may read it without the lock.
struct RecursiveCte;     // plan/recursive_cte.h
struct LateralSubquery;  // plan/correlated_subquery.h

struct CacheStore {
  std::mutex mutex;
  std::atomic<bool> filled{false};
  std::vector<std::vector<Batch>> partitions;
};

// One node of a logical plan. Expressions in a node are bound against its child's schema
// (for joins: left ++ right), so a plan is always analyzed: errors surface when the
// DataFrame call or SQL statement is made, not when it runs.
struct LogicalPlan {
  LogicalKind kind = LogicalKind::kValues;
  Schema schema;  // output
  std::vector<LogicalPlanPtr> children;

  std::shared_ptr<const DataSource> source;  // kScan
  std::vector<int> scan_columns;             // kScan: source columns produced, in order
  std::shared_ptr<const std::vector<Batch>> rows;  // kValues
  ExprPtr predicate;                          // kFilter, kJoin
  std::vector<ExprPtr> exprs;                 // kProject, kAggregate groups, kRepartition keys,
                                              // kWindow calls
  std::vector<ExprPtr> aggregates;            // kAggregate
  JoinKind join_kind = JoinKind::kInner;      // kJoin
  std::vector<SortSpec> sort_keys;            // kSort
  int64_t limit = -1;                         // kLimit: -1 = none
  int64_t offset = 0;                         // kLimit
  int num_partitions = 0;                     // kRepartition, kCoalesce
  std::shared_ptr<CacheStore> cache;          // kCache
  std::shared_ptr<const DataTarget> target;   // kWrite
  std::shared_ptr<const BatchMapper> mapper;  // kMapBatches
  // kValues of a WITH RECURSIVE CTE: its rows are computed before the query runs
  // (plan/recursive_cte.h); `rows` is empty until then.
  std::shared_ptr<const RecursiveCte> recursive;
  // kValues on the right of a LATERAL join: computed per left value set before the query
  // runs (plan/correlated_subquery.h); `rows` is empty until then.
  std::shared_ptr<const LateralSubquery> lateral;
  // kWrite of a DELETE, UPDATE or MERGE: the child's last two columns are BOOLEAN `#keep`
  // (the row is written) and `#hit` (the statement changed the row: it is counted); the
  // output counts the rows hit instead of the rows written.
  bool write_changes = false;
  // A join strategy hint on this relation when it is a join input: "broadcast", "merge" or
  // "shuffle_hash" (SQL /*+ BROADCAST(t) */, DataFrame.Hint). Empty when none.
  std::string join_hint;
  // A hot key of this relation (SQL /*+ SKEW(t, key[, buckets]) */, DataFrame.Salt): joins
  // on that key and group-bys by it salt this relation (physical/plan_salted_join.h). Empty
  // skew_key: none; skew_buckets 0: the session default.
  std::string skew_key;
  int skew_buckets = 0;

  const LogicalPlan& child(size_t i = 0) const { return *children[i]; }
  // An indented tree for debugging and EXPLAIN (LOGICAL).
  std::string ToString(int indent = 0) const;
};

// Builders: each validates and binds its expressions against the child's schema and throws
// BindError (with suggestions) on a bad reference.
LogicalPlanPtr MakeScan(std::shared_ptr<const DataSource> source);
LogicalPlanPtr MakeValues(Schema schema, std::vector<Batch> batches);
LogicalPlanPtr MakeFilter(LogicalPlanPtr child, const ExprPtr& predicate);
LogicalPlanPtr MakeProject(LogicalPlanPtr child, const std::vector<ExprPtr>& exprs);
LogicalPlanPtr MakeAggregate(LogicalPlanPtr child, const std::vector<ExprPtr>& groups,
                             const std::vector<ExprPtr>& aggregates);
// `condition` is bound over left ++ right; for USING-style joins pass the equality.
LogicalPlanPtr MakeJoin(LogicalPlanPtr left, LogicalPlanPtr right, JoinKind kind,
                        const ExprPtr& condition);
LogicalPlanPtr MakeSort(LogicalPlanPtr child, std::vector<SortSpec> keys);
LogicalPlanPtr MakeLimit(LogicalPlanPtr child, int64_t limit, int64_t offset);
// Columns are matched by position; types are unified (casts added to either side).
LogicalPlanPtr MakeUnion(LogicalPlanPtr left, LogicalPlanPtr right);
LogicalPlanPtr MakeDistinct(LogicalPlanPtr child);
LogicalPlanPtr MakeRepartition(LogicalPlanPtr child, int num_partitions,
                               const std::vector<ExprPtr>& keys);
LogicalPlanPtr MakeCoalesce(LogicalPlanPtr child, int num_partitions);
LogicalPlanPtr MakeCache(LogicalPlanPtr child);
// Each batch of `child` becomes the batches `mapper` returns for it, of `schema` (Python's
// mapInPandas). Narrow: runs in the child's tasks. Throws InvalidInputError without a mapper.
LogicalPlanPtr MakeMapBatches(LogicalPlanPtr child, Schema schema,
                              std::shared_ptr<const BatchMapper> mapper);
// `plan` with join strategy hint `hint` ("broadcast", "merge", "shuffle_hash"). The filters
// and projections on top of the relation are tagged too, down to the relation itself, so the
// hint survives optimizer rules that replace the top node.
LogicalPlanPtr WithJoinHint(const LogicalPlanPtr& plan, const std::string& hint);
// `plan` marked as skewed on column `key` (salted in `buckets` buckets, 0: the session
// default), tagged down through filters and projections like a join hint.
LogicalPlanPtr WithSkewKey(const LogicalPlanPtr& plan, const std::string& key, int buckets);
// Window functions: each of `window_exprs` must be a window call (ExprKind::kWindow, possibly
// aliased); the output is the child's columns followed by one column per call.
LogicalPlanPtr MakeWindow(LogicalPlanPtr child, const std::vector<ExprPtr>& window_exprs);
// SELECT unnest(x): `lists` (each with an alias naming its element column) are bound over the
// child and must be LISTs (an untyped NULL unnests to no rows).
LogicalPlanPtr MakeUnnest(LogicalPlanPtr child, const std::vector<ExprPtr>& lists);
// Writes the rows of `child` to `target` (INSERT, CREATE TABLE AS, COPY TO). REQUIRES: the
// child's columns have the target's types (the binder casts them).
LogicalPlanPtr MakeWrite(LogicalPlanPtr child, std::shared_ptr<const DataTarget> target);
// The write of a DELETE, UPDATE or MERGE (see write_changes). REQUIRES: the child's columns
// are the target's types followed by two BOOLEAN columns, #keep and #hit.
LogicalPlanPtr MakeChangeWrite(LogicalPlanPtr child, std::shared_ptr<const DataTarget> target);

}  // namespace sluice
