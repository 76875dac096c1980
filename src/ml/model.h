#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "types/logical_type.h"

namespace sluice::ml {

// How a VARCHAR feature becomes XGBoost inputs (BigQuery ML's category_encoding_method):
// kOrdinal (LABEL_ENCODING) one input, the category's index; kOneHot (ONE_HOT_ENCODING) one
// 0/1 input per category; kDummy (DUMMY_ENCODING) one-hot without the first category, the
// reference level that all zeros stand for.
enum class CategoryEncoding { kOrdinal, kOneHot, kDummy };

// How a feature column becomes XGBoost inputs: numbers (and booleans, dates, timestamps) as
// their numeric value; VARCHAR by the categories seen in training (sorted), encoded as
// `encoding` says. An unseen value or NULL is missing (ordinal) or all zeros (one-hot,
// dummy).
struct Feature {
  std::string name;
  LogicalType type;
  std::vector<std::string> categories;  // VARCHAR features only: index = code
  CategoryEncoding encoding = CategoryEncoding::kOrdinal;  // VARCHAR features only
  bool categorical() const { return type.id() == TypeId::kVarchar; }
  // A categorical feature with one 0/1 input per category from first_indicator() on.
  bool indicators() const { return categorical() && encoding != CategoryEncoding::kOrdinal; }
  // The first category with an input of its own (dummy encoding drops category 0).
  size_t first_indicator() const { return encoding == CategoryEncoding::kDummy ? 1 : 0; }
  // How many matrix columns the feature takes.
  size_t width() const {
    if (!indicators()) return 1;
    return categories.size() > first_indicator() ? categories.size() - first_indicator() : 0;
  }
};

// One boosting round's losses (the objective's default metric) and the wall time of its
// XGBoost calls (the boosting step and its evaluation), the time ML.TRAINING_INFO reports.
struct RoundInfo {
  int iteration = 0;
  double training_loss = 0;
  double eval_loss = 0;  // NaN without an eval split
  double duration_ms = 0;
};

// A trained model: the XGBoost booster (its JSON model, which python3-xgboost loads as is)
// and what the engine needs around it. Immutable once trained or loaded; shared by the
// queries that use it (the booster handle is created on first use, under a mutex).
class Model {
 public:
  enum class Kind { kClassifier, kRegressor };

  Model();
  ~Model();
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  std::string name;
  int version = 1;
  Kind kind = Kind::kRegressor;
  std::string label;
  LogicalType label_type;
  // Classifier: the label values seen in training, as text, sorted (numerically for numeric
  // labels). Binary: [negative, positive], the booster predicts the positive class's
  // probability (binary:logistic). More than two: the booster predicts one probability per
  // class in this order (multi:softprob).
  std::vector<std::string> classes;
  std::vector<Feature> features;
  std::vector<std::pair<std::string, std::string>> options;  // as written in OPTIONS
  std::vector<std::pair<std::string, double>> metrics;       // eval metrics after training
  std::vector<RoundInfo> rounds;
  std::vector<std::pair<std::string, int64_t>> lineage;      // source table -> snapshot id
  int64_t created_ms = 0;
  int64_t training_rows = 0;
  int64_t eval_rows = 0;
  std::string booster_json;  // XGBoost's JSON model

  // A classifier of more than two classes.
  bool multiclass() const { return kind == Kind::kClassifier && classes.size() > 2; }
  // Scores per row: the class count for a multiclass model, else 1.
  size_t outputs() const { return multiclass() ? classes.size() : 1; }
  // The matrix width: the features' widths summed.
  size_t input_width() const;
  // The names of the matrix columns (a feature's name; "name=category" for a one-hot
  // feature's columns, '[', ']' and '<' replaced by '_' as XGBoost refuses them).
  std::vector<std::string> InputNames() const;

  // Scores a dense row-major matrix (rows x input_width(), NaN = missing): per row the
  // positive class's probability (binary classifier), the probability of each class in
  // `classes` order (multiclass, outputs() values per row) or the value (regressor).
  // Thread-safe.
  std::vector<double> Score(const std::vector<float>& matrix, size_t rows) const;
  // Feature importance by XGBoost: per feature (in `features` order) weight, gain, cover; a
  // one-hot feature's columns summed.
  std::vector<std::vector<double>> Importance() const;

  // The metadata (everything but the booster) as JSON, and back.
  std::string MetadataJson() const;
  static std::unique_ptr<Model> FromJson(const std::string& metadata, std::string booster_json);

 private:
  void* Booster() const;  // REQUIRES: mutex_ held

  mutable std::mutex mutex_;
  mutable void* booster_ = nullptr;  // BoosterHandle, created from booster_json
};

using ModelPtr = std::shared_ptr<const Model>;

// "boosted_tree_classifier" / "boosted_tree_regressor".
const char* ModelTypeName(Model::Kind kind);

}  // namespace sluice::ml
