#include "ml/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

namespace sluice::ml {
namespace {

std::map<std::string, double> AsMap(const std::vector<std::pair<std::string, double>>& metrics) {
  return {metrics.begin(), metrics.end()};
}

// Four rows, three classes; two rows are predicted right (rows 0 and 2).
//   row  label  probabilities        top
//   0    0      0.7 0.2 0.1          0
//   1    1      0.5 0.4 0.1          0
//   2    2      0.1 0.2 0.7          2
//   3    2      0.2 0.5 0.3          1
TEST(MulticlassMetricsTest, HandComputedCase) {
  const std::vector<double> labels = {0, 1, 2, 2};
  const std::vector<double> probs = {0.7, 0.2, 0.1, 0.5, 0.4, 0.1, 0.1, 0.2, 0.7, 0.2, 0.5, 0.3};
  const auto m = AsMap(ComputeMulticlassMetrics(labels, probs, 3));
  EXPECT_DOUBLE_EQ(m.at("accuracy"), 0.5);
  // Per class (precision, recall): 0 (1/2, 1), 1 (0, 0), 2 (1, 1/2).
  EXPECT_DOUBLE_EQ(m.at("precision"), 0.5);
  EXPECT_DOUBLE_EQ(m.at("recall"), 0.5);
  // F1 per class: 2/3, 0, 2/3.
  EXPECT_NEAR(m.at("f1_score"), 4.0 / 9, 1e-12);
  const double loss = -(std::log(0.7) + std::log(0.4) + std::log(0.7) + std::log(0.3)) / 4;
  EXPECT_NEAR(m.at("log_loss"), loss, 1e-12);
  // One-vs-rest AUC: class 0 1, class 1 2/3 (its positive 0.4 beats 0.2, 0.2, not 0.5),
  // class 2 1.
  EXPECT_NEAR(m.at("roc_auc"), (1 + 2.0 / 3 + 1) / 3, 1e-12);
  ASSERT_EQ(ComputeMulticlassMetrics(labels, probs, 3).front().first, "accuracy");
}

// A class that never occurs (neither label nor prediction) does not count in the macro
// averages, and has no AUC; ties in the top probability go to the first class.
TEST(MulticlassMetricsTest, AbsentClassAndTies) {
  const std::vector<double> labels = {0, 1};
  const std::vector<double> probs = {0.45, 0.45, 0.1, 0.2, 0.7, 0.1};
  const auto m = AsMap(ComputeMulticlassMetrics(labels, probs, 3));
  EXPECT_DOUBLE_EQ(m.at("accuracy"), 1.0);
  EXPECT_DOUBLE_EQ(m.at("precision"), 1.0);
  EXPECT_DOUBLE_EQ(m.at("recall"), 1.0);
  EXPECT_DOUBLE_EQ(m.at("f1_score"), 1.0);
  EXPECT_DOUBLE_EQ(m.at("roc_auc"), 1.0);
}

TEST(MulticlassMetricsTest, EmptyInputGivesNaN) {
  const auto m = AsMap(ComputeMulticlassMetrics({}, {}, 3));
  EXPECT_TRUE(std::isnan(m.at("accuracy")));
  EXPECT_TRUE(std::isnan(m.at("roc_auc")));
}

}  // namespace
}  // namespace sluice::ml
