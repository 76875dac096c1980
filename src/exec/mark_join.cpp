#include "exec/mark_join.h"

#include <atomic>

#include "exec/exchange.h"
#include "exec/exec_context.h"
#include "exec/join_build.h"
#include "expr/evaluator.h"

namespace sluice {

namespace {

// The left rows' table and one mark per left row, shared by every task of the query.
class MarkTable : public SharedState {
 public:
  MarkTable(std::unique_ptr<JoinBuildTable> table)
      : table_(std::move(table)), marks_(new std::atomic<uint8_t>[table_->num_rows()]()) {}

  const JoinBuildTable& table() const { return *table_; }
  void Mark(uint32_t row) { marks_[row].store(1, std::memory_order_relaxed); }
  bool marked(uint32_t row) const { return marks_[row].load(std::memory_order_relaxed) != 0; }

 private:
  std::unique_ptr<JoinBuildTable> table_;
  std::unique_ptr<std::atomic<uint8_t>[]> marks_;
};

MarkTable& SharedMarks(const MarkJoinProbe& op, ExecContext& ctx) {
  auto make = [&] {
    const PhysicalOperator& left = op.child(1);
    auto table = std::make_unique<JoinBuildTable>(left.schema(), op.left_keys(), &ctx.memory());
    auto input = ctx.Execute(left, 0);
    table->Build(input.get());
    return std::make_unique<MarkTable>(std::move(table));
  };
  return ctx.GetSharedState<MarkTable>(op.id(), std::function<std::unique_ptr<MarkTable>()>(make));
}

// One task of the probe stage: marks, outputs nothing.
class MarkProbeStream : public BatchStream {
 public:
  MarkProbeStream(const MarkJoinProbe& op, ExecContext& ctx, int partition)
      : op_(op), marks_(SharedMarks(op, ctx)), right_(ctx.Execute(op.child(0), partition)) {}

  bool Next(Batch* out) override {
    (void)out;
    Batch batch;
    while (right_->Next(&batch)) MarkBatch(batch);
    return false;
  }

 private:
  void MarkBatch(const Batch& batch) {
    const size_t n = batch.num_rows();
    if (n == 0) return;
    const JoinBuildTable& table = marks_.table();
    std::vector<ColumnPtr> keys;
    for (int k : op_.right_keys()) keys.push_back(batch.column(k));
    groups_.resize(n);
    table.Probe(keys, n, groups_.data(), &scratch_);
    const uint32_t* rows = table.rows();
    const uint32_t* offsets = table.offsets();
    if (op_.residual() == nullptr) {
      for (size_t i = 0; i < n; i++) {
        const uint32_t g = groups_[i];
        if (g == KeyHashTable::kNoGroup) continue;
        for (uint32_t r = offsets[g]; r < offsets[g + 1]; r++) {
          if (!marks_.marked(rows[r])) marks_.Mark(rows[r]);
        }
      }
      return;
    }
    // Candidate pairs of left rows not yet marked, a batch at a time through the residual.
    left_rows_.clear();
    right_rows_.clear();
    for (size_t i = 0; i < n; i++) {
      const uint32_t g = groups_[i];
      if (g == KeyHashTable::kNoGroup) continue;
      for (uint32_t r = offsets[g]; r < offsets[g + 1]; r++) {
        if (marks_.marked(rows[r])) continue;
        left_rows_.push_back(rows[r]);
        right_rows_.push_back(static_cast<uint32_t>(i));
        if (left_rows_.size() == kBatchSize) MarkPassing(batch);
      }
    }
    MarkPassing(batch);
  }

  void MarkPassing(const Batch& right) {
    const size_t count = left_rows_.size();
    if (count == 0) return;
    std::vector<ColumnPtr> columns;
    for (const auto& c : marks_.table().columns()) columns.push_back(c->Gather(left_rows_.data(), count));
    for (const auto& c : right.columns()) columns.push_back(c->Gather(right_rows_.data(), count));
    const Batch pairs(std::move(columns), count);
    sel_.resize(count);
    const size_t passing = EvaluateFilter(*op_.residual(), pairs, sel_.data());
    for (size_t t = 0; t < passing; t++) marks_.Mark(left_rows_[sel_[t]]);
    left_rows_.clear();
    right_rows_.clear();
  }

  const MarkJoinProbe& op_;
  MarkTable& marks_;
  std::unique_ptr<BatchStream> right_;
  JoinBuildTable::ProbeScratch scratch_;
  std::vector<uint32_t> groups_;
  std::vector<uint32_t> left_rows_;
  std::vector<uint32_t> right_rows_;
  std::vector<uint32_t> sel_;
};

// One task of the emit stage: its range of the left rows, those marked (semi) or not (anti).
class MarkEmitStream : public BatchStream {
 public:
  MarkEmitStream(const MarkJoinProbe& probe, ExecContext& ctx, std::unique_ptr<BatchStream> input,
                 int partition, int partitions)
      : marks_(SharedMarks(probe, ctx)), want_marked_(probe.type() == JoinType::kSemi) {
    Batch ignored;
    while (input->Next(&ignored)) {
    }
    const size_t n = marks_.table().num_rows();
    next_ = n * static_cast<size_t>(partition) / static_cast<size_t>(partitions);
    end_ = n * static_cast<size_t>(partition + 1) / static_cast<size_t>(partitions);
  }

