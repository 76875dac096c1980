#include "exec/hash_join.h"

#include <algorithm>

#include "exec/exec_context.h"
#include "exec/join_build.h"
#include "expr/evaluator.h"

namespace sluice {

std::string ToString(JoinDistribution distribution) {
  return distribution == JoinDistribution::kBroadcast ? "broadcast" : "partitioned";
}

namespace {

std::string KeyList(const std::vector<int>& keys) {
  std::string out;
  for (size_t i = 0; i < keys.size(); i++) out += (i > 0 ? ", #" : "#") + std::to_string(keys[i]);
  return out;
}

// One probe task. A state machine over probe batches: for each batch, emit chunks of
// matching pairs, then (left/full/semi/anti) the rows decided by the match flags; after the
// last batch, (right/full) the build rows that never matched.
class HashJoinStream : public BatchStream {
 public:
  HashJoinStream(const HashJoin& op, ExecContext& ctx, int partition)
      : op_(op), type_(op.type()) {
    const PhysicalOperator& build_op = op.child(1);
    auto make = [&] {
      auto table = std::make_unique<JoinBuildTable>(build_op.schema(), op.build_keys(),
                                                    &ctx.memory());
      auto input = ctx.Execute(build_op, op.distribution() == JoinDistribution::kBroadcast
                                             ? 0 : partition);
      table->Build(input.get());
      return table;
    };
    if (op.distribution() == JoinDistribution::kBroadcast) {
      build_ = &ctx.GetSharedState<JoinBuildTable>(
          op.id(), std::function<std::unique_ptr<JoinBuildTable>()>(make));
    } else {
      owned_build_ = make();
      build_ = owned_build_.get();
    }
    probe_ = ctx.Execute(op.child(0), partition);
    if (type_ == JoinType::kRight || type_ == JoinType::kFull) {
      build_matched_.assign(build_->num_rows(), 0);
    }
    pair_probe_.resize(kBatchSize);
    pair_build_.resize(kBatchSize);
    filter_sel_.resize(kBatchSize);
  }

  bool Next(Batch* out) override {
    for (;;) {
      if (!has_batch_) {
        if (probe_done_) return EmitUnmatchedBuild(out);
        if (!probe_->Next(&batch_)) {
          probe_done_ = true;
          continue;
        }
        StartBatch();
      }
      if (row_ < batch_.num_rows()) {
        if (NextPairs(out)) return true;
        continue;
      }
      has_batch_ = false;
      if (EmitBatchTail(out)) return true;
    }
  }

 private:
  bool OutputsPairs() const { return type_ != JoinType::kSemi && type_ != JoinType::kAnti; }

  // The probe column holding the same values as build column `build_column` on matched
  // pairs (a key of a type whose equality is identity of value), or -1.
  int ProbeColumnEqualTo(int build_column) const {
    const auto& build_keys = op_.build_keys();
    for (size_t k = 0; k < build_keys.size(); k++) {
      if (build_keys[k] != build_column) continue;
      const int probe = op_.probe_keys()[k];
      const LogicalType& t = op_.child(0).schema().field(probe).type;
      if (!(t == op_.child(1).schema().field(build_column).type)) return -1;
      if (t.IsInteger() || t.id() == TypeId::kDate || t.id() == TypeId::kTimestamp ||
          t.id() == TypeId::kVarchar || t.id() == TypeId::kBoolean) {
        return probe;
      }
      return -1;
    }
    return -1;
  }

  void StartBatch() {
    const size_t n = batch_.num_rows();
    keys_.clear();
    for (int k : op_.probe_keys()) keys_.push_back(batch_.column(k));
    groups_.resize(n);
    build_->Probe(keys_, n, groups_.data(), &scratch_);
    probe_matched_.assign(n, 0);
    row_ = 0;
    match_ = 0;
    has_batch_ = true;
    // Without a residual, a probe row matches iff it found a group: semi/anti need no pairs.
    if (op_.residual() == nullptr && !OutputsPairs()) {
      for (size_t i = 0; i < n; i++) probe_matched_[i] = groups_[i] != KeyHashTable::kNoGroup;
      row_ = n;
    }
  }

