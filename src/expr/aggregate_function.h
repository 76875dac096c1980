#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "types/logical_type.h"
#include "vector/column.h"

namespace sluice {

// One sort key of an ordered aggregate call (string_agg(x, ',' ORDER BY y DESC)).
struct AggregateOrder {
  bool ascending = true;
  bool nulls_first = false;
};

// An aggregate function (sum, count, avg, ...) bound to argument types, vectorized over
// groups. Immutable and shared by all tasks of a query.
//
// Each group has a state: a fixed-size, `state_align()`-aligned block laid out by the hash
// aggregate operator. Aggregation runs in two phases (DESIGN.md): a partial aggregate
// updates states from input rows and Serializes them as intermediate columns
// (state_types()); after the exchange, the final aggregate Merges those columns into fresh
// states and Finalizes the result. A single-phase plan (no exchange) calls Update then
// Finalize. Thread-safety: the methods are const and touch only the states passed in.
class AggregateFunction {
 public:
  virtual ~AggregateFunction() = default;

  virtual LogicalType result_type() const = 0;
  // Types of the intermediate columns between the partial and the final phase.
  virtual std::vector<LogicalType> state_types() const = 0;
  virtual size_t state_size() const = 0;
  virtual size_t state_align() const { return 8; }
  // False for aggregates whose partial states cannot be merged (count(DISTINCT x)): the
  // planner then runs them in one phase after repartitioning by the group keys.
  virtual bool decomposable() const { return true; }
  // True when a state owns heap memory that Destroy must free.
  virtual bool needs_destroy() const { return false; }

  virtual void Initialize(uint8_t* state) const = 0;
  virtual void Destroy(uint8_t* state) const {}
  // Folds row i of `args` into states[i] for i < n (several rows may share a state).
  // `args` may be constant columns; for count(*) `args` is empty.
  virtual void Update(uint8_t* const* states, const std::vector<ColumnPtr>& args,
                      size_t n) const = 0;
  // Folds rows sel[0..n) of `args` (rows 0..n when `sel` is null) into the one state
  // `state`, as Update would with every states[i] = `state`. Returns false, doing nothing,
  // when the function has no such path (the caller uses Update). A batch of a few groups
  // (TPC-H q1's four, an aggregate without GROUP BY) then sums in registers instead of
  // through a state pointer per row.
  virtual bool UpdateOne(uint8_t* state, const std::vector<ColumnPtr>& args, const uint32_t* sel,
                         size_t n) const {
    return false;
  }
  // Folds row i of the intermediate columns `partial` (one per state_types()) into states[i].
  virtual void Merge(uint8_t* const* states, const std::vector<ColumnPtr>& partial,
                     size_t n) const = 0;
  // Appends the n states as rows of the intermediate columns `out` (one per state_types(),
  // each with capacity for n more rows; the caller sets sizes).
  virtual void Serialize(const uint8_t* const* states, size_t n,
                         const std::vector<Column*>& out) const = 0;
  // The serialized states of one-row groups, straight from the input rows: appends, for each
  // row i < n of `args`, what Initialize, Update of that row alone and Serialize would (a
  // partial aggregate that passes rows through calls this). Returns false, writing
  // nothing, when the function has no such shortcut.
  virtual bool SerializeRows(const std::vector<ColumnPtr>& args, size_t n,
                             const std::vector<Column*>& out) const {
    return false;
  }
  // Writes the final value of states[i] into row `first_row + i` of `out`.
  virtual void Finalize(const uint8_t* const* states, size_t n, Column* out,
                        size_t first_row) const = 0;
};

// `inner` fed its rows sorted by `order` (the keys follow the arguments of `arg_types` in
// each row it receives); DISTINCT keeps one row per distinct argument values; `filtered`:
// each row ends with a BOOLEAN, and rows where it is not TRUE are skipped (FILTER).
std::shared_ptr<const AggregateFunction> MakeOrderedAggregate(
    std::shared_ptr<const AggregateFunction> inner, std::vector<LogicalType> arg_types,
    std::vector<AggregateOrder> order, bool distinct, bool filtered);

}  // namespace sluice