  bool Next(Batch* out) override {
    const JoinBuildTable& table = marks_.table();
    while (next_ < end_) {
      sel_.clear();
      while (next_ < end_ && sel_.size() < kBatchSize) {
        const auto row = static_cast<uint32_t>(next_++);
        if (marks_.marked(row) == want_marked_) sel_.push_back(row);
      }
      if (sel_.empty()) continue;
      std::vector<ColumnPtr> columns;
      for (const auto& c : table.columns()) columns.push_back(c->Gather(sel_.data(), sel_.size()));
      *out = Batch(std::move(columns), sel_.size());
      return true;
    }
    return false;
  }

 private:
  MarkTable& marks_;
  bool want_marked_;
  size_t next_ = 0;
  size_t end_ = 0;
  std::vector<uint32_t> sel_;
};

const MarkJoinProbe& ProbeBelow(const PhysicalOperator& op) {
  const PhysicalOperator* node = &op;
  while (dynamic_cast<const MarkJoinProbe*>(node) == nullptr) {
    SLUICE_CHECK(!node->children().empty(), "MarkJoinEmit without its MarkJoinProbe");
    node = &node->child();
  }
  return static_cast<const MarkJoinProbe&>(*node);
}

}  // namespace

MarkJoinProbe::MarkJoinProbe(Schema left_schema, PhysicalOperatorPtr right,
                             PhysicalOperatorPtr left, JoinType type, std::vector<int> right_keys,
                             std::vector<int> left_keys, ExprPtr residual)
    : PhysicalOperator(std::move(left_schema), [&] {
        std::vector<PhysicalOperatorPtr> children;
        children.push_back(std::move(right));
        children.push_back(std::move(left));
        return children;
      }()),
      type_(type),
      right_keys_(std::move(right_keys)),
      left_keys_(std::move(left_keys)),
      residual_(std::move(residual)) {
  SLUICE_CHECK(type_ == JoinType::kSemi || type_ == JoinType::kAnti,
               "a mark join is semi or anti, not {}", sluice::ToString(type_));
  SLUICE_CHECK(right_keys_.size() == left_keys_.size() && !left_keys_.empty(),
               "{} right keys, {} left keys", right_keys_.size(), left_keys_.size());
}

std::string MarkJoinProbe::details() const {
  std::string out = sluice::ToString(type_) + " [" + child(1).schema().ColumnLabels(left_keys_) +
                    "] = [" + child(0).schema().ColumnLabels(right_keys_) + "]";
  if (residual_ != nullptr) out += " residual " + residual_->ToString();
  return out;
}

std::unique_ptr<BatchStream> MarkJoinProbe::Execute(int partition, ExecContext& ctx) const {
  return std::make_unique<MarkProbeStream>(*this, ctx, partition);
}

MarkJoinEmit::MarkJoinEmit(PhysicalOperatorPtr exchange, Schema left_schema)
    : PhysicalOperator(std::move(left_schema), std::move(exchange)) {}

std::string MarkJoinEmit::details() const {
  const MarkJoinProbe& probe = ProbeBelow(*this);
  return probe.type() == JoinType::kSemi ? "left rows marked" : "left rows not marked";
}

std::unique_ptr<BatchStream> MarkJoinEmit::Execute(int partition, ExecContext& ctx) const {
  return std::make_unique<MarkEmitStream>(ProbeBelow(*this), ctx, ctx.Execute(child(), partition),
                                          partition, child().num_partitions());
}

PhysicalOperatorPtr MakeMarkJoin(PhysicalOperatorPtr left, PhysicalOperatorPtr right,
                                 JoinType type, std::vector<int> left_keys,
                                 std::vector<int> right_keys, ExprPtr residual, int partitions) {
  Schema left_schema = left->schema();
  if (left->output_partitioning().kind != Partitioning::Kind::kBroadcast) {
    left = std::make_unique<Exchange>(std::move(left), Partitioning::Broadcast(1));
  }
  auto probe = std::make_unique<MarkJoinProbe>(left_schema, std::move(right), std::move(left), type,
                                               std::move(right_keys), std::move(left_keys),
                                               std::move(residual));
  auto exchange = std::make_unique<Exchange>(std::move(probe),
                                             Partitioning::RoundRobin(std::max(1, partitions)));
  return std::make_unique<MarkJoinEmit>(std::move(exchange), std::move(left_schema));
}

}  // namespace sluice
