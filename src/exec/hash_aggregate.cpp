#include "exec/hash_aggregate.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "exec/aggregate_states.h"
#include "exec/exec_context.h"
#include "exec/hash_table.h"
#include "exec/spill_partitioner.h"
#include "expr/aggregate_function.h"
#include "expr/evaluator.h"

namespace sluice {

std::string ToString(AggregateMode mode) {
  switch (mode) {
    case AggregateMode::kPartial: return "partial";
    case AggregateMode::kFinal: return "final";
    case AggregateMode::kSingle: return "single";
    case AggregateMode::kIntermediate: return "intermediate";
  }
  return "?";
}

namespace {

// Partial aggregation is abandoned when, after this many rows, there are more than this
// fraction of distinct groups.
constexpr size_t kPassThroughSampleRows = 16384;
// Up to this many groups in a table, a batch's rows are sorted by group and each aggregate
// folds a group's rows in one call (AggregateFunction::UpdateOne).
constexpr size_t kFewGroups = 32;
constexpr double kPassThroughGroupRatio = 0.5;

// How long an aggregate holding no groups waits for other tasks to free memory before its
// batch must fit or fail: up to 50 x 20 ms.
constexpr int kMemoryWaitAttempts = 50;
constexpr std::chrono::milliseconds kMemoryWaitStep{20};

std::string JoinExprs(const std::vector<ExprPtr>& exprs) {
  std::string out;
  for (size_t i = 0; i < exprs.size(); i++) {
    if (i > 0) out += ", ";
    out += exprs[i]->ToString();
  }
  return out;
}

// Bytes of the VARCHAR values longer than inline size in `keys` (what inserting them as new
// groups may add to a KeyHashTable's string arena).
size_t LongStringBytes(const std::vector<ColumnPtr>& keys, size_t n) {
  size_t bytes = 0;
  for (const auto& k : keys) {
    if (!k->type().IsStringLike()) continue;
    const StringView* views = k->data<StringView>();
    const size_t rows = k->is_constant() ? 1 : n;
    for (size_t i = 0; i < rows; i++) {
      if (!views[i].IsInline() && k->IsValid(i)) bytes += views[i].size();
    }
  }
  return bytes;
}

// One task of a HashAggregate. Consumes its input into the hash table and the states, then
// emits the groups in insertion order.
//
// When the table cannot grow (the MemoryManager refuses), a partial aggregate emits what it
// has and starts over (the final aggregate merges the pieces); a final or single aggregate
// spills the partial states of its groups, split by hash radix into SpillPartitioner files,
// and starts over. At the end of a pass that spilled, the remaining groups are spilled too,
// and each spilled partition is aggregated alone (merging states), splitting it again at
// the next radix level if it still does not fit. The groups of a spilled run come out
// partition by partition.
class HashAggregateStream : public BatchStream {
 public:
  HashAggregateStream(const HashAggregate& op, ExecContext& ctx, int partition)
      : op_(op), ctx_(ctx), input_(ctx.Execute(op.child(), partition)) {
    for (const auto& g : op.groups()) key_types_.push_back(g->type);
    spill_types_ = key_types_;
    for (const auto& a : op.aggregates()) {
      for (const auto& t : a->aggregate->state_types()) spill_types_.push_back(t);
      std::vector<ExprPtr> args;
      for (const auto& arg : a->args) {
        if (arg->kind != ExprKind::kStar) args.push_back(arg);
      }
      aggregate_args_.push_back(std::move(args));
    }
    source_ = input_.get();
    merge_ = op.mode() == AggregateMode::kFinal || op.mode() == AggregateMode::kIntermediate;
    Reset();
  }

  bool Next(Batch* out) override {
    for (;;) {
      switch (phase_) {
        case Phase::kConsume: Consume(); break;
        case Phase::kEmit:
          if (emitted_ < states_->num_groups()) {
            const size_t n = std::min(kBatchSize, states_->num_groups() - emitted_);
            *out = Emit(emitted_, n);
            emitted_ += n;
            return true;
          }
          AfterEmit();
          break;
        case Phase::kPassThrough: {
          Batch batch;
          if (!input_->Next(&batch)) {
            phase_ = Phase::kDone;
            break;
          }
          *out = PassThrough(batch);
          return true;
        }
        case Phase::kDone: return false;
      }
    }
  }

 private:
  enum class Phase { kConsume, kEmit, kPassThrough, kDone };

  // A spilled partition waiting to be aggregated, and the radix level that splits it.
  struct PendingPartition {
    std::unique_ptr<SpillFile> file;
    int level;
  };

