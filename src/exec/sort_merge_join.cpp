#include "exec/sort_merge_join.h"

#include <algorithm>
#include <deque>

#include "common/memory.h"
#include "exec/exec_context.h"
#include "exec/join_build.h"
#include "exec/key_compare.h"
#include "expr/evaluator.h"

namespace sluice {

namespace {

// One task: merges the sorted left partition with the sorted right partition.
//
// The left side is consumed a batch at a time. The right side is appended to a flat buffer
// (`right_`); the rows of the current key form the run [run_begin_, run_end_). Candidate
// pairs (left row of the current batch, right buffer row) collect in pair_left_/pair_right_
// and are turned into an output batch (residual applied) when kBatchSize are pending, at the
// end of each left batch, and before the right buffer is compacted. Output goes to a queue
// so that every step may produce zero or more batches and Next stays simple.
class SortMergeJoinStream : public BatchStream {
 public:
  SortMergeJoinStream(const SortMergeJoin& op, ExecContext& ctx, int partition)
      : op_(op), type_(op.type()), reservation_(&ctx.memory(), "sort-merge join") {
    left_ = ctx.Execute(op.child(0), partition);
    right_ = ctx.Execute(op.child(1), partition);
    const Schema& right_schema = op.child(1).schema();
    for (const auto& f : right_schema.fields()) right_cols_.push_back(Column::Make(f.type, 0));
    for (int k : op.left_keys()) {
      compare_.push_back(MakeRowCompare(op.child(0).schema().field(k).type));
    }
    RefreshRightKeys();
    track_right_ = type_ == JoinType::kRight || type_ == JoinType::kFull;
  }

  bool Next(Batch* out) override {
    while (ready_.empty()) {
      if (finished_) return false;
      Step();
    }
    *out = std::move(ready_.front());
    ready_.pop_front();
    return true;
  }

 private:
  bool OutputsPairs() const { return type_ != JoinType::kSemi && type_ != JoinType::kAnti; }

  void Step() {
    if (!have_left_) {
      if (left_done_) {
        DrainRight();
        return;
      }
      if (!left_->Next(&left_batch_)) {
        left_done_ = true;
        FlushPairs();
        return;
      }
      left_keys_.clear();
      for (int k : op_.left_keys()) {
        const ColumnPtr& c = left_batch_.column(k);
        left_keys_.push_back(c->is_constant() ? c->Flatten(c) : c);
      }
      left_row_ = 0;
      run_offset_ = 0;
      left_matched_.assign(left_batch_.num_rows(), 0);
      have_left_ = true;
      return;
    }
    if (left_row_ < left_batch_.num_rows()) {
      MergeLeftRows();
      return;
    }
    FlushPairs();
    EmitLeftTail();
    have_left_ = false;
  }

  // Advances through the current left batch until it ends or kBatchSize pairs are pending.
  void MergeLeftRows() {
    const size_t n = left_batch_.num_rows();
    const bool pairs_needed = OutputsPairs() || op_.residual() != nullptr;
    while (left_row_ < n) {
      if (pair_left_.size() >= kBatchSize) {
        FlushPairs();
        return;
      }
      if (LeftHasNullKey(left_row_)) {
        left_row_++;
        continue;
      }
      int c = 1;
      for (;;) {
        if (!have_run_ && !NextRun()) break;
        c = CompareLeftToRun();
        if (c <= 0) break;
        CloseRun();
      }
      if (!have_run_ || c < 0) {
        left_row_++;
        continue;
      }
      if (!pairs_needed) {
        left_matched_[left_row_++] = 1;
        continue;
      }
      const size_t run_size = run_end_ - run_begin_;
      const size_t take = std::min(run_size - run_offset_, kBatchSize - pair_left_.size());
      for (size_t t = 0; t < take; t++) {
        pair_left_.push_back(static_cast<uint32_t>(left_row_));
        pair_right_.push_back(static_cast<uint32_t>(run_begin_ + run_offset_ + t));
      }
      run_offset_ += take;
      if (run_offset_ == run_size) {
        left_row_++;
        run_offset_ = 0;
      }
    }
  }

