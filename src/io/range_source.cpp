#include "io/range_source.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/error.h"

namespace sluice {

namespace {

class RangeStream : public BatchStream {
 public:
  RangeStream(int64_t first_value, int64_t step, int64_t rows, bool produce)
      : next_(first_value), step_(step), remaining_(rows), produce_(produce) {}

  bool Next(Batch* out) override {
    if (remaining_ <= 0) return false;
    const size_t n = static_cast<size_t>(std::min<int64_t>(remaining_, kBatchSize));
    std::vector<ColumnPtr> columns;
    if (produce_) {
      auto column = Column::Make(TypeId::kBigInt, n);
      int64_t* data = column->data<int64_t>();
      for (size_t i = 0; i < n; i++) data[i] = next_ + static_cast<int64_t>(i) * step_;
      column->set_size(n);
      columns.push_back(std::move(column));
    }
    next_ += static_cast<int64_t>(n) * step_;
    remaining_ -= static_cast<int64_t>(n);
    *out = Batch(std::move(columns), n);
    return true;
  }

 private:
  int64_t next_;
  int64_t step_;
  int64_t remaining_;
  bool produce_;
};

}  // namespace

RangeSource::RangeSource(int64_t start, int64_t end, int64_t step, std::string column_name)
    : start_(start), step_(step) {
  if (step == 0) throw InvalidInputError("range step must not be zero");
  schema_.Add(Field{std::move(column_name), TypeId::kBigInt, false, ""});
  if ((step > 0 && end <= start) || (step < 0 && end >= start)) {
    rows_ = 0;
  } else {
    const __int128 span = static_cast<__int128>(end) - start;
    rows_ = static_cast<int64_t>((span + (step > 0 ? step - 1 : step + 1)) / step);
  }
}

int RangeSource::num_splits() const {
  return static_cast<int>((rows_ + kRowsPerSplit - 1) / kRowsPerSplit);
}

std::unique_ptr<BatchStream> RangeSource::Open(int split, const std::vector<int>& columns) const {
  const int64_t first_row = static_cast<int64_t>(split) * kRowsPerSplit;
  const int64_t rows = std::min(kRowsPerSplit, rows_ - first_row);
  return std::make_unique<RangeStream>(start_ + first_row * step_, step_, rows, !columns.empty());
}

std::string RangeSource::Describe() const {
  return fmt::format("range({} rows, {} splits)", rows_, num_splits());
}

}  // namespace sluice
