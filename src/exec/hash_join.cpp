#include "exec/hash_join.h"

#include <algorithm>

#include "exec/exec_context.h"
#include "exec/join_build.h"
#include "exec/spill_partitioner.h"
#include "expr/evaluator.h"

namespace sluice {

std::string ToString(JoinDistribution distribution) {
  return distribution == JoinDistribution::kBroadcast ? "broadcast" : "partitioned";
}

namespace {

// Tracked bytes per build row beyond the batches themselves while a partitioned build is
// loaded: the flat copy of the columns is counted as the batches' size again, plus the hash
// table (slots at half load, key copies, hashes) and the row lists.
constexpr int64_t kBuildBytesPerRow = 96;

int64_t BuildFootprint(int64_t bytes, size_t rows) {
  return 2 * bytes + kBuildBytesPerRow * static_cast<int64_t>(rows);
}

// One probe task. A state machine over probe batches: for each batch, emit chunks of
// matching pairs, then (left/full/semi/anti) the rows decided by the match flags; after the
// last batch, (right/full) the build rows that never matched.
//
// A partitioned build that does not fit (its reservation is refused) turns into a grace hash
// join: both inputs are split by key hash radix into SpillPartitioner files, and each pair
// of partitions is joined alone by the same state machine; a pair whose build still does
// not fit is split again at the next radix level. The broadcast build is shared by all
// tasks and must fit (the planner broadcasts only small build sides).
class HashJoinStream : public BatchStream {
 public:
  HashJoinStream(const HashJoin& op, ExecContext& ctx, int partition)
      : op_(op), ctx_(ctx), type_(op.type()), build_reservation_(&ctx.memory(), "hash join build") {
    const PhysicalOperator& build_op = op.child(1);
    pair_probe_.resize(kBatchSize);
    pair_build_.resize(kBatchSize);
    filter_sel_.resize(kBatchSize);
    if (op.distribution() == JoinDistribution::kBroadcast) {
      auto make = [&] {
        auto table = std::make_unique<JoinBuildTable>(build_op.schema(), op.build_keys(),
                                                      &ctx.memory());
        auto input = ctx.Execute(build_op, 0);
        table->Build(input.get());
        return table;
      };
      const JoinBuildTable* build = &ctx.GetSharedState<JoinBuildTable>(
          op.id(), std::function<std::unique_ptr<JoinBuildTable>()>(make));
      owned_probe_ = ctx.Execute(op.child(0), partition);
      StartJoin(build, owned_probe_.get());
      return;
    }
    auto build_input = ctx.Execute(build_op, partition);
    if (TryLoadBuild(build_input.get(), 0)) {
      owned_probe_ = ctx.Execute(op.child(0), partition);
      StartJoin(owned_build_.get(), owned_probe_.get());
      return;
    }
    // Grace: spill both sides by key hash, then join partition pairs one by one.
    auto probe_input = ctx.Execute(op.child(0), partition);
    SpillBothSides(build_input.get(), probe_input.get(), 0);
    if (!NextGracePartition()) probe_done_ = true;
  }