  static std::vector<const AggregateFunction*> FunctionsOf(const std::vector<ExprPtr>& aggs) {
    std::vector<const AggregateFunction*> functions;
    for (const auto& a : aggs) {
      SLUICE_CHECK(a->aggregate != nullptr, "aggregate {} is not bound", a->ToString());
      functions.push_back(a->aggregate.get());
    }
    return functions;
  }

  // Drops the groups (their memory goes back) and starts an empty table.
  void Reset() {
    table_.reset();
    states_.reset();
    // A global aggregate's one group is working memory of fixed size, not reserved: its
    // states would reserve a whole chunk of groups, refused (a failed query) when spilling
    // operators beneath it hold the budget.
    states_ = std::make_unique<AggregateStates>(
        FunctionsOf(op_.aggregates()), key_types_.empty() ? nullptr : &ctx_.memory());
    if (!key_types_.empty()) {
      table_ = std::make_unique<KeyHashTable>(key_types_, &ctx_.memory());
    } else {
      states_->AddGroups(1);  // the one group of a global aggregate exists even for no rows
    }
    emitted_ = 0;
  }

  // With nothing of ours to give back, other tasks hold the budget. They spill when refused
  // and release what they hold as they finish, so waits a little for room before the batch
  // must fit or fail.
  void ConsumeWhenRoom(const Batch& batch) {
    for (int attempt = 0; attempt < kMemoryWaitAttempts; attempt++) {
      if (ctx_.cancelled()) break;
      std::this_thread::sleep_for(kMemoryWaitStep);
      if (ConsumeBatch(batch, /*force=*/false)) return;
    }
    ConsumeBatch(batch, /*force=*/true);
  }

  // Feeds the current source into the table until it ends, the table must be flushed
  // (partial), or the partial aggregate gives up grouping.
  void Consume() {
    Batch batch;
    for (;;) {
      if (has_pending_batch_) {
        batch = std::move(pending_batch_);
        has_pending_batch_ = false;
      } else if (!source_->Next(&batch)) {
        break;
      }
      if (!ConsumeBatch(batch, /*force=*/false)) {
        if (states_->num_groups() == 0) {
          ConsumeWhenRoom(batch);
        } else if (op_.mode() == AggregateMode::kPartial) {
          // Emit what we have and start over with this batch.
          pending_batch_ = std::move(batch);
          has_pending_batch_ = true;
          flushing_ = true;
          phase_ = Phase::kEmit;
          return;
        } else {
          SpillTable();
          // Another task may take what the spill gave back before this batch does.
          if (!ConsumeBatch(batch, /*force=*/false)) ConsumeWhenRoom(batch);
        }
      }
      if (ShouldPassThrough()) {
        pass_through_ = true;
        phase_ = Phase::kEmit;
        return;
      }
    }
    if (spiller_ != nullptr) {
      // This pass spilled: the rest of its groups join their partitions, which are then
      // aggregated one by one (partition 0 first).
      SpillTable();
      auto files = spiller_->Finish();
      const int level = spiller_->level() + 1;
      spiller_.reset();
      for (auto it = files.rbegin(); it != files.rend(); ++it) {
        if (*it != nullptr) pending_.push_back({std::move(*it), level});
      }
      StartNextPartition();
      return;
    }
    phase_ = Phase::kEmit;
  }

  void AfterEmit() {
    if (flushing_) {
      flushing_ = false;
      Reset();
      phase_ = Phase::kConsume;
    } else if (pass_through_) {
      phase_ = Phase::kPassThrough;
    } else {
      StartNextPartition();
    }
  }

  void StartNextPartition() {
    Reset();
    reader_.reset();
    current_file_.reset();  // its disk space goes back
    if (pending_.empty()) {
      phase_ = Phase::kDone;
      return;
    }
    current_file_ = std::move(pending_.back().file);
    level_ = pending_.back().level;
    pending_.pop_back();
    reader_ = current_file_->OpenReader();
    source_ = reader_.get();
    merge_ = true;  // spilled rows are partial states
    phase_ = Phase::kConsume;
  }

  // Writes the groups of the table as partial-state rows to the partitions of this pass,
  // then empties the table.
  void SpillTable() {
    SLUICE_CHECK(table_ != nullptr, "a global aggregate never spills");
    if (spiller_ == nullptr) {
      if (level_ > SpillPartitioner::kMaxLevel) {
        throw OutOfMemoryError(fmt::format(
            "hash aggregate cannot fit one spill partition in the memory_limit {} (too many "
            "equal keys?); raise it with SET memory_limit='...'",
            FormatBytes(ctx_.memory().limit())));
      }
      spiller_ = std::make_unique<SpillPartitioner>(&ctx_.temp_directory(), "aggregate",
                                                    spill_types_, level_);
    }
    const int64_t before = spiller_->bytes_written();
    const size_t total = states_->num_groups();
    std::vector<uint64_t> hashes(kBatchSize);
    for (size_t first = 0; first < total; first += kBatchSize) {
      const size_t n = std::min(kBatchSize, total - first);
      for (size_t i = 0; i < n; i++) hashes[i] = table_->group_hash(static_cast<uint32_t>(first + i));
      spiller_->Append(EmitStates(first, n), hashes.data());
    }
    ctx_.metrics(op_.id()).spilled_bytes += spiller_->bytes_written() - before;
    Reset();
  }

