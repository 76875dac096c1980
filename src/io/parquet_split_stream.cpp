#include "io/parquet_split_stream.h"

#include <algorithm>
#include <utility>

#include "expr/evaluator.h"
#include "io/file.h"
#include "io/parquet_column_reader.h"
#include "io/parquet_nested_reader.h"
#include "vector/batch.h"

namespace sluice {

namespace {

// Above this many runs of passing rows in a batch, or when at least kMinWholeShare of its
// rows pass, the other columns are decoded whole and gathered: skipping and reading run by
// run costs more than it saves (TPC-H q1 keeps 98.6% of lineitem in ~30 runs per batch).
constexpr size_t kMaxRuns = 32;
constexpr double kMinWholeShare = 0.75;

// See OpenParquetRowGroup.
class ParquetSplitStream : public BatchStream {
 public:
  ParquetSplitStream(const ParquetSource::File& file, int row_group,
                     const std::vector<int>& columns, const Schema& schema,
                     const std::vector<ParquetRowFilter>& filters)
      : reader_(file.path), schema_(schema), columns_(columns) {
    const parquet::RowGroup& group = file.metadata.row_groups[row_group];
    rows_left_ = group.num_rows;
    readers_.resize(columns.size());
    nested_.resize(columns.size());
    bool any_nested = false;
    for (size_t i = 0; i < columns.size(); i++) {
      const ParquetColumn& column = file.columns[columns[i]];
      if (column.is_nested()) {
        nested_[i] = std::make_unique<ParquetNestedReader>(reader_, column, file.leaves, group);
        any_nested = true;
      } else {
        readers_[i] = std::make_unique<ParquetColumnReader>(
            reader_, file.leaves[column.first_leaf], *group.columns[column.first_leaf].meta_data,
            group.num_rows);
      }
    }
    if (!any_nested) BuildPredicate(filters);
  }

  bool Next(Batch* out) override {
    while (rows_left_ > 0) {
      const size_t n = static_cast<size_t>(std::min<int64_t>(rows_left_, kBatchSize));
      rows_left_ -= static_cast<int64_t>(n);
      std::vector<ColumnPtr> columns(readers_.size());
      if (!predicate_) {
        for (size_t i = 0; i < columns.size(); i++) columns[i] = ReadColumn(i, n);
        *out = Batch(std::move(columns), n);
        return true;
      }
      std::vector<ColumnPtr> tested;
      for (const size_t p : filter_positions_) {
        columns[p] = ReadColumn(p, n);
        tested.push_back(columns[p]);
      }
      const size_t k = EvaluateFilter(*predicate_, Batch(std::move(tested), n), sel_.data());
      if (k == 0) {
        for (size_t i = 0; i < columns.size(); i++) {
          if (!columns[i]) readers_[i]->Skip(n);
        }
        continue;
      }
      const bool whole = k == n || static_cast<double>(k) >= kMinWholeShare * static_cast<double>(n) ||
                         !FindRuns(k);
      for (size_t i = 0; i < columns.size(); i++) {
        if (!columns[i]) {
          columns[i] = whole ? ReadColumn(i, n) : ReadRuns(i, n, k);
        }
        if (k < n && columns[i]->size() == n) {
          columns[i] = columns[i]->Gather(sel_.data(), k);
        }
      }
      *out = Batch(std::move(columns), k);
      return true;
    }
    return false;
  }

 private:
  // Keeps the filters on projected columns, as one predicate over a batch of just those
  // columns (in filter_positions_ order).
  void BuildPredicate(const std::vector<ParquetRowFilter>& filters) {
    std::vector<ExprPtr> conjuncts;
    for (const ParquetRowFilter& f : filters) {
      const auto at = std::find(columns_.begin(), columns_.end(), f.column);
      if (at == columns_.end()) continue;
      const size_t p = static_cast<size_t>(at - columns_.begin());
      auto slot = std::find(filter_positions_.begin(), filter_positions_.end(), p);
      if (slot == filter_positions_.end()) {
        filter_positions_.push_back(p);
        slot = filter_positions_.end() - 1;
      }
      const int index = static_cast<int>(slot - filter_positions_.begin());
      conjuncts.push_back(RemapColumns(f.conjunct, [index](int) { return index; }));
    }
    if (conjuncts.empty()) return;
    predicate_ = conjuncts.size() == 1 ? conjuncts[0] : And(std::move(conjuncts));
    sel_.resize(kBatchSize);
  }

  ColumnPtr ReadColumn(size_t i, size_t n) {
    auto column = Column::Make(schema_.field(columns_[i]).type, n);
    if (nested_[i]) {
      nested_[i]->Read(n, column.get());
    } else {
      readers_[i]->Read(n, column.get());
    }
    return column;
  }

  // The runs of consecutive rows in sel_[0..k) into runs_ ([first, end) row pairs); false
  // (stopping early) when there are more than kMaxRuns.
  bool FindRuns(size_t k) {
    runs_.clear();
    for (size_t j = 0; j < k;) {
      if (runs_.size() == kMaxRuns) return false;
      size_t end = j + 1;
      while (end < k && sel_[end] == sel_[end - 1] + 1) end++;
      runs_.push_back({sel_[j], sel_[end - 1] + 1});
      j = end;
    }
    return true;
  }

  // Column i for the k rows of runs_ among the next n: read run by run, skipping between.
  ColumnPtr ReadRuns(size_t i, size_t n, size_t k) {
    ParquetColumnReader& reader = *readers_[i];
    auto column = Column::Make(schema_.field(columns_[i]).type, k);
    size_t row = 0;  // of the n, the next not yet read or skipped
    size_t at = 0;   // of the k
    for (const auto& [first, end] : runs_) {
      if (first > row) reader.Skip(first - row);
      reader.ReadInto(end - first, column.get(), at);
      at += end - first;
      row = end;
    }
    if (n > row) reader.Skip(n - row);
    column->set_size(k);
    return column;
  }

  FileReader reader_;
  const Schema& schema_;
  std::vector<int> columns_;
  // Per projected column, one of the two is set.
  std::vector<std::unique_ptr<ParquetColumnReader>> readers_;
  std::vector<std::unique_ptr<ParquetNestedReader>> nested_;
  int64_t rows_left_ = 0;
  // Row filtering (null predicate_: none): the positions in columns_ of the filter columns.
  ExprPtr predicate_;
  std::vector<size_t> filter_positions_;
  std::vector<uint32_t> sel_;
  std::vector<std::pair<size_t, size_t>> runs_;
};

}  // namespace

std::unique_ptr<BatchStream> OpenParquetRowGroup(const ParquetSource::File& file, int row_group,
                                                 const std::vector<int>& columns,
                                                 const Schema& schema,
                                                 const std::vector<ParquetRowFilter>& filters) {
  return std::make_unique<ParquetSplitStream>(file, row_group, columns, schema, filters);
}

}  // namespace sluice