  bool Next(Batch* out) override {
    for (;;) {
      if (!has_batch_) {
        if (probe_done_) {
          if (EmitUnmatchedBuild(out)) return true;
          if (!NextGracePartition()) return false;
          continue;
        }
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
  // Whether the probe rows that found a partner are recorded (probe_matched_): for the rows
  // a left/full/semi/anti join emits after each batch; inner and right joins need none.
  bool TracksProbeMatches() const { return type_ != JoinType::kInner && type_ != JoinType::kRight; }

  // A pair of spilled partitions waiting to be joined (either file may be null: no rows).
  struct GracePartition {
    std::unique_ptr<SpillFile> build;
    std::unique_ptr<SpillFile> probe;
    int level;
  };

  // Starts joining `probe` against `build` from the first probe batch.
  void StartJoin(const JoinBuildTable* build, BatchStream* probe) {
    build_ = build;
    probe_ = probe;
    has_batch_ = false;
    probe_done_ = false;
    build_cursor_ = 0;
    build_matched_.clear();
    if (type_ == JoinType::kRight || type_ == JoinType::kFull) {
      build_matched_.assign(build_->num_rows(), 0);
    }
  }

  // Drains `input` into memory and builds owned_build_ from it when the build (estimated by
  // BuildFootprint) gets its reservation. Otherwise keeps what it read in
  // spill_build_batches_, leaves the rest of `input` unread and returns false. At the
  // deepest radix level a refusal throws OutOfMemoryError instead.
  bool TryLoadBuild(BatchStream* input, int level) {
    std::vector<Batch> batches;
    int64_t bytes = 0;
    size_t rows = 0;
    Batch batch;
    while (input->Next(&batch)) {
      bytes += static_cast<int64_t>(batch.MemoryBytes());
      rows += batch.num_rows();
      if (level > SpillPartitioner::kMaxLevel) {
        build_reservation_.Resize(BuildFootprint(bytes, rows));
      } else if (!build_reservation_.TryResize(BuildFootprint(bytes, rows))) {
        batches.push_back(std::move(batch));
        spill_build_batches_ = std::move(batches);
        build_reservation_.Resize(0);
        return false;
      }
      batches.push_back(std::move(batch));
    }
    // The reservation above accounts for the table, which is built without its own.
    owned_build_ = std::make_unique<JoinBuildTable>(op_.child(1).schema(), op_.build_keys(),
                                                    nullptr);
    VectorStream stream(std::move(batches));
    owned_build_->Build(&stream);
    // Usually a shrink; when the estimate fell short and more is refused, the table is
    // under-counted by the difference until it is dropped.
    build_reservation_.TryResize(owned_build_->memory_bytes());
    return true;
  }

  // Splits spill_build_batches_ and the rest of `build`, then all of `probe`, into radix
  // partitions at `level`, queued as grace partitions.
  void SpillBothSides(BatchStream* build, BatchStream* probe, int level) {
    SpillPartitioner build_parts(&ctx_.temp_directory(), "join-build", TypesOf(op_.child(1)),
                                 level);
    for (const auto& b : spill_build_batches_) SpillRows(b, op_.build_keys(), &build_parts);
    spill_build_batches_.clear();
    Batch batch;
    while (build->Next(&batch)) SpillRows(batch, op_.build_keys(), &build_parts);
    SpillPartitioner probe_parts(&ctx_.temp_directory(), "join-probe", TypesOf(op_.child(0)),
                                 level);
    while (probe->Next(&batch)) SpillRows(batch, op_.probe_keys(), &probe_parts);
    ctx_.metrics(op_.id()).spilled_bytes += build_parts.bytes_written() + probe_parts.bytes_written();
    auto build_files = build_parts.Finish();
    auto probe_files = probe_parts.Finish();
    // Queued so that partition 0 is joined first.
    for (int p = SpillPartitioner::kFanout - 1; p >= 0; p--) {
      if (build_files[p] == nullptr && probe_files[p] == nullptr) continue;
      grace_.push_back({std::move(build_files[p]), std::move(probe_files[p]), level + 1});
    }
  }

  void SpillRows(const Batch& batch, const std::vector<int>& keys, SpillPartitioner* parts) {
    std::vector<ColumnPtr> key_columns;
    for (int k : keys) key_columns.push_back(batch.column(k));
    spill_hashes_.resize(batch.num_rows());
    HashKeyColumns(key_columns, nullptr, batch.num_rows(), spill_hashes_.data());
    parts->Append(batch, spill_hashes_.data());
  }

  static std::vector<LogicalType> TypesOf(const PhysicalOperator& op) {
    std::vector<LogicalType> types;
    for (const auto& f : op.schema().fields()) types.push_back(f.type);
    return types;
  }

  // Sets up the join of the next queued grace partition; false when none is left.
  bool NextGracePartition() {
    for (;;) {
      owned_build_.reset();
      grace_probe_reader_.reset();
      grace_current_ = GracePartition{};
      build_reservation_.Resize(0);
      if (grace_.empty()) return false;
      grace_current_ = std::move(grace_.back());
      grace_.pop_back();
      GracePartition& g = grace_current_;
      // An inner or semi join of a partition without probe rows (or without build rows,
      // except for the outer sides) produces nothing.
      const bool keeps_probe = type_ == JoinType::kLeft || type_ == JoinType::kFull ||
                               type_ == JoinType::kAnti;
      const bool keeps_build = type_ == JoinType::kRight || type_ == JoinType::kFull;
      if (g.probe == nullptr && !keeps_build) continue;
      if (g.build == nullptr && !keeps_probe) continue;
      std::unique_ptr<BatchStream> build_reader =
          g.build != nullptr ? g.build->OpenReader() : std::make_unique<VectorStream>(std::vector<Batch>{});
      std::unique_ptr<BatchStream> probe_reader =
          g.probe != nullptr ? g.probe->OpenReader() : std::make_unique<VectorStream>(std::vector<Batch>{});
      if (!TryLoadBuild(build_reader.get(), g.level)) {
        SpillBothSides(build_reader.get(), probe_reader.get(), g.level);
        continue;
      }
      g.build.reset();  // loaded: its disk space goes back
      grace_probe_reader_ = std::move(probe_reader);
      StartJoin(owned_build_.get(), grace_probe_reader_.get());
      return true;
    }
  }

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
          t.IsStringLike() || t.id() == TypeId::kBoolean) {
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
    // With a perfect-hash index over unique keys the probe yields build rows directly.
    groups_are_rows_ = OutputsPairs() && build_->CanProbeRows();
    all_matched_ = false;
    if (groups_are_rows_) {
      build_->ProbeRows(keys_, n, groups_.data());
      uint32_t misses = 0;  // 32-bit, so that the count vectorizes
      const uint32_t* rows = groups_.data();
      for (size_t i = 0; i < n; i++) misses += rows[i] == KeyHashTable::kNoGroup;
      all_matched_ = misses == 0 && n <= kBatchSize;
    } else {
      build_->Probe(keys_, n, groups_.data(), &scratch_);
    }
    if (TracksProbeMatches()) probe_matched_.assign(n, 0);
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
    // Every probe row of the batch has its one build row (a key/foreign-key join whose keys
    // all match): the pairs are (i, groups_[i]), with no pair list to fill.
    const bool identity_pairs = all_matched_ && row_ == 0;
    if (identity_pairs) {
      count = n;
      row_ = n;
    } else if (build_->unique_keys() && !skip_matched) {
      // One build row per key: rows[g] is the partner, no run to walk.
      while (row_ < n && count < kBatchSize) {
        const uint32_t g = groups_[row_];
        pair_probe_[count] = static_cast<uint32_t>(row_);
        pair_build_[count] = g == KeyHashTable::kNoGroup ? 0 : (groups_are_rows_ ? g : rows[g]);
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
    for (size_t t = 0; identity && !identity_pairs && t < count; t++) identity = pair_probe_[t] == t;
    const uint32_t* build_rows = identity_pairs ? groups_.data() : pair_build_.data();
    for (const auto& c : batch_.columns()) {
      columns.push_back(identity ? c : ColumnPtr(c->Gather(pair_probe_.data(), count)));
    }
    for (size_t b = 0; b < build_columns.size(); b++) {
      // A build key column equals its probe key on every matched pair: reuse the probe side's
      // (already gathered, often zero-copy) column instead of a random-access gather.
      const int probe_column = ProbeColumnEqualTo(static_cast<int>(b));
      columns.push_back(probe_column >= 0
                            ? columns[probe_column]
                            : ColumnPtr(build_columns[b]->Gather(build_rows, count)));
    }
    Batch pairs(std::move(columns), count);
    size_t passing = count;
    const uint32_t* sel = nullptr;
    if (op_.residual() != nullptr) {
      passing = EvaluateFilter(*op_.residual(), pairs, filter_sel_.data());
      sel = filter_sel_.data();
    }
    if (TracksProbeMatches()) {
      for (size_t t = 0; t < passing; t++) {
        const uint32_t pair = sel != nullptr ? sel[t] : static_cast<uint32_t>(t);
        probe_matched_[identity_pairs ? pair : pair_probe_[pair]] = 1;
      }
    }
    if (!build_matched_.empty()) {
      for (size_t t = 0; t < passing; t++) {
        build_matched_[build_rows[sel != nullptr ? sel[t] : t]] = 1;
      }
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
  ExecContext& ctx_;
  const JoinType type_;
  std::unique_ptr<JoinBuildTable> owned_build_;  // kPartitioned only
  MemoryReservation build_reservation_;           // for owned_build_
  const JoinBuildTable* build_ = nullptr;
  std::unique_ptr<BatchStream> owned_probe_;      // the probe input when not spilled
  BatchStream* probe_ = nullptr;                  // what is being probed

  // Grace hash join: partition pairs waiting (partition 0 at the back), the pair being
  // joined and its probe reader, and the build batches read before the build overflowed.
  std::vector<GracePartition> grace_;
  GracePartition grace_current_;
  std::unique_ptr<BatchStream> grace_probe_reader_;
  std::vector<Batch> spill_build_batches_;
  std::vector<uint64_t> spill_hashes_;
  std::vector<uint8_t> build_matched_;  // right/full: build rows that found a partner

  // The current probe batch and the resume point within it.
  Batch batch_;
  bool has_batch_ = false;
  bool groups_are_rows_ = false;  // groups_ holds build rows (ProbeRows), not key groups
  bool all_matched_ = false;      // ... and every probe row of the batch found one
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
                    child(0).schema().ColumnLabels(probe_keys_) + "] = [" +
                    child(1).schema().ColumnLabels(build_keys_) + "]";
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
