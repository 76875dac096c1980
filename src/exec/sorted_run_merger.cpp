#include "exec/sorted_run_merger.h"

#include <algorithm>

namespace sluice {

SortedRunMerger::SortedRunMerger(std::vector<std::unique_ptr<BatchStream>> runs,
                                 std::vector<SortKey> keys, std::vector<LogicalType> types,
                                 std::optional<int64_t> limit)
    : keys_(std::move(keys)),
      types_(std::move(types)),
      remaining_(limit.has_value() ? std::max<int64_t>(*limit, 0) : INT64_MAX) {
  for (auto& r : runs) runs_.push_back(Run{std::move(r), Batch(), 0});
  for (const auto& k : keys_) comparators_.push_back(GetSortKeyComparator(types_[k.column]));
}

bool SortedRunMerger::After(int a, int b) const {
  const Run& ra = runs_[a];
  const Run& rb = runs_[b];
  for (size_t k = 0; k < keys_.size(); k++) {
    const int col = keys_[k].column;
    const int c = comparators_[k](*ra.batch.column(col), ra.row, *rb.batch.column(col), rb.row,
                                  keys_[k]);
    if (c != 0) return c > 0;
  }
  return a > b;
}

bool SortedRunMerger::Advance(Run& run) {
  if (++run.row < run.batch.num_rows()) return true;
  run.row = 0;
  while (run.stream->Next(&run.batch)) {
    if (run.batch.num_rows() == 0) continue;
    // Comparators read flat columns.
    for (auto& c : run.batch.mutable_columns()) c = c->Flatten(c);
    return true;
  }
  run.batch = Batch();
  return false;
}

bool SortedRunMerger::Next(Batch* out) {
  auto after = [this](int a, int b) { return After(a, b); };
  if (!started_) {
    started_ = true;
    for (size_t r = 0; r < runs_.size(); r++) {
      runs_[r].row = SIZE_MAX;  // Advance from "before the first batch"
      runs_[r].batch = Batch();
      if (Advance(runs_[r])) heap_.push_back(static_cast<int>(r));
    }
    std::make_heap(heap_.begin(), heap_.end(), after);
  }
  if (heap_.empty() || remaining_ <= 0) return false;

  std::vector<std::shared_ptr<Column>> columns;
  for (const auto& t : types_) columns.push_back(Column::Make(t, kBatchSize));
  size_t rows = 0;
  // Consecutive rows of one run's batch are copied as one range.
  int range_run = -1;
  size_t range_start = 0;
  size_t range_len = 0;
  auto flush = [&] {
    if (range_len == 0) return;
    const Batch& b = runs_[range_run].batch;
    for (size_t c = 0; c < columns.size(); c++) columns[c]->Append(*b.column(c), range_start, range_len);
    range_len = 0;
  };
  while (!heap_.empty() && rows < kBatchSize && remaining_ > 0) {
    const int r = heap_.front();
    Run& run = runs_[r];
    if (range_len > 0 && (range_run != r || range_start + range_len != run.row)) flush();
    if (range_len == 0) {
      range_run = r;
      range_start = run.row;
    }
    range_len++;
    rows++;
    remaining_--;
    std::pop_heap(heap_.begin(), heap_.end(), after);
    if (run.row + 1 >= run.batch.num_rows()) flush();  // the batch is about to be replaced
    if (Advance(run)) {
      std::push_heap(heap_.begin(), heap_.end(), after);
    } else {
      heap_.pop_back();
    }
  }
  flush();
  std::vector<ColumnPtr> done(columns.begin(), columns.end());
  *out = Batch(std::move(done), rows);
  return rows > 0;
}

}  // namespace sluice
