#include "io/parquet_split_stream.h"

#include <algorithm>

#include "expr/evaluator.h"
#include "io/file.h"
#include "io/parquet_column_reader.h"
#include "io/parquet_nested_reader.h"
#include "vector/batch.h"

namespace sluice {

namespace {

// Above this many runs of passing rows in a batch, the other columns are decoded whole and
// gathered: skipping and reading run by run costs more than it saves.
constexpr size_t kMaxRuns = 32;

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
      for (size_t i = 0; i < columns.size(); i++) {
        if (!columns[i]) {
          columns[i] = ReadSelected(i, n, k);
        } else if (k < n) {
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

  // Column i for the k rows sel_[0..k) of the next n.
  ColumnPtr ReadSelected(size_t i, size_t n, size_t k) {
    if (k == n) return ReadColumn(i, n);
    size_t runs = 1;
    for (size_t j = 1; j < k; j++) runs += sel_[j] != sel_[j - 1] + 1;
    if (runs > kMaxRuns) return ReadColumn(i, n)->Gather(sel_.data(), k);
    ParquetColumnReader& reader = *readers_[i];
    auto column = Column::Make(schema_.field(columns_[i]).type, k);
    size_t row = 0;  // of the n, the next not yet read or skipped
    for (size_t j = 0; j < k;) {
      size_t end = j + 1;
      while (end < k && sel_[end] == sel_[end - 1] + 1) end++;
      if (sel_[j] > row) reader.Skip(sel_[j] - row);
      reader.ReadInto(end - j, column.get(), j);
      row = sel_[end - 1] + 1;
      j = end;
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
};

}  // namespace

std::unique_ptr<BatchStream> OpenParquetRowGroup(const ParquetSource::File& file, int row_group,
                                                 const std::vector<int>& columns,
                                                 const Schema& schema,
                                                 const std::vector<ParquetRowFilter>& filters) {
  return std::make_unique<ParquetSplitStream>(file, row_group, columns, schema, filters);
}

}  // namespace sluice
