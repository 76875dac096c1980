#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "shuffle/partitioning.h"
#include "vector/batch.h"
#include "vector/batch_stream.h"
#include "vector/schema.h"

namespace sluice {

class ExecContext;

// A node of the physical plan.
//
// Lifecycle contract (every operator honours it):
//  - Built by the physical planner, then immutable: Execute is const. Between stages the
//    adaptive pass (exec/stage_replanner.h) may replace operators that have not run yet by
//    new ones; an operator never changes itself. All run-time state
//    lives in the returned BatchStream (per task) or in ExecContext shared state (per query,
//    e.g. a broadcast hash table built once and probed by every task).
//  - Execute(p, ctx) is called once per partition p in [0, num_partitions()), possibly
//    from many threads at once (one task per partition). It opens the children's streams
//    through ctx.Execute(child, p) so that metrics are recorded.
//  - A narrow operator keeps its child's partitioning; a wide operator (is_wide()) states
//    the partitioning it needs in required_child_partitioning(), and the planner puts an
//    Exchange beneath it when the child does not provide it. Operators never shuffle by
//    themselves.
//  - Stages are cut at exchanges: before the stage that reads an exchange runs, the stage
//    that writes it has finished (barrier), so Execute never blocks on other partitions
//    except on shared state that ExecContext builds once.
class PhysicalOperator {
 public:
  PhysicalOperator(Schema schema, std::vector<std::unique_ptr<PhysicalOperator>> children)
      : schema_(std::move(schema)), children_(std::move(children)) {}
  // One child; the output schema is the child's (members initialize in declaration order,
  // so the schema is read before the child moves).
  explicit PhysicalOperator(std::unique_ptr<PhysicalOperator> child)
      : schema_(child->schema()), children_(OneChild(std::move(child))) {}
  PhysicalOperator(Schema schema, std::unique_ptr<PhysicalOperator> child)
      : schema_(std::move(schema)), children_(OneChild(std::move(child))) {}
  virtual ~PhysicalOperator() = default;

  const Schema& schema() const { return schema_; }
  const std::vector<std::unique_ptr<PhysicalOperator>>& children() const { return children_; }
  const PhysicalOperator& child(size_t i = 0) const { return *children_[i]; }
  // The slot owning child i, for the planners that rewrite a plan (the physical planner,
  // and the adaptive pass between stages on the part that has not run). Never used while
  // a stage of this operator runs.
  std::unique_ptr<PhysicalOperator>& mutable_child(size_t i) { return children_[i]; }

  // Short operator name for EXPLAIN ("HashAggregate", "Filter").
  virtual std::string name() const = 0;
  // One line of detail for EXPLAIN (keys, predicate, join type).
  virtual std::string details() const { return ""; }
  // True for operators that need data from other partitions (aggregate, join, sort, ...).
  virtual bool is_wide() const { return false; }
  // True for Exchange: a stage boundary.
  virtual bool is_exchange() const { return false; }

  virtual Partitioning output_partitioning() const { return child().output_partitioning(); }
  int num_partitions() const { return output_partitioning().num_partitions; }

  virtual std::unique_ptr<BatchStream> Execute(int partition, ExecContext& ctx) const = 0;
  // For a leaf of a stage (a scan, a shuffle read): the rows it reads over all its
  // partitions, or -1 when unknown (progress; see ProgressListener).
  virtual int64_t ExpectedInputRows(ExecContext& ctx) const {
    (void)ctx;
    return -1;
  }
  // Called once per query after every task of the final stage has succeeded, children
  // first; not called when the query fails. A sink commits here (WriteSink).
  virtual void Finalize(ExecContext& ctx) const { (void)ctx; }

  // Why the planner chose this operator (a join's strategy and its reason), shown by EXPLAIN.
  const std::string& explain_note() const { return explain_note_; }
  void set_explain_note(std::string note) { explain_note_ = std::move(note); }

  // A query-unique id set by the planner (metrics, shared state).
  int id() const { return id_; }
  void set_id(int id) { id_ = id; }

 private:
  Schema schema_;
  std::vector<std::unique_ptr<PhysicalOperator>> children_;
  int id_ = -1;
  std::string explain_note_;

  static std::vector<std::unique_ptr<PhysicalOperator>> OneChild(
      std::unique_ptr<PhysicalOperator> child) {
    std::vector<std::unique_ptr<PhysicalOperator>> children;
    children.push_back(std::move(child));
    return children;
  }
};

using PhysicalOperatorPtr = std::unique_ptr<PhysicalOperator>;

}  // namespace sluice
