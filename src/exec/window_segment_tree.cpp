#include "exec/window_segment_tree.h"

#include <algorithm>

#include "exec/aggregate_states.h"
#include "expr/aggregate_function.h"
#include "vector/batch.h"

namespace sluice {

namespace {

// The states of `states` as intermediate columns (one per state type), m rows each.
std::vector<ColumnPtr> SerializeStates(const AggregateFunction& fn, const AggregateStates& states,
                                       size_t m) {
  std::vector<uint8_t*> pointers;
  states.RangePointers(0, m, 0, &pointers);
  std::vector<std::shared_ptr<Column>> outs;
  std::vector<Column*> raw;
  for (const auto& t : fn.state_types()) {
    outs.push_back(Column::Make(t, m));
    raw.push_back(outs.back().get());
  }
  fn.Serialize(pointers.data(), m, raw);
  std::vector<ColumnPtr> columns;
  for (auto& c : outs) {
    c->set_size(m);
    columns.push_back(std::move(c));
  }
  return columns;
}

}  // namespace

WindowSegmentTree::WindowSegmentTree(const AggregateFunction& fn, std::vector<ColumnPtr> args,
                                     size_t num_rows, MemoryManager* memory)
    : fn_(fn), args_(std::move(args)), num_rows_(num_rows), memory_(memory) {
  levels_.emplace_back();  // level 0: the rows
  size_t m = num_rows;     // items on the level below
  std::vector<uint32_t> parents;
  std::vector<uint8_t*> pointers;
  while (m > 1) {
    const size_t parent_count = (m + 1) / 2;
    AggregateStates states({&fn_}, memory_);
    states.AddGroups(parent_count);
    parents.resize(m);
    for (size_t i = 0; i < m; i++) parents[i] = static_cast<uint32_t>(i >> 1);
    states.Pointers(parents.data(), m, 0, &pointers);
    if (levels_.size() == 1) {
      fn_.Update(pointers.data(), args_, m);
    } else {
      fn_.Merge(pointers.data(), levels_.back(), m);
    }
    levels_.push_back(SerializeStates(fn_, states, parent_count));
    m = parent_count;
  }
}

ColumnPtr WindowSegmentTree::Evaluate(const uint32_t* begin, const uint32_t* end,
                                      size_t n) const {
  auto out = Column::Make(fn_.result_type(), std::max<size_t>(n, 1));
  out->set_size(n);
  for (size_t first = 0; first < n; first += kBatchSize) {
    const size_t count = std::min(kBatchSize, n - first);
    EvaluateChunk(begin + first, end + first, count, out.get(), first);
  }
  return out;
}

void WindowSegmentTree::EvaluateChunk(const uint32_t* begin, const uint32_t* end, size_t n,
                                      Column* out, size_t first_row) const {
  // One state per distinct frame among neighbouring rows.
  std::vector<uint32_t> slot(n);
  std::vector<size_t> slot_row;  // a row whose frame the slot computes
  for (size_t i = 0; i < n; i++) {
    if (i > 0 && begin[i] == begin[i - 1] && end[i] == end[i - 1]) {
      slot[i] = slot[i - 1];
    } else {
      slot[i] = static_cast<uint32_t>(slot_row.size());
      slot_row.push_back(i);
    }
  }
  AggregateStates states({&fn_}, memory_);
  states.AddGroups(slot_row.size());
  std::vector<uint8_t*> slot_pointers;
  states.RangePointers(0, slot_row.size(), 0, &slot_pointers);

  // Per level: the states to fold into and the row / block indices to fold.
  std::vector<std::vector<uint8_t*>> targets(levels_.size());
  std::vector<std::vector<uint32_t>> items(levels_.size());
  for (size_t s = 0; s < slot_row.size(); s++) {
    size_t lo = begin[slot_row[s]], hi = end[slot_row[s]];
    for (size_t level = 0; lo < hi; level++) {
      if (lo & 1) {
        targets[level].push_back(slot_pointers[s]);
        items[level].push_back(static_cast<uint32_t>(lo++));
      }
      if (hi & 1) {
        targets[level].push_back(slot_pointers[s]);
        items[level].push_back(static_cast<uint32_t>(--hi));
      }
      lo >>= 1;
      hi >>= 1;
    }
  }
  for (size_t level = 0; level < levels_.size(); level++) {
    const size_t count = items[level].size();
    if (count == 0) continue;
    const std::vector<ColumnPtr>& source = level == 0 ? args_ : levels_[level];
    std::vector<ColumnPtr> gathered;
    for (const auto& c : source) gathered.push_back(c->Gather(items[level].data(), count));
    if (level == 0) {
      fn_.Update(targets[level].data(), gathered, count);
    } else {
      fn_.Merge(targets[level].data(), gathered, count);
    }
  }
  std::vector<uint8_t*> row_pointers(n);
  for (size_t i = 0; i < n; i++) row_pointers[i] = slot_pointers[slot[i]];
  fn_.Finalize(row_pointers.data(), n, out, first_row);
}

}  // namespace sluice
