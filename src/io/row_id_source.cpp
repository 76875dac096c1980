#include "io/row_id_source.h"

namespace sluice {

namespace {

// The columns of one split with the row id put where the caller asked for it.
class RowIdStream : public BatchStream {
 public:
  // `id_position`: where the id goes in each batch (-1: not asked for).
  RowIdStream(std::unique_ptr<BatchStream> input, int id_position, int64_t first_id)
      : input_(std::move(input)), id_position_(id_position), next_id_(first_id) {}

  bool Next(Batch* out) override {
    Batch b;
    if (!input_->Next(&b)) return false;
    const size_t n = b.num_rows();
    if (id_position_ >= 0) {
      auto ids = Column::Make(LogicalType(TypeId::kBigInt), n);
      int64_t* data = ids->data<int64_t>();
      for (size_t r = 0; r < n; r++) data[r] = next_id_ + static_cast<int64_t>(r);
      ids->set_size(n);
      std::vector<ColumnPtr> columns = b.columns();
      columns.insert(columns.begin() + id_position_, std::move(ids));
      b = Batch(std::move(columns), n);
    }
    next_id_ += static_cast<int64_t>(n);
    *out = std::move(b);
    return true;
  }

 private:
  std::unique_ptr<BatchStream> input_;
  int id_position_;
  int64_t next_id_;
};

bool ReadsColumn(const Expr& e, int column) {
  if (e.kind == ExprKind::kColumnRef && e.column_index == column) return true;
  for (const auto& a : e.args) {
    if (ReadsColumn(*a, column)) return true;
  }
  return false;
}

}  // namespace

RowIdSource::RowIdSource(std::shared_ptr<const DataSource> inner, const std::string& column_name)
    : inner_(std::move(inner)), column_name_(column_name), schema_(inner_->schema()) {
  schema_.Add(Field{column_name, LogicalType(TypeId::kBigInt), false, ""});
}

std::unique_ptr<BatchStream> RowIdSource::Open(int split, const std::vector<int>& columns) const {
  const int id_column = static_cast<int>(inner_->schema().size());
  std::vector<int> inner_columns;
  int id_position = -1;
  for (size_t i = 0; i < columns.size(); i++) {
    if (columns[i] == id_column) {
      id_position = static_cast<int>(i);
    } else {
      inner_columns.push_back(columns[i]);
    }
  }
  return std::make_unique<RowIdStream>(inner_->Open(split, inner_columns), id_position,
                                       static_cast<int64_t>(split) << kSplitShift);
}

std::shared_ptr<const DataSource> RowIdSource::WithFilters(
    const std::vector<ExprPtr>& conjuncts) const {
  const int id_column = static_cast<int>(inner_->schema().size());
  std::vector<ExprPtr> inner_conjuncts;
  for (const auto& c : conjuncts) {
    if (!ReadsColumn(*c, id_column)) inner_conjuncts.push_back(c);
  }
  if (inner_conjuncts.empty()) return nullptr;
  std::shared_ptr<const DataSource> pruned = inner_->WithFilters(inner_conjuncts);
  if (pruned == nullptr) return nullptr;
  return std::make_shared<RowIdSource>(std::move(pruned), column_name_);
}

}  // namespace sluice
