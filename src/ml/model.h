#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "types/logical_type.h"

namespace sluice::ml {

// How a feature column becomes an XGBoost input: numbers (and booleans, dates, timestamps)
// as their numeric value, VARCHAR as the ordinal of its value among the categories seen in
// training (sorted), an unseen value or NULL as missing.
struct Feature {
  std::string name;
  LogicalType type;
  std::vector<std::string> categories;  // VARCHAR features only: index = code
  bool categorical() const { return type.id() == TypeId::kVarchar; }
};

// One boosting round's losses (the objective's default metric).
struct RoundInfo {
  int iteration = 0;
  double training_loss = 0;
  double eval_loss = 0;  // NaN without an eval split
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
  // Classifier: the two label values as text, [negative, positive] (sorted); the positive
  // class is the one whose probability the booster predicts.
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

  // Scores a dense row-major matrix (rows x features.size(), NaN = missing): the positive
  // class's probability for a classifier, the value for a regressor. Thread-safe.
  std::vector<double> Score(const std::vector<float>& matrix, size_t rows) const;
  // Feature importance by XGBoost: per feature (in `features` order) weight, gain, cover.
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
