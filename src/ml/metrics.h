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

// The metrics of a multiclass classifier, BigQuery ML's names: `labels` are class indexes,
// `probabilities` `classes` values per row (in class order). accuracy (the top class, ties
// to the first, equals the label); precision, recall and f1_score macro-averaged over the
// classes that occur as a label or a prediction (per class: 0 when undefined; f1 per class,
// then averaged); log_loss the mean of -ln(probability of the label); roc_auc the mean of
// the one-vs-rest AUCs of the classes that have both positive and negative rows.
std::vector<std::pair<std::string, double>> ComputeMulticlassMetrics(
    const std::vector<double>& labels, const std::vector<double>& probabilities, size_t classes);

}  // namespace sluice::ml