  // Collects up to kBatchSize (probe row, build row) candidate pairs from the cursor, then
  // filters them with the residual and records matches. Returns true with `out` set when
  // there are output rows.
  bool NextPairs(Batch* out) {
    const uint32_t* rows = build_->rows();
    const uint32_t* offsets = build_->offsets();
    const size_t n = batch_.num_rows();
    const bool skip_matched = !OutputsPairs();  // semi/anti need one passing pair per row
    size_t count = 0;
    if (build_->unique_keys() && !skip_matched) {
      // One build row per key: rows[g] is the partner, no run to walk.
      while (row_ < n && count < kBatchSize) {
        const uint32_t g = groups_[row_];
        pair_probe_[count] = static_cast<uint32_t>(row_);
        pair_build_[count] = g == KeyHashTable::kNoGroup ? 0 : rows[g];
        count += g == KeyHashTable::kNoGroup ? 0 : 1;
        row_++;
      }
      match_ = 0;
    }
    while (row_ < n && count < kBatchSize) {
      const uint32_t g = groups_[row_];
      if (g == KeyHashTable::kNoGroup || (skip_matched && probe_matched_[row_])) {
        row_++;
        match_ = 0;
        continue;
      }
      const size_t begin = offsets[g] + match_;
      const size_t end = offsets[g + 1];
      const size_t take = std::min(end - begin, kBatchSize - count);
      for (size_t t = 0; t < take; t++) {
        pair_probe_[count + t] = static_cast<uint32_t>(row_);
        pair_build_[count + t] = rows[begin + t];
      }
      count += take;
      if (begin + take == end) {
        row_++;
        match_ = 0;
      } else {
        match_ += take;
      }
    }
    if (count == 0) return false;

    std::vector<ColumnPtr> columns;
    const auto& build_columns = build_->columns();
    // Common case (key-foreign key joins): every probe row of the batch matched exactly
    // once, in order, so the probe columns pass through without a copy.
    bool identity = count == n;
    for (size_t t = 0; identity && t < count; t++) identity = pair_probe_[t] == t;
    for (const auto& c : batch_.columns()) {
      columns.push_back(identity ? c : ColumnPtr(c->Gather(pair_probe_.data(), count)));
    }
    for (size_t b = 0; b < build_columns.size(); b++) {
      // A build key column equals its probe key on every matched pair: reuse the probe side's
      // (already gathered, often zero-copy) column instead of a random-access gather.
      const int probe_column = ProbeColumnEqualTo(static_cast<int>(b));
      columns.push_back(probe_column >= 0
                            ? columns[probe_column]
                            : ColumnPtr(build_columns[b]->Gather(pair_build_.data(), count)));
    }
    Batch pairs(std::move(columns), count);
    size_t passing = count;
    const uint32_t* sel = nullptr;
    if (op_.residual() != nullptr) {
      passing = EvaluateFilter(*op_.residual(), pairs, filter_sel_.data());
      sel = filter_sel_.data();
    }
    for (size_t t = 0; t < passing; t++) {
      const uint32_t pair = sel != nullptr ? sel[t] : static_cast<uint32_t>(t);
      probe_matched_[pair_probe_[pair]] = 1;
      if (!build_matched_.empty()) build_matched_[pair_build_[pair]] = 1;
    }
    if (!OutputsPairs() || passing == 0) return false;
    *out = passing == count ? std::move(pairs) : pairs.Gather(sel, passing);
    return true;
  }

  // After a probe batch: unmatched probe rows for left/full, matched for semi, unmatched
  // for anti.
  bool EmitBatchTail(Batch* out) {
    if (type_ == JoinType::kInner || type_ == JoinType::kRight) return false;
    const bool want_matched = type_ == JoinType::kSemi;
    const size_t n = batch_.num_rows();
    tail_sel_.resize(n);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
      tail_sel_[m] = static_cast<uint32_t>(i);
      m += (probe_matched_[i] != 0) == want_matched ? 1 : 0;
    }
    if (m == 0) return false;
    Batch probe_rows = m == n ? batch_ : batch_.Gather(tail_sel_.data(), m);
    if (!OutputsPairs()) {
      *out = std::move(probe_rows);
      return true;
    }
    std::vector<ColumnPtr> columns = probe_rows.columns();
    for (const auto& c : build_->columns()) columns.push_back(MakeNullColumn(c->type(), m));
    *out = Batch(std::move(columns), m);
    return true;
  }

