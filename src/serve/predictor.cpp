#include "serve/predictor.h"

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
  std::vector<float> matrix(model_->features.size());
  encoder_.Encode(columns, 1, 0, matrix);
  Prediction p;
  p.value = model_->Score(matrix, 1).at(0);
  if (model_->kind == ml::Model::Kind::kClassifier) {
    p.label = model_->classes.at(p.value >= 0.5 ? 1 : 0);
  } else {
    p.label = fmt::format("{}", p.value);
  }
  return p;
}

}  // namespace sluice::serve
