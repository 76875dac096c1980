#include "exec/asof_join.h"

#include <algorithm>
#include <deque>

#include "exec/exec_context.h"
#include "exec/join_build.h"
#include "exec/key_compare.h"

namespace sluice {

namespace {

// One task: merges the sorted left partition with the sorted right partition.
//
// Right rows are appended to a flat buffer whose row 0 is all NULL (what an unmatched left
// row of a LEFT join gathers). `scan_` is the first right row not yet passed; in the
// right_before mode `candidate_` is the latest passed row (the first of its tie group), the
// answer for a left row of the same key. Rows before scan_ other than the candidate are
// dead: when they fill most of the buffer it is compacted, after the pending pairs were
// turned into output, so the buffer stays about one batch.
class AsofJoinStream : public BatchStream {
 public:
  AsofJoinStream(const AsofJoin& op, ExecContext& ctx, int partition)
      : spec_(op.spec()), right_schema_(op.child(1).schema()) {
    left_ = ctx.Execute(op.child(0), partition);
    right_ = ctx.Execute(op.child(1), partition);
    for (int k : spec_.left_keys) {
      compare_.push_back(MakeRowCompare(op.child(0).schema().field(k).type));
    }
    time_compare_ = MakeRowCompare(op.child(0).schema().field(spec_.left_time).type);
    for (const auto& f : right_schema_.fields()) {
      auto column = Column::Make(f.type, kBatchSize);
      column->Append(*MakeNullColumn(f.type, 1), 0, 1);
      right_cols_.push_back(std::move(column));
    }
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
  void Step() {
    Batch batch;
    if (!left_->Next(&batch)) {
      finished_ = true;
      return;
    }
    if (batch.num_rows() == 0) return;
    left_batch_ = std::move(batch);
    left_keys_.clear();
    for (int k : spec_.left_keys) left_keys_.push_back(Flat(left_batch_.column(k)));
    left_time_ = Flat(left_batch_.column(spec_.left_time));
    for (size_t row = 0; row < left_batch_.num_rows(); row++) {
      const size_t match = Match(row);
      if (match != 0 || spec_.left_outer) {
        pair_left_.push_back(static_cast<uint32_t>(row));
        pair_right_.push_back(static_cast<uint32_t>(match));
      }
    }
    FlushPairs();
  }

  static ColumnPtr Flat(const ColumnPtr& c) { return c->is_constant() ? c->Flatten(c) : c; }

  // The buffer row matching left row `l`, 0 for none.
  size_t Match(size_t l) {
    for (const auto& k : left_keys_) {
      if (k->IsNull(l)) return 0;
    }
    if (left_time_->IsNull(l)) return 0;
    if (spec_.right_before) {
      while (HaveRight()) {
        const int c = CompareKeys(l, scan_);
        if (c < 0) break;
        if (c == 0) {
          const int t = CompareTimes(scan_, l);
          if (spec_.strict ? t >= 0 : t > 0) break;
          if (candidate_ == 0 || !SameKeyAndTime(candidate_, scan_)) candidate_ = scan_;
        }
        scan_++;
      }
      return candidate_ != 0 && CompareKeys(l, candidate_) == 0 ? candidate_ : 0;
    }
    while (HaveRight()) {
      const int c = CompareKeys(l, scan_);
      if (c < 0) break;
      if (c == 0) {
        const int t = CompareTimes(scan_, l);
        if (spec_.strict ? t > 0 : t >= 0) break;
      }
      scan_++;
    }
    if (!HaveRight() || CompareKeys(l, scan_) != 0) return 0;
    return right_cols_[spec_.right_time]->IsNull(scan_) ? 0 : scan_;
  }

  // Left row `l`'s keys against right buffer row `r`'s: NULL is above every value, as the
  // sorts order it. REQUIRES: the left keys are not NULL.
  int CompareKeys(size_t l, size_t r) const {
    for (size_t k = 0; k < compare_.size(); k++) {
      const Column& right = *right_cols_[spec_.right_keys[k]];
      if (right.IsNull(r)) return -1;
      const int c = compare_[k](*left_keys_[k], l, right, r);
      if (c != 0) return c;
    }
    return 0;
  }

  // Right row `r`'s time against left row `l`'s; a NULL right time is above every time.
  int CompareTimes(size_t r, size_t l) const {
    const Column& right = *right_cols_[spec_.right_time];
    if (right.IsNull(r)) return 1;
    return time_compare_(right, r, *left_time_, l);
  }

  bool SameKeyAndTime(size_t a, size_t b) const {
    for (size_t k = 0; k < compare_.size(); k++) {
      const Column& c = *right_cols_[spec_.right_keys[k]];
      if (compare_[k](c, a, c, b) != 0) return false;
    }
    const Column& t = *right_cols_[spec_.right_time];
    return time_compare_(t, a, t, b) == 0;
  }

  // True when buffer row scan_ exists, pulling right batches as needed (which may compact
  // the buffer and so renumber scan_ and candidate_).
  bool HaveRight() {
    while (scan_ >= right_size_) {
      if (right_done_) return false;
      PullRight();
    }
    return true;
  }

  void PullRight() {
    Batch batch;
    if (!right_->Next(&batch)) {
      right_done_ = true;
      return;
    }
    if (batch.num_rows() == 0) return;
    if (scan_ > kBatchSize && scan_ * 2 >= right_size_) Compact();
    for (size_t c = 0; c < right_cols_.size(); c++) {
      right_cols_[c]->Append(*batch.column(c), 0, batch.num_rows());
    }
    right_size_ += batch.num_rows();
  }

  // Keeps the NULL row, the candidate and the rows from scan_ on.
  void Compact() {
    FlushPairs();
    std::vector<uint32_t> keep{0};
    if (candidate_ != 0) keep.push_back(static_cast<uint32_t>(candidate_));
    const size_t new_scan = keep.size();
    for (size_t r = scan_; r < right_size_; r++) keep.push_back(static_cast<uint32_t>(r));
    for (auto& col : right_cols_) {
      auto fresh = Column::Make(col->type(), std::max<size_t>(keep.size(), kBatchSize));
      fresh->AppendSelected(*col, keep.data(), keep.size());
      col = std::move(fresh);
    }
    right_size_ = keep.size();
    candidate_ = candidate_ != 0 ? 1 : 0;
    scan_ = new_scan;
  }

  // Turns the pending pairs of the current left batch into an output batch.
  void FlushPairs() {
    if (pair_left_.empty()) return;
    ready_.push_back(GatherPairs(left_batch_, right_cols_, pair_left_, pair_right_));
    pair_left_.clear();
    pair_right_.clear();
  }

  const AsofJoin::Spec& spec_;
  const Schema& right_schema_;
  std::unique_ptr<BatchStream> left_;
  std::unique_ptr<BatchStream> right_;
  std::vector<RowCompare> compare_;  // per key
  RowCompare time_compare_ = nullptr;

  Batch left_batch_;
  std::vector<ColumnPtr> left_keys_;  // flat key columns of left_batch_
  ColumnPtr left_time_;

  std::vector<std::shared_ptr<Column>> right_cols_;  // row 0 is all NULL
  size_t right_size_ = 1;
  bool right_done_ = false;
  size_t scan_ = 1;
  size_t candidate_ = 0;

  std::vector<uint32_t> pair_left_;
  std::vector<uint32_t> pair_right_;
  std::deque<Batch> ready_;
  bool finished_ = false;
};

}  // namespace

AsofJoin::AsofJoin(PhysicalOperatorPtr left, PhysicalOperatorPtr right, Spec spec,
                   Schema output_schema)
    : PhysicalOperator(std::move(output_schema), [&] {
        std::vector<PhysicalOperatorPtr> children;
        children.push_back(std::move(left));
        children.push_back(std::move(right));
        return children;
      }()),
      spec_(std::move(spec)) {
  SLUICE_CHECK(spec_.left_keys.size() == spec_.right_keys.size(), "{} left keys, {} right keys",
               spec_.left_keys.size(), spec_.right_keys.size());
  SLUICE_CHECK(spec_.left_time >= 0 && spec_.right_time >= 0, "ASOF join without times");
  SLUICE_CHECK(child(0).num_partitions() == child(1).num_partitions(),
               "ASOF join over {} and {} partitions", child(0).num_partitions(),
               child(1).num_partitions());
}

std::string AsofJoin::details() const {
  const char* op = spec_.right_before ? (spec_.strict ? ">" : ">=") : (spec_.strict ? "<" : "<=");
  std::string out = spec_.left_outer ? "LEFT" : "INNER";
  if (!spec_.left_keys.empty()) {
    out += " [" + child(0).schema().ColumnLabels(spec_.left_keys) + "] = [" +
           child(1).schema().ColumnLabels(spec_.right_keys) + "] and";
  }
  return out + " " + child(0).schema().ColumnLabels({spec_.left_time}) + " " + op + " " +
         child(1).schema().ColumnLabels({spec_.right_time});
}

std::unique_ptr<BatchStream> AsofJoin::Execute(int partition, ExecContext& ctx) const {
  return std::make_unique<AsofJoinStream>(*this, ctx, partition);
}

}  // namespace sluice
