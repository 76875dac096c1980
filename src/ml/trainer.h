#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ml/model.h"
#include "vector/batch.h"
#include "vector/schema.h"

namespace sluice::ml {

// CREATE MODEL's OPTIONS, checked (BigQuery ML's names). Keys are lowercase; values are the
// option's text (a list as its elements joined by ",").
struct TrainingOptions {
  Model::Kind kind = Model::Kind::kRegressor;
  std::string label;
  std::string split_method = "NO_SPLIT";  // NO_SPLIT, SEQ, CUSTOM, RANDOM
  std::string split_column;
  double eval_fraction = 0.2;
  int max_iterations = 20;
  double learn_rate = 0.3;
  int max_tree_depth = 6;
  bool early_stop = false;
  int early_stop_rounds = 3;
  int seed = 0;
  bool force_random_split = false;
  // category_encoding_method: VARCHAR features ordinal ('LABEL_ENCODING', the default),
  // one-hot ('ONE_HOT_ENCODING') or one-hot without the first category ('DUMMY_ENCODING').
  CategoryEncoding encoding = CategoryEncoding::kOrdinal;
  // class_weights (label text -> weight; classes not named weigh 1) or auto_class_weights
  // (each class weighs rows / (classes x its rows), over the training rows): classifiers'
  // per-row instance weights for XGBoost.
  std::vector<std::pair<std::string, double>> class_weights;
  bool auto_class_weights = false;
  // The leakage check: the label's event time, and the event times of the features (as of
  // when each feature value was known). Not features themselves.
  std::string label_time_column;
  std::vector<std::string> feature_time_columns;
  std::vector<std::pair<std::string, std::string>> written;  // as given, for the model

  // Throws InvalidInputError naming the option on an unknown name or a bad value.
  static TrainingOptions Parse(const std::vector<std::pair<std::string, std::string>>& options);
};

// Trains a model on the rows of `batches` (columns of `schema`): the label column, the
// split column, and every other column as a feature. Splits as the options say: SEQ puts the
// rows at or after the time where the last `eval_fraction` starts in the eval set (so no
// training row is later than an eval row); CUSTOM reads a BOOLEAN column (TRUE = eval);
// RANDOM is refused when a row carries an event time (a DATE or TIMESTAMP column) unless
// force_random_split. With label_time_col, training refuses rows where a feature time
// (feature_time_cols) is later than the label time, naming the column and the first such row
// (the feature was not known when the label was). Rows whose label is NULL are skipped. Deterministic: same rows, same
// options, same model bytes (seeded; one XGBoost thread).
std::unique_ptr<Model> Train(const std::string& name, const TrainingOptions& options,
                             const Schema& schema, const std::vector<Batch>& batches);

}  // namespace sluice::ml
