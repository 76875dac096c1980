#include "exec/hash_aggregate.h"

#include <algorithm>
#include <cstdlib>

#include "exec/aggregate_states.h"
#include "exec/exec_context.h"
#include "exec/hash_table.h"
#include "expr/aggregate_function.h"
#include "expr/evaluator.h"

namespace sluice {

std::string ToString(AggregateMode mode) {
  switch (mode) {
    case AggregateMode::kPartial: return "partial";
    case AggregateMode::kFinal: return "final";
    case AggregateMode::kSingle: return "single";
  }
  return "?";
}

namespace {

// Partial aggregation is abandoned when, after this many rows, there are more than this
// fraction of distinct groups.
constexpr size_t kPassThroughSampleRows = 16384;
constexpr double kPassThroughGroupRatio = 0.5;

std::string JoinExprs(const std::vector<ExprPtr>& exprs) {
  std::string out;
  for (size_t i = 0; i < exprs.size(); i++) {
    if (i > 0) out += ", ";
    out += exprs[i]->ToString();
  }
  return out;
}

// One task of a HashAggregate: consumes the whole input partition into the hash table and
// the states, then emits the groups in insertion order.
class HashAggregateStream : public BatchStream {
 public:
  HashAggregateStream(const HashAggregate& op, ExecContext& ctx, int partition)
      : op_(op),
        input_(ctx.Execute(op.child(), partition)),
        states_(FunctionsOf(op.aggregates()), &ctx.memory()) {
    std::vector<LogicalType> key_types;
    for (const auto& g : op.groups()) key_types.push_back(g->type);
    if (!key_types.empty()) {
      table_ = std::make_unique<KeyHashTable>(std::move(key_types), &ctx.memory());
    } else {
      states_.AddGroups(1);  // the one group of a global aggregate exists even for no rows
    }
    for (const auto& a : op.aggregates()) {
      std::vector<ExprPtr> args;
      for (const auto& arg : a->args) {
        if (arg->kind != ExprKind::kStar) args.push_back(arg);
      }
      aggregate_args_.push_back(std::move(args));
    }
  }

  bool Next(Batch* out) override {
    if (!consumed_) {
      Batch batch;
      while (input_->Next(&batch)) {
        Consume(batch);
        if (ShouldPassThrough()) {
          pass_through_ = true;
          break;
        }
      }
      consumed_ = true;
    }
    const size_t total = states_.num_groups();
    if (emitted_ < total) {
      const size_t n = std::min(kBatchSize, total - emitted_);
      *out = Emit(emitted_, n);
      emitted_ += n;
      return true;
    }
    if (!pass_through_) return false;
    Batch batch;
    if (!input_->Next(&batch)) return false;
    *out = PassThrough(batch);
    return true;
  }

 private:
  static std::vector<const AggregateFunction*> FunctionsOf(const std::vector<ExprPtr>& aggs) {
    std::vector<const AggregateFunction*> functions;
    for (const auto& a : aggs) {
      SLUICE_CHECK(a->aggregate != nullptr, "aggregate {} is not bound", a->ToString());
      functions.push_back(a->aggregate.get());
    }
    return functions;
  }

  void Consume(const Batch& batch) {
    const size_t n = batch.num_rows();
    rows_seen_ += n;
    const bool final = op_.mode() == AggregateMode::kFinal;
    const size_t num_keys = op_.groups().size();
    keys_.clear();
    for (size_t k = 0; k < num_keys; k++) {
      keys_.push_back(final ? batch.column(k) : Evaluate(*op_.groups()[k], batch));
    }
    group_ids_.resize(n);
    if (table_ != nullptr) {
      hashes_.resize(n);
      HashKeyColumns(keys_, nullptr, n, hashes_.data());
      table_->FindOrInsert(keys_, nullptr, n, hashes_.data(), group_ids_.data());
      if (table_->num_groups() > states_.num_groups()) {
        states_.AddGroups(table_->num_groups() - states_.num_groups());
      }
    } else {
      std::fill(group_ids_.begin(), group_ids_.end(), 0);
    }

    size_t next_input = num_keys;
    for (size_t a = 0; a < op_.aggregates().size(); a++) {
      const AggregateFunction& fn = *op_.aggregates()[a]->aggregate;
      states_.Pointers(group_ids_.data(), n, a, &pointers_);
      args_.clear();
      if (final) {
        const size_t width = fn.state_types().size();
        for (size_t c = 0; c < width; c++) args_.push_back(batch.column(next_input + c));
        next_input += width;
        fn.Merge(pointers_.data(), args_, n);
      } else {
        for (const auto& arg : aggregate_args_[a]) args_.push_back(Evaluate(*arg, batch));
        fn.Update(pointers_.data(), args_, n);
      }
    }
  }

