#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ml/feature_encoder.h"
#include "ml/model.h"
#include "types/value.h"

namespace sluice::serve {

// One model version ready to score single rows: the model and its feature encoder.
// Immutable; thread-safe.
class Predictor {
 public:
  explicit Predictor(ml::ModelPtr model)
      : model_(std::move(model)), encoder_(model_->features) {}

  struct Prediction {
    std::string label;  // classifier: the predicted class; regressor: the value
    // Binary classifier: the positive class's probability; multiclass: the predicted
    // class's probability; regressor: the value.
    double value = 0;
    // Classifier: each class's probability, in the model's class order.
    std::vector<double> probabilities;
  };

  // Scores one row: `values` holds one value per model feature, in order (NULL: missing),
  // each already of the feature's type.
  Prediction Predict(const std::vector<Value>& values) const;
  const ml::Model& model() const { return *model_; }

 private:
  ml::ModelPtr model_;
  ml::FeatureEncoder encoder_;  // refers to model_->features
};

}  // namespace sluice::serve
