#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "ml/model.h"
#include "vector/column.h"

namespace sluice::ml {

// Turns feature columns into XGBoost's dense float matrix (row-major, NaN = missing) the
// way Feature describes (a one-hot feature takes one matrix column per category). Built
// once per model; thread-safe to use (read-only).
class FeatureEncoder {
 public:
  explicit FeatureEncoder(const std::vector<Feature>& features);

  // Writes `rows` rows of `columns` (one per feature, in order) into `out` starting at row
  // `first_row`. REQUIRES: out holds (first_row + rows) x width() values.
  void Encode(const std::vector<ColumnPtr>& columns, size_t rows, size_t first_row,
              std::vector<float>& out) const;

  // True for a type a feature may have (numbers, BOOLEAN, DATE, TIMESTAMP, VARCHAR).
  static bool Supported(const LogicalType& type);
  // The matrix width: the features' widths summed.
  size_t width() const { return width_; }

 private:
  const std::vector<Feature>& features_;
  std::vector<std::unordered_map<std::string, int>> codes_;  // per feature: category -> code
  std::vector<size_t> offsets_;                              // per feature: its first column
  size_t width_ = 0;
};

// A column's value of row `row` as a double (NaN for NULL). REQUIRES: a numeric, BOOLEAN,
// DATE or TIMESTAMP column.
double NumericValue(const Column& column, size_t row);

}  // namespace sluice::ml