  // Adds `batch` to the table. Without `force`, first makes room for all its rows as new
  // groups and returns false, consuming nothing, when the memory is refused; with `force`,
  // a refusal throws OutOfMemoryError.
  bool ConsumeBatch(const Batch& batch, bool force) {
    const size_t n = batch.num_rows();
    const size_t num_keys = op_.groups().size();
    keys_.clear();
    for (size_t k = 0; k < num_keys; k++) {
      keys_.push_back(merge_ ? batch.column(k) : Evaluate(*op_.groups()[k], batch));
    }
    group_ids_.resize(n);
    if (table_ != nullptr) {
      const size_t groups = table_->num_groups() + n;
      if (!force && !(table_->TryReserve(groups, 2 * LongStringBytes(keys_, n) + 16384) &&
                      states_->TryReserve(groups))) {
        return false;
      }
      hashes_.resize(n);
      HashKeyColumns(keys_, nullptr, n, hashes_.data());
      table_->FindOrInsert(keys_, nullptr, n, hashes_.data(), group_ids_.data());
      if (table_->num_groups() > states_->num_groups()) {
        states_->AddGroups(table_->num_groups() - states_->num_groups());
      }
    } else {
      std::fill(group_ids_.begin(), group_ids_.end(), 0);
    }
    if (source_ == input_.get()) rows_seen_ += n;

    const bool few_groups = !merge_ && SortByGroup(n);
    size_t next_input = num_keys;
    for (size_t a = 0; a < op_.aggregates().size(); a++) {
      const AggregateFunction& fn = *op_.aggregates()[a]->aggregate;
      args_.clear();
      if (merge_) {
        const size_t width = fn.state_types().size();
        for (size_t c = 0; c < width; c++) args_.push_back(batch.column(next_input + c));
        next_input += width;
        states_->Pointers(group_ids_.data(), n, a, &pointers_);
        fn.Merge(pointers_.data(), args_, n);
        continue;
      }
      for (const auto& arg : aggregate_args_[a]) args_.push_back(Evaluate(*arg, batch));
      if (few_groups && UpdateByGroup(fn, a, n)) continue;
      states_->Pointers(group_ids_.data(), n, a, &pointers_);
      fn.Update(pointers_.data(), args_, n);
    }
    return true;
  }

  // With at most kFewGroups groups in the table, the rows of the batch by group:
  // group_rows_[group_starts_[g] .. group_starts_[g + 1]) are group g's (in row order);
  // false with more groups. Without group keys, all rows are group 0 and nothing is sorted.
  bool SortByGroup(size_t n) {
    const size_t groups = table_ != nullptr ? states_->num_groups() : 1;
    if (groups > kFewGroups) return false;
    group_starts_.assign(groups + 1, 0);
    if (table_ == nullptr) {
      group_starts_[1] = n;
      return true;
    }
    for (size_t i = 0; i < n; i++) group_starts_[group_ids_[i] + 1]++;
    for (size_t g = 0; g < groups; g++) group_starts_[g + 1] += group_starts_[g];
    group_rows_.resize(n);
    fill_.assign(group_starts_.begin(), group_starts_.end() - 1);
    for (size_t i = 0; i < n; i++) group_rows_[fill_[group_ids_[i]]++] = static_cast<uint32_t>(i);
    return true;
  }

