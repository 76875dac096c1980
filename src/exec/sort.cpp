#include "exec/sort.h"

#include <algorithm>

#include "exec/exec_context.h"
#include "exec/external_merge.h"
#include "shuffle/spill_file.h"

namespace sluice {

namespace {

// Concatenates batches into one flat column per field, sized exactly.
std::vector<ColumnPtr> Concatenate(const std::vector<Batch>& batches, const Schema& schema,
                                   size_t num_rows) {
  std::vector<ColumnPtr> columns;
  for (size_t c = 0; c < schema.size(); c++) {
    auto col = Column::Make(schema.field(c).type, num_rows);
    for (const auto& b : batches) col->Append(*b.column(c), 0, b.num_rows());
    columns.push_back(std::move(col));
  }
  return columns;
}

// Tracked bytes per buffered row beyond the row itself: the sort entries (and their merge
// buffer) that ComputeSortOrder allocates.
constexpr int64_t kSortBytesPerRow = 40;

// One task: buffers the partition (for top-N, only the best rows so far), sorts it, then
// emits the rows in order.
//
// External merge: the buffer is reserved from the MemoryManager (its batches, their
// concatenation and the sort entries); when a reservation is refused, the buffered rows are
// sorted and written as a run to a SpillFile, and the output is the k-way merge of the runs
// (ExternalMerge, in passes of bounded fan-in when there are many runs). Runs are in input
// order and the merge breaks ties by run, so the result is as stable as the in-memory sort.
// A refused reservation never fails the sort: it spills what it holds.
class SortStream : public BatchStream {
 public:
  SortStream(const Sort& op, ExecContext& ctx, int partition)
      : op_(op), ctx_(ctx), input_(ctx.Execute(op.child(), partition)),
        reservation_(&ctx.memory(), "sort") {
    for (const auto& f : op.child().schema().fields()) types_.push_back(f.type);
  }

  bool Next(Batch* out) override {
    if (!sorted_) {
      Consume();
      sorted_ = true;
    }
    if (merger_ != nullptr) return merger_->Next(out);
    if (emitted_ >= order_.size()) return false;
    const size_t n = std::min(kBatchSize, order_.size() - emitted_);
    std::vector<ColumnPtr> columns;
    for (const auto& c : columns_) columns.push_back(c->Gather(order_.data() + emitted_, n));
    emitted_ += n;
    *out = Batch(std::move(columns), n);
    return true;
  }

 private:
  static int64_t Footprint(int64_t bytes, size_t rows) {
    return 2 * bytes + kSortBytesPerRow * static_cast<int64_t>(rows);
  }

  void Consume() {
    const std::optional<int64_t> limit = op_.limit();
    // A top-N compacts its buffer to the best `limit` rows whenever it doubles.
    const size_t compact_at =
        limit.has_value() ? std::max<size_t>(2 * static_cast<size_t>(std::max<int64_t>(*limit, 0)),
                                             8 * kBatchSize)
                          : SIZE_MAX;
    std::vector<Batch> batches;
    size_t rows = 0;
    int64_t bytes = 0;
    // Refused: the buffered rows become a sorted run on disk and the buffer starts again
    // from nothing. Never fails, however little of the budget is left to this sort: at
    // worst its runs are small and the merge takes more passes.
    auto spill_buffer = [&] {
      WriteRun(batches, rows);
      batches.clear();
      rows = 0;
      bytes = 0;
      reservation_.Resize(0);
    };
    Batch batch;
    while (input_->Next(&batch)) {
      const auto batch_bytes = static_cast<int64_t>(batch.MemoryBytes());
      const bool reserved =
          reservation_.TryResize(Footprint(bytes + batch_bytes, rows + batch.num_rows()));
      rows += batch.num_rows();
      bytes += batch_bytes;
      batches.push_back(std::move(batch));
      if (!reserved) {
        spill_buffer();  // this batch with the others
        continue;
      }
      if (rows >= compact_at) {
        Batch best = SortAndTake(batches, rows, limit);
        batches.clear();
        rows = best.num_rows();
        bytes = static_cast<int64_t>(best.MemoryBytes());
        batches.push_back(std::move(best));
        if (!reservation_.TryResize(Footprint(bytes, rows))) spill_buffer();
      }
    }
    if (!runs_.empty()) {
      if (rows > 0) WriteRun(batches, rows);
      batches.clear();
      reservation_.Resize(0);
      merger_ = std::make_unique<ExternalMerge>(std::move(runs_), op_.keys(), types_, limit,
                                                &ctx_.memory(), &ctx_.temp_directory(),
                                                &ctx_.metrics(op_.id()).spilled_bytes);
      return;
    }
    columns_ = Concatenate(batches, op_.child().schema(), rows);
    batches.clear();
    order_ = ComputeSortOrder(columns_, op_.keys(), rows, limit, &ctx_.pool());
    // What stays until the rows are emitted: the sorted columns and the order.
    reservation_.Resize(
        std::min(reservation_.bytes(),
                 bytes + static_cast<int64_t>(order_.size() * sizeof(uint32_t))));
  }