  // A partial aggregate that barely reduces its input (most keys distinct within the
  // partition) costs a large hash table and saves nothing: after a sample, it stops
  // grouping and turns each remaining row into a one-row partial state; the final
  // aggregate after the exchange does the grouping, on 1/N of the keys per partition.
  bool ShouldPassThrough() const {
    if (op_.mode() != AggregateMode::kPartial || table_ == nullptr) return false;
    if (rows_seen_ < kPassThroughSampleRows) return false;
    return static_cast<double>(table_->num_groups()) >
           kPassThroughGroupRatio * static_cast<double>(rows_seen_);
  }

  // The partial-state rows of `batch` without grouping: keys, then each aggregate's
  // serialized state of its single row.
  Batch PassThrough(const Batch& batch) {
    const size_t n = batch.num_rows();
    std::vector<ColumnPtr> columns;
    for (const auto& g : op_.groups()) columns.push_back(Evaluate(*g, batch));
    AggregateStates row_states(FunctionsOf(op_.aggregates()), nullptr);
    row_states.AddGroups(n);
    for (size_t a = 0; a < op_.aggregates().size(); a++) {
      const AggregateFunction& fn = *op_.aggregates()[a]->aggregate;
      row_states.RangePointers(0, n, a, &pointers_);
      args_.clear();
      for (const auto& arg : aggregate_args_[a]) args_.push_back(Evaluate(*arg, batch));
      fn.Update(pointers_.data(), args_, n);
      std::vector<std::shared_ptr<Column>> outs;
      std::vector<Column*> raw;
      for (const auto& t : fn.state_types()) {
        outs.push_back(Column::Make(t, n));
        raw.push_back(outs.back().get());
      }
      fn.Serialize(pointers_.data(), n, raw);
      for (auto& c : outs) {
        c->set_size(n);
        columns.push_back(std::move(c));
      }
    }
    return Batch(std::move(columns), n);
  }

  Batch Emit(size_t first, size_t n) {
    std::vector<ColumnPtr> columns;
    for (size_t k = 0; k < op_.groups().size(); k++) {
      columns.push_back(table_->GetKeys(k, first, n));
    }
    for (size_t a = 0; a < op_.aggregates().size(); a++) {
      const AggregateFunction& fn = *op_.aggregates()[a]->aggregate;
      states_.RangePointers(first, n, a, &pointers_);
      if (op_.mode() == AggregateMode::kPartial) {
        std::vector<std::shared_ptr<Column>> outs;
        std::vector<Column*> raw;
        for (const auto& t : fn.state_types()) {
          outs.push_back(Column::Make(t, n));
          raw.push_back(outs.back().get());
        }
        fn.Serialize(pointers_.data(), n, raw);
        for (auto& c : outs) {
          c->set_size(n);
          columns.push_back(std::move(c));
        }
      } else {
        auto col = Column::Make(fn.result_type(), n);
        col->set_size(n);
        fn.Finalize(pointers_.data(), n, col.get(), 0);
        columns.push_back(std::move(col));
      }
    }
    return Batch(std::move(columns), n);
  }

  const HashAggregate& op_;
  std::unique_ptr<BatchStream> input_;
  std::unique_ptr<KeyHashTable> table_;  // null without group keys
  AggregateStates states_;
  std::vector<std::vector<ExprPtr>> aggregate_args_;
  bool consumed_ = false;
  bool pass_through_ = false;
  size_t rows_seen_ = 0;
  size_t emitted_ = 0;
  // Per-batch work buffers, reused.
  std::vector<ColumnPtr> keys_;
  std::vector<ColumnPtr> args_;
  std::vector<uint64_t> hashes_;
  std::vector<uint32_t> group_ids_;
  std::vector<uint8_t*> pointers_;
};

}  // namespace

HashAggregate::HashAggregate(PhysicalOperatorPtr child, std::vector<ExprPtr> groups,
                             std::vector<ExprPtr> aggregates, AggregateMode mode,
                             Schema output_schema)
    : PhysicalOperator(std::move(output_schema), [&] {
        std::vector<PhysicalOperatorPtr> children;
        children.push_back(std::move(child));
        return children;
      }()),
      groups_(std::move(groups)),
      aggregates_(std::move(aggregates)),
      mode_(mode) {}

std::string HashAggregate::details() const {
  return "mode=" + ToString(mode_) + " groups=[" + JoinExprs(groups_) + "] aggregates=[" +
         JoinExprs(aggregates_) + "]";
}

std::unique_ptr<BatchStream> HashAggregate::Execute(int partition, ExecContext& ctx) const {
  return std::make_unique<HashAggregateStream>(*this, ctx, partition);
}

}  // namespace sluice