  // args_ of aggregate `a` folded into each group's state in one call per group
  // (AggregateFunction::UpdateOne); false when `fn` has no such path.
  bool UpdateByGroup(const AggregateFunction& fn, size_t a, size_t n) {
    const size_t groups = group_starts_.size() - 1;
    bool updated = false;
    for (size_t g = 0; g < groups; g++) {
      const size_t first = group_starts_[g], count = group_starts_[g + 1] - first;
      if (count == 0) continue;
      const uint32_t* sel = table_ != nullptr && count < n ? group_rows_.data() + first : nullptr;
      if (!fn.UpdateOne(states_->State(g, a), args_, sel, count)) {
        // Whether a function has the path does not depend on the rows.
        SLUICE_CHECK(!updated, "UpdateOne refused a group after updating another");
        return false;
      }
      updated = true;
    }
    return true;
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
    std::unique_ptr<AggregateStates> row_states;
    for (size_t a = 0; a < op_.aggregates().size(); a++) {
      const AggregateFunction& fn = *op_.aggregates()[a]->aggregate;
      args_.clear();
      for (const auto& arg : aggregate_args_[a]) args_.push_back(Evaluate(*arg, batch));
      std::vector<std::shared_ptr<Column>> outs;
      std::vector<Column*> raw;
      for (const auto& t : fn.state_types()) {
        outs.push_back(Column::Make(t, n));
        raw.push_back(outs.back().get());
      }
      if (!fn.SerializeRows(args_, n, raw)) {
        if (row_states == nullptr) {
          row_states = std::make_unique<AggregateStates>(FunctionsOf(op_.aggregates()), nullptr);
          row_states->AddGroups(n);
        }
        row_states->RangePointers(0, n, a, &pointers_);
        fn.Update(pointers_.data(), args_, n);
        fn.Serialize(pointers_.data(), n, raw);
      }
      for (auto& c : outs) {
        c->set_size(n);
        columns.push_back(std::move(c));
      }
    }
    return Batch(std::move(columns), n);
  }

  // Appends the serialized states in pointers_ (n of them) as columns.
  void SerializeStates(const AggregateFunction& fn, size_t n, std::vector<ColumnPtr>* columns) {
    std::vector<std::shared_ptr<Column>> outs;
    std::vector<Column*> raw;
    for (const auto& t : fn.state_types()) {
      outs.push_back(Column::Make(t, n));
      raw.push_back(outs.back().get());
    }
    fn.Serialize(pointers_.data(), n, raw);
    for (auto& c : outs) {
      c->set_size(n);
      columns->push_back(std::move(c));
    }
  }

  // Groups [first, first + n) as keys plus serialized states (the kPartial output format,
  // also the spill format).
  Batch EmitStates(size_t first, size_t n) {
    std::vector<ColumnPtr> columns;
    for (size_t k = 0; k < op_.groups().size(); k++) {
      columns.push_back(table_->GetKeys(k, first, n));
    }
    for (size_t a = 0; a < op_.aggregates().size(); a++) {
      states_->RangePointers(first, n, a, &pointers_);
      SerializeStates(*op_.aggregates()[a]->aggregate, n, &columns);
    }
    return Batch(std::move(columns), n);
  }

  Batch Emit(size_t first, size_t n) {
    if (op_.mode() == AggregateMode::kPartial || op_.mode() == AggregateMode::kIntermediate) {
      return EmitStates(first, n);
    }
    std::vector<ColumnPtr> columns;
    for (size_t k = 0; k < op_.groups().size(); k++) {
      columns.push_back(table_->GetKeys(k, first, n));
    }
    for (size_t a = 0; a < op_.aggregates().size(); a++) {
      const AggregateFunction& fn = *op_.aggregates()[a]->aggregate;
      states_->RangePointers(first, n, a, &pointers_);
      auto col = Column::Make(fn.result_type(), n);
      col->set_size(n);
      fn.Finalize(pointers_.data(), n, col.get(), 0);
      columns.push_back(std::move(col));
    }
    return Batch(std::move(columns), n);
  }

  const HashAggregate& op_;
  ExecContext& ctx_;
  std::unique_ptr<BatchStream> input_;
  std::vector<LogicalType> key_types_;
  std::vector<LogicalType> spill_types_;  // keys, then every aggregate's state columns
  std::unique_ptr<KeyHashTable> table_;  // null without group keys
  std::unique_ptr<AggregateStates> states_;
  std::vector<std::vector<ExprPtr>> aggregate_args_;

  Phase phase_ = Phase::kConsume;
  BatchStream* source_;  // input_ or a spilled partition's reader
  bool merge_ = false;   // the source holds partial states (kFinal input, spill files)
  Batch pending_batch_;  // a partial's batch that did not fit before a flush
  bool has_pending_batch_ = false;
  bool flushing_ = false;
  bool pass_through_ = false;
  size_t rows_seen_ = 0;
  size_t emitted_ = 0;

  // Spilling: the partitions of the current pass, those waiting, the one being read.
  int level_ = 0;
  std::unique_ptr<SpillPartitioner> spiller_;
  std::vector<PendingPartition> pending_;
  std::unique_ptr<SpillFile> current_file_;
  std::unique_ptr<BatchStream> reader_;

  // Per-batch work buffers, reused.
  std::vector<ColumnPtr> keys_;
  std::vector<ColumnPtr> args_;
  std::vector<uint64_t> hashes_;
  std::vector<uint32_t> group_ids_;
  std::vector<uint8_t*> pointers_;
  // SortByGroup's result and scratch.
  std::vector<size_t> group_starts_, fill_;
  std::vector<uint32_t> group_rows_;
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