  bool LeftHasNullKey(size_t row) const {
    for (const auto& k : left_keys_) {
      if (k->IsNull(row)) return true;
    }
    return false;
  }
  bool RightHasNullKey(size_t row) const {
    for (const Column* k : right_keys_) {
      if (k->IsNull(row)) return true;
    }
    return false;
  }
  int CompareLeftToRun() const {
    for (size_t k = 0; k < compare_.size(); k++) {
      const int c = compare_[k](*left_keys_[k], left_row_, *right_keys_[k], run_begin_);
      if (c != 0) return c;
    }
    return 0;
  }
  bool SameRightKey(size_t a, size_t b) const {
    for (size_t k = 0; k < compare_.size(); k++) {
      if (compare_[k](*right_keys_[k], a, *right_keys_[k], b) != 0) return false;
    }
    return true;
  }

  // Finds the next run of equal non-NULL right keys from scan_, pulling right batches as
  // needed. NULL-key right rows are passed over (unmatched). False when the right side ends.
  bool NextRun() {
    for (;;) {
      while (scan_ < right_size_ && RightHasNullKey(scan_)) {
        if (track_right_) unmatched_right_.push_back(static_cast<uint32_t>(scan_));
        scan_++;
      }
      if (scan_ < right_size_) break;
      if (!PullRight(scan_)) return false;
    }
    run_begin_ = scan_;
    run_end_ = scan_ + 1;
    for (;;) {
      while (run_end_ < right_size_ && SameRightKey(run_begin_, run_end_)) run_end_++;
      if (run_end_ < right_size_ || !PullRight(run_begin_)) break;
    }
    scan_ = run_end_;
    run_offset_ = 0;
    have_run_ = true;
    return true;
  }

  // The run's key is below every remaining left key: it is done. Right/full remember it so
  // that its unmatched rows are emitted once its pending pairs have been filtered.
  void CloseRun() {
    if (track_right_) closed_runs_.emplace_back(run_begin_, run_end_);
    have_run_ = false;
    run_offset_ = 0;
  }

  // Appends the next right batch to the buffer; false at the end of the right side. Rows
  // before `keep_from` are no longer needed: once they are a large part of the buffer, the
  // pending output is flushed and the buffer compacted, so memory stays about one run plus a
  // batch.
  bool PullRight(size_t keep_from) {
    if (right_done_) return false;
    Batch batch;
    do {
      if (!right_->Next(&batch)) {
        right_done_ = true;
        return false;
      }
    } while (batch.num_rows() == 0);
    if (keep_from >= kBatchSize && keep_from * 2 >= right_size_) Compact(keep_from);
    for (size_t c = 0; c < right_cols_.size(); c++) {
      right_cols_[c]->Append(*batch.column(c), 0, batch.num_rows());
    }
    right_size_ += batch.num_rows();
    if (track_right_) right_matched_.resize(right_size_, 0);
    ReserveRightBuffer();
    return true;
  }

  // Reserves the right buffer. A buffer of a few batches (the run of an ordinary key and
  // the batch being scanned) is working memory any merge needs: when the budget, held by
  // other operators, refuses it, the join goes on with it unreserved (a fixed overhead per
  // task) instead of failing. Only a run of one key larger than that, refused, fails.
  void ReserveRightBuffer() {
    constexpr size_t kUnreservedRows = 8 * kBatchSize;
    const int64_t bytes = BufferBytes();
    if (reservation_.TryResize(bytes)) return;
    if (right_size_ > kUnreservedRows) reservation_.Resize(bytes);
  }

