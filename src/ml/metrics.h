#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ml/model.h"

namespace sluice::ml {

// Evaluation metrics of scores against labels. Classifier: labels 0/1, scores the positive
// class's probability; accuracy, precision, recall, f1 (threshold 0.5), log_loss, roc_auc
// (ties in score share their average rank). Regressor: mean_absolute_error,
// mean_squared_error, root_mean_squared_error, r2_score. Empty input gives NaNs.
std::vector<std::pair<std::string, double>> ComputeMetrics(Model::Kind kind,
                                                           const std::vector<double>& labels,
                                                           const std::vector<double>& scores);

}  // namespace sluice::ml
