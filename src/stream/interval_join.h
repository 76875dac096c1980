#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "catalog/source_definition.h"
#include "sql/ast.h"

namespace sluice {
class SqlBinder;
}

namespace sluice::stream {

// The time bounds of an interval join of two streams (Flink's time-bounded join): a right
// row r can match a left row l only when lower <= r.time - l.time <= upper, times in
// microseconds. Strict comparisons are stored as the inclusive bound one microsecond in
// (times are whole microseconds). A watermark W promises that no row with time <= W comes
// any more (later ones are late), which decides how long each side's rows are kept.
struct IntervalBounds {
  int64_t lower = 0;
  int64_t upper = 0;
  bool left_outer = false;   // LEFT or FULL: unmatched left rows are emitted with NULLs
  bool right_outer = false;  // RIGHT or FULL

  // The last right time a left row at `ts` can match: once the watermark reaches it, the
  // left row meets no new right row (and, unmatched in an outer join, is emitted).
  int64_t LeftExpiry(int64_t ts) const { return Add(ts, upper); }
  // The last left time a right row at `ts` can match.
  int64_t RightExpiry(int64_t ts) const { return Add(ts, -lower); }
  // When a left row may leave the state (at a watermark >= the value): after its own expiry,
  // and in a RIGHT/FULL join not before every right row it could match has expired (so the
  // unmatched check of that right row still sees it).
  int64_t LeftKeepUntil(int64_t ts) const;
  int64_t RightKeepUntil(int64_t ts) const;

 private:
  static int64_t Add(int64_t ts, int64_t delta);
};

// An interval join between the two stream tables of a job:
//   FROM a, b WHERE a.k = b.k AND b.ts BETWEEN a.ts - INTERVAL .. AND a.ts + INTERVAL ..
//   FROM a [LEFT|RIGHT|FULL] JOIN b ON a.k = b.k AND b.ts >= a.ts AND b.ts < a.ts + ...
// where ts are the sources' WATERMARK columns. Holds a pointer into the job's AST.
struct IntervalJoin {
  const sql::TableRef* join = nullptr;    // the JOIN node of the two sources
  std::string left_source, right_source;  // the sources' names, as declared
  std::string left_alias, right_alias;    // how the query names them (alias or table name)
  std::string left_time, right_time;      // their WATERMARK columns
  IntervalBounds bounds;

  // The side (0 left, 1 right) whose time column `ref` names (t.ts, or ts when only one
  // side's time column has that name), else -1.
  int TimeSide(const sql::ColumnRefExpr& ref) const;
  // How far the join's rows with that side's time trail the watermark of its inputs: a
  // watermark W of the inputs means every joined row with time <= W - this was emitted.
  int64_t OutputDelay(int side) const;

  // Finds the join of the two sources in `select`'s FROM clause and its time bounds among
  // the conjuncts of ON (and of WHERE for inner joins). `sources` maps lower-case names to
  // definitions; `binder` evaluates the intervals. Throws InvalidInputError (or
  // NotImplementedError) with the supported shape when the two sources are not joined that
  // way: missing bounds, a time column that is not a WATERMARK column, another join type.
  static IntervalJoin Analyze(const sql::SelectNode& select,
                              const std::map<std::string, SourceDefinition>& sources,
                              SqlBinder& binder);
  // The JOIN node of a FROM tree whose two inputs are tables of `sources`, or null.
  static sql::TableRef* FindJoin(sql::TableRef* from,
                                 const std::map<std::string, SourceDefinition>& sources);
};

}  // namespace sluice::stream