  bool EmitUnmatchedBuild(Batch* out) {
    const size_t total = build_matched_.size();
    tail_sel_.resize(kBatchSize);
    size_t m = 0;
    while (build_cursor_ < total && m < kBatchSize) {
      tail_sel_[m] = static_cast<uint32_t>(build_cursor_);
      m += build_matched_[build_cursor_++] == 0 ? 1 : 0;
    }
    if (m == 0) return false;
    std::vector<ColumnPtr> columns;
    for (const auto& f : op_.child(0).schema().fields()) {
      columns.push_back(MakeNullColumn(f.type, m));
    }
    for (const auto& c : build_->columns()) columns.push_back(c->Gather(tail_sel_.data(), m));
    *out = Batch(std::move(columns), m);
    return true;
  }

  const HashJoin& op_;
  const JoinType type_;
  std::unique_ptr<JoinBuildTable> owned_build_;  // kPartitioned only
  const JoinBuildTable* build_ = nullptr;
  std::unique_ptr<BatchStream> probe_;
  std::vector<uint8_t> build_matched_;  // right/full: build rows that found a partner

  // The current probe batch and the resume point within it.
  Batch batch_;
  bool has_batch_ = false;
  bool probe_done_ = false;
  size_t row_ = 0;
  size_t match_ = 0;  // matches of row_ already emitted
  size_t build_cursor_ = 0;
  std::vector<uint8_t> probe_matched_;

  // Reused work buffers.
  std::vector<ColumnPtr> keys_;
  std::vector<uint32_t> groups_;
  JoinBuildTable::ProbeScratch scratch_;
  std::vector<uint32_t> pair_probe_;
  std::vector<uint32_t> pair_build_;
  std::vector<uint32_t> filter_sel_;
  std::vector<uint32_t> tail_sel_;
};

}  // namespace

HashJoin::HashJoin(PhysicalOperatorPtr probe, PhysicalOperatorPtr build, JoinType type,
                   std::vector<int> probe_keys, std::vector<int> build_keys, ExprPtr residual,
                   JoinDistribution distribution, Schema output_schema)
    : PhysicalOperator(std::move(output_schema), [&] {
        std::vector<PhysicalOperatorPtr> children;
        children.push_back(std::move(probe));
        children.push_back(std::move(build));
        return children;
      }()),
      type_(type),
      probe_keys_(std::move(probe_keys)),
      build_keys_(std::move(build_keys)),
      residual_(std::move(residual)),
      distribution_(distribution) {
  SLUICE_CHECK(probe_keys_.size() == build_keys_.size(), "{} probe keys, {} build keys",
               probe_keys_.size(), build_keys_.size());
  if (distribution_ == JoinDistribution::kBroadcast) {
    SLUICE_CHECK(type_ != JoinType::kRight && type_ != JoinType::kFull,
                 "a broadcast join cannot be {}", sluice::ToString(type_));
  } else {
    SLUICE_CHECK(child(0).num_partitions() == child(1).num_partitions(),
                 "partitioned join over {} and {} partitions", child(0).num_partitions(),
                 child(1).num_partitions());
  }
}

std::string HashJoin::details() const {
  std::string out = sluice::ToString(type_) + " " + sluice::ToString(distribution_) + " [" +
                    KeyList(probe_keys_) + "] = [" + KeyList(build_keys_) + "]";
  if (residual_ != nullptr) out += " residual " + residual_->ToString();
  return out;
}

Partitioning HashJoin::output_partitioning() const {
  const Partitioning probe = child(0).output_partitioning();
  // Right/full rows with NULL probe columns no longer follow the probe's hash partitioning.
  if (type_ == JoinType::kRight || type_ == JoinType::kFull) {
    return Partitioning::Unknown(probe.num_partitions);
  }
  return probe;
}

std::unique_ptr<BatchStream> HashJoin::Execute(int partition, ExecContext& ctx) const {
  return std::make_unique<HashJoinStream>(*this, ctx, partition);
}

}  // namespace sluice