  void Compact(size_t keep_from) {
    FlushPairs();
    FlushUnmatchedRight();
    const size_t keep = right_size_ - keep_from;
    for (auto& col : right_cols_) {
      auto fresh = Column::Make(col->type(), std::max<size_t>(keep, kBatchSize));
      fresh->Append(*col, keep_from, keep);
      col = std::move(fresh);
    }
    if (track_right_) {
      right_matched_.erase(right_matched_.begin(),
                           right_matched_.begin() + static_cast<std::ptrdiff_t>(keep_from));
    }
    right_size_ = keep;
    scan_ -= keep_from;
    if (have_run_ || run_begin_ >= keep_from) {
      run_begin_ -= std::min(run_begin_, keep_from);
      run_end_ -= std::min(run_end_, keep_from);
    }
    RefreshRightKeys();
  }

  void RefreshRightKeys() {
    right_keys_.clear();
    for (int k : op_.right_keys()) right_keys_.push_back(right_cols_[k].get());
  }

  int64_t BufferBytes() const {
    int64_t bytes = 0;
    for (const auto& c : right_cols_) bytes += static_cast<int64_t>(c->MemoryBytes());
    return bytes;
  }

  // Turns the pending pairs into output (after the residual), records matches, then emits
  // the unmatched rows of closed runs (right/full).
  void FlushPairs() {
    const size_t count = pair_left_.size();
    if (count > 0) {
      Batch pairs = GatherPairs(left_batch_, right_cols_, pair_left_, pair_right_);
      size_t passing = count;
      const uint32_t* sel = nullptr;
      if (op_.residual() != nullptr) {
        filter_sel_.resize(count);
        passing = EvaluateFilter(*op_.residual(), pairs, filter_sel_.data());
        sel = filter_sel_.data();
      }
      for (size_t t = 0; t < passing; t++) {
        const uint32_t pair = sel != nullptr ? sel[t] : static_cast<uint32_t>(t);
        left_matched_[pair_left_[pair]] = 1;
        if (track_right_) right_matched_[pair_right_[pair]] = 1;
      }
      if (OutputsPairs() && passing > 0) {
        ready_.push_back(passing == count ? std::move(pairs) : pairs.Gather(sel, passing));
      }
      pair_left_.clear();
      pair_right_.clear();
    }
    for (auto [begin, end] : closed_runs_) {
      for (size_t r = begin; r < end; r++) {
        if (right_matched_[r] == 0) unmatched_right_.push_back(static_cast<uint32_t>(r));
      }
    }
    closed_runs_.clear();
    if (unmatched_right_.size() >= kBatchSize) FlushUnmatchedRight();
  }

  // Right rows without a partner, with NULL left columns.
  void FlushUnmatchedRight() {
    for (size_t start = 0; start < unmatched_right_.size(); start += kBatchSize) {
      const size_t m = std::min(kBatchSize, unmatched_right_.size() - start);
      std::vector<ColumnPtr> columns;
      for (const auto& f : op_.child(0).schema().fields()) {
        columns.push_back(MakeNullColumn(f.type, m));
      }
      for (const auto& c : right_cols_) {
        columns.push_back(c->Gather(unmatched_right_.data() + start, m));
      }
      ready_.emplace_back(std::move(columns), m);
    }
    unmatched_right_.clear();
  }

  // After a left batch: unmatched rows for left/full, matched for semi, unmatched for anti.
  void EmitLeftTail() {
    if (type_ == JoinType::kInner || type_ == JoinType::kRight) return;
    const bool want_matched = type_ == JoinType::kSemi;
    const size_t n = left_batch_.num_rows();
    tail_sel_.resize(n);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
      tail_sel_[m] = static_cast<uint32_t>(i);
      m += (left_matched_[i] != 0) == want_matched ? 1 : 0;
    }
    if (m == 0) return;
    Batch rows = m == n ? left_batch_ : left_batch_.Gather(tail_sel_.data(), m);
    if (!OutputsPairs()) {
      ready_.push_back(std::move(rows));
      return;
    }
    std::vector<ColumnPtr> columns = rows.columns();
    for (const auto& c : right_cols_) columns.push_back(MakeNullColumn(c->type(), m));
    ready_.emplace_back(std::move(columns), m);
  }

