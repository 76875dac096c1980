#include "ml/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace sluice::ml {

namespace {

double RocAuc(const std::vector<double>& labels, const std::vector<double>& scores) {
  const size_t n = labels.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  double positive_rank_sum = 0;
  double positives = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && scores[order[j]] == scores[order[i]]) j++;
    const double rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    for (size_t k = i; k < j; k++) {
      if (labels[order[k]] > 0.5) {
        positive_rank_sum += rank;
        positives++;
      }
    }
    i = j;
  }
  const double negatives = static_cast<double>(n) - positives;
  if (positives == 0 || negatives == 0) return std::numeric_limits<double>::quiet_NaN();
  return (positive_rank_sum - positives * (positives + 1) / 2) / (positives * negatives);
}

}  // namespace

std::vector<std::pair<std::string, double>> ComputeMulticlassMetrics(
    const std::vector<double>& labels, const std::vector<double>& probabilities, size_t classes) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const size_t n = labels.size();
  std::vector<double> tp(classes, 0), predicted(classes, 0), actual(classes, 0);
  double correct = 0, loss = 0;
  for (size_t i = 0; i < n; i++) {
    const double* p = probabilities.data() + i * classes;
    const size_t top = static_cast<size_t>(std::max_element(p, p + classes) - p);
    const size_t label = static_cast<size_t>(labels[i]);
    predicted[top]++;
    actual[label]++;
    tp[label] += top == label;
    correct += top == label;
    loss -= std::log(std::clamp(p[label], 1e-15, 1 - 1e-15));
  }
  double precision = 0, recall = 0, f1 = 0, auc = 0;
  int counted = 0, auc_counted = 0;
  for (size_t c = 0; c < classes; c++) {
    if (actual[c] + predicted[c] > 0) {
      const double pc = predicted[c] > 0 ? tp[c] / predicted[c] : 0;
      const double rc = actual[c] > 0 ? tp[c] / actual[c] : 0;
      precision += pc;
      recall += rc;
      f1 += pc + rc > 0 ? 2 * pc * rc / (pc + rc) : 0;
      counted++;
    }
    std::vector<double> is_c(n), score(n);
    for (size_t i = 0; i < n; i++) {
      is_c[i] = static_cast<size_t>(labels[i]) == c;
      score[i] = probabilities[i * classes + c];
    }
    const double a = RocAuc(is_c, score);
    if (!std::isnan(a)) {
      auc += a;
      auc_counted++;
    }
  }
  return {{"accuracy", n > 0 ? correct / n : nan},
          {"precision", counted > 0 ? precision / counted : nan},
          {"recall", counted > 0 ? recall / counted : nan},
          {"f1_score", counted > 0 ? f1 / counted : nan},
          {"log_loss", n > 0 ? loss / n : nan},
          {"roc_auc", auc_counted > 0 ? auc / auc_counted : nan}};
}

std::vector<std::pair<std::string, double>> ComputeMetrics(Model::Kind kind,
                                                           const std::vector<double>& labels,
                                                           const std::vector<double>& scores) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double n = static_cast<double>(labels.size());
  if (kind == Model::Kind::kClassifier) {
    double tp = 0, fp = 0, fn = 0, correct = 0, loss = 0;
    for (size_t i = 0; i < labels.size(); i++) {
      const bool actual = labels[i] > 0.5;
      const bool predicted = scores[i] >= 0.5;
      tp += actual && predicted;
      fp += !actual && predicted;
      fn += actual && !predicted;
      correct += actual == predicted;
      const double p = std::clamp(scores[i], 1e-15, 1 - 1e-15);
      loss -= actual ? std::log(p) : std::log(1 - p);
    }
    const double precision = tp + fp > 0 ? tp / (tp + fp) : nan;
    const double recall = tp + fn > 0 ? tp / (tp + fn) : nan;
    const double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : nan;
    return {{"accuracy", n > 0 ? correct / n : nan},
            {"precision", precision},
            {"recall", recall},
            {"f1_score", f1},
            {"log_loss", n > 0 ? loss / n : nan},
            {"roc_auc", RocAuc(labels, scores)}};
  }
  double abs_sum = 0, sq_sum = 0, mean = 0;
  for (double y : labels) mean += y;
  mean = n > 0 ? mean / n : nan;
  double total = 0;
  for (size_t i = 0; i < labels.size(); i++) {
    const double e = scores[i] - labels[i];
    abs_sum += std::fabs(e);
    sq_sum += e * e;
    total += (labels[i] - mean) * (labels[i] - mean);
  }
  const double mse = n > 0 ? sq_sum / n : nan;
  return {{"mean_absolute_error", n > 0 ? abs_sum / n : nan},
          {"mean_squared_error", mse},
          {"root_mean_squared_error", std::sqrt(mse)},
          {"r2_score", total > 0 ? 1 - sq_sum / total : nan}};
}

}  // namespace sluice::ml
