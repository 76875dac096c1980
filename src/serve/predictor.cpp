#include "serve/predictor.h"

#include <algorithm>

#include <fmt/format.h>

#include "vector/column.h"

namespace sluice::serve {

Predictor::Prediction Predictor::Predict(const std::vector<Value>& values) const {
  std::vector<ColumnPtr> columns;
  columns.reserve(values.size());
  for (size_t i = 0; i < values.size(); i++) {
    auto column = Column::Make(model_->features[i].type, 1);
    column->SetValue(0, values[i]);
    column->set_size(1);
    columns.push_back(std::move(column));
  }
  std::vector<float> matrix(encoder_.width());
  encoder_.Encode(columns, 1, 0, matrix);
  Prediction p;
  const std::vector<double> scores = model_->Score(matrix, 1);
  if (model_->multiclass()) {
    p.probabilities = scores;
    const size_t top = static_cast<size_t>(std::max_element(scores.begin(), scores.end()) -
                                           scores.begin());
    p.label = model_->classes.at(top);
    p.value = scores[top];
  } else if (model_->kind == ml::Model::Kind::kClassifier) {
    p.value = scores.at(0);
    p.label = model_->classes.at(p.value >= 0.5 ? 1 : 0);
    p.probabilities = {1 - p.value, p.value};
  } else {
    p.value = scores.at(0);
    p.label = fmt::format("{}", p.value);
  }
  return p;
}

}  // namespace sluice::serve