  // After the left side ends: right/full emit every right row that never matched.
  void DrainRight() {
    if (!track_right_) {
      finished_ = true;
      return;
    }
    if (have_run_) CloseRun();
    FlushPairs();
    while (scan_ < right_size_) {
      unmatched_right_.push_back(static_cast<uint32_t>(scan_));
      scan_++;
    }
    // PullRight compacts the emitted rows away (flushing them first) as the buffer grows.
    if (!PullRight(scan_)) {
      FlushUnmatchedRight();
      finished_ = true;
    } else if (unmatched_right_.size() >= kBatchSize) {
      FlushUnmatchedRight();
    }
  }

  const SortMergeJoin& op_;
  const JoinType type_;
  MemoryReservation reservation_;  // the right buffer
  std::unique_ptr<BatchStream> left_;
  std::unique_ptr<BatchStream> right_;
  std::vector<RowCompare> compare_;  // per key
  bool track_right_ = false;         // right/full: unmatched right rows are output

  Batch left_batch_;
  std::vector<ColumnPtr> left_keys_;  // flat key columns of left_batch_
  size_t left_row_ = 0;
  bool have_left_ = false;
  bool left_done_ = false;
  std::vector<uint8_t> left_matched_;

  std::vector<std::shared_ptr<Column>> right_cols_;  // right buffer, all columns
  std::vector<const Column*> right_keys_;
  size_t right_size_ = 0;
  bool right_done_ = false;
  std::vector<uint8_t> right_matched_;  // right/full, parallel to the buffer
  size_t scan_ = 0;                     // first buffered row not yet part of a run
  size_t run_begin_ = 0;
  size_t run_end_ = 0;
  bool have_run_ = false;
  size_t run_offset_ = 0;  // run rows already paired with left_row_
  std::vector<std::pair<size_t, size_t>> closed_runs_;

  std::vector<uint32_t> pair_left_;
  std::vector<uint32_t> pair_right_;
  std::vector<uint32_t> unmatched_right_;
  std::vector<uint32_t> filter_sel_;
  std::vector<uint32_t> tail_sel_;
  std::deque<Batch> ready_;
  bool finished_ = false;
};

}  // namespace

SortMergeJoin::SortMergeJoin(PhysicalOperatorPtr left, PhysicalOperatorPtr right, JoinType type,
                             std::vector<int> left_keys, std::vector<int> right_keys,
                             ExprPtr residual, Schema output_schema)
    : PhysicalOperator(std::move(output_schema), [&] {
        std::vector<PhysicalOperatorPtr> children;
        children.push_back(std::move(left));
        children.push_back(std::move(right));
        return children;
      }()),
      type_(type),
      left_keys_(std::move(left_keys)),
      right_keys_(std::move(right_keys)),
      residual_(std::move(residual)) {
  SLUICE_CHECK(left_keys_.size() == right_keys_.size() && !left_keys_.empty(),
               "{} left keys, {} right keys", left_keys_.size(), right_keys_.size());
  SLUICE_CHECK(child(0).num_partitions() == child(1).num_partitions(),
               "sort-merge join over {} and {} partitions", child(0).num_partitions(),
               child(1).num_partitions());
}

std::string SortMergeJoin::details() const {
  std::string out =
      sluice::ToString(type_) + " [" + child(0).schema().ColumnLabels(left_keys_) + "] = [" +
      child(1).schema().ColumnLabels(right_keys_) + "]";
  if (residual_ != nullptr) out += " residual " + residual_->ToString();
  return out;
}

Partitioning SortMergeJoin::output_partitioning() const {
  const Partitioning left = child(0).output_partitioning();
  if (type_ == JoinType::kRight || type_ == JoinType::kFull) {
    return Partitioning::Unknown(left.num_partitions);
  }
  return left;
}

std::unique_ptr<BatchStream> SortMergeJoin::Execute(int partition, ExecContext& ctx) const {
  return std::make_unique<SortMergeJoinStream>(*this, ctx, partition);
}

}  // namespace sluice