  // Sorts `batches` (`rows` rows) and writes them as one sorted run.
  void WriteRun(const std::vector<Batch>& batches, size_t rows) {
    auto columns = Concatenate(batches, op_.child().schema(), rows);
    const auto order = ComputeSortOrder(columns, op_.keys(), rows, op_.limit(), &ctx_.pool());
    auto run = std::make_unique<SpillFile>(ctx_.temp_directory().NewPath("sort"), types_);
    int64_t written = 0;
    for (size_t first = 0; first < order.size(); first += kBatchSize) {
      const size_t n = std::min(kBatchSize, order.size() - first);
      std::vector<ColumnPtr> out;
      for (const auto& c : columns) out.push_back(c->Gather(order.data() + first, n));
      written += run->Write(Batch(std::move(out), n));
    }
    ctx_.metrics(op_.id()).spilled_bytes += written;
    runs_.push_back(std::move(run));
  }

  // The best `limit` rows of `batches`, in order, as one batch.
  Batch SortAndTake(const std::vector<Batch>& batches, size_t rows,
                    std::optional<int64_t> limit) {
    auto columns = Concatenate(batches, op_.child().schema(), rows);
    const auto order = ComputeSortOrder(columns, op_.keys(), rows, limit, nullptr);
    std::vector<ColumnPtr> kept;
    for (const auto& c : columns) kept.push_back(c->Gather(order.data(), order.size()));
    return Batch(std::move(kept), order.size());
  }

  const Sort& op_;
  ExecContext& ctx_;
  std::unique_ptr<BatchStream> input_;
  std::vector<LogicalType> types_;
  MemoryReservation reservation_;
  bool sorted_ = false;
  std::vector<ColumnPtr> columns_;
  std::vector<uint32_t> order_;
  size_t emitted_ = 0;
  // External merge: the sorted runs on disk and their merge.
  std::vector<std::unique_ptr<SpillFile>> runs_;
  std::unique_ptr<ExternalMerge> merger_;
};

}  // namespace

Sort::Sort(PhysicalOperatorPtr child, std::vector<SortKey> keys, std::optional<int64_t> limit)
    : Sort(child->schema(), std::move(child), std::move(keys), limit) {}

Sort::Sort(Schema schema, PhysicalOperatorPtr&& child, std::vector<SortKey> keys,
           std::optional<int64_t> limit)
    : PhysicalOperator(std::move(schema), [&] {
        std::vector<PhysicalOperatorPtr> children;
        children.push_back(std::move(child));
        return children;
      }()),
      keys_(std::move(keys)),
      limit_(limit) {}

std::string Sort::details() const {
  std::string out;
  for (size_t i = 0; i < keys_.size(); i++) {
    if (i > 0) out += ", ";
    out += child().schema().ColumnLabel(static_cast<size_t>(keys_[i].column)) +
           (keys_[i].ascending ? " ASC" : " DESC") +
           (keys_[i].nulls_first ? " NULLS FIRST" : " NULLS LAST");
  }
  if (limit_.has_value()) out += " LIMIT " + std::to_string(*limit_);
  return out;
}

std::unique_ptr<BatchStream> Sort::Execute(int partition, ExecContext& ctx) const {
  return std::make_unique<SortStream>(*this, ctx, partition);
}

}  // namespace sluice
