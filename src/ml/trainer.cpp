#include "ml/trainer.h"

#include <xgboost/c_api.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "common/error.h"
#include "common/hash.h"
#include "common/strings.h"
#include "ml/feature_encoder.h"
#include "ml/metrics.h"
#include "ml/xgboost_call.h"

namespace sluice::ml {

namespace {

int FindColumn(const Schema& schema, const std::string& name, const char* what) {
  for (size_t i = 0; i < schema.size(); i++) {
    if (EqualsIgnoreCase(schema.field(i).name, name)) return static_cast<int>(i);
  }
  throw InvalidInputError(fmt::format("CREATE MODEL {} \"{}\" is not a column of the query", what,
                                      name));
}

bool IsEventTime(const LogicalType& type) {
  return type.id() == TypeId::kDate || type.id() == TypeId::kTimestamp;
}

// Owns an XGBoost handle.
struct DMatrix {
  DMatrixHandle handle = nullptr;
  ~DMatrix() {
    if (handle != nullptr) XGDMatrixFree(handle);
  }
};
struct BoosterOwner {
  BoosterHandle handle = nullptr;
  ~BoosterOwner() {
    if (handle != nullptr) XGBoosterFree(handle);
  }
};

void MakeDMatrix(const std::vector<float>& matrix, const std::vector<float>& labels,
                 const std::vector<std::string>& input_names, DMatrix& out) {
  CheckXgboost(XGDMatrixCreateFromMat(matrix.data(), labels.size(), input_names.size(),
                                      std::numeric_limits<float>::quiet_NaN(), &out.handle),
               "building a DMatrix");
  CheckXgboost(XGDMatrixSetFloatInfo(out.handle, "label", labels.data(), labels.size()),
               "setting labels");
  std::vector<const char*> names;
  for (const std::string& name : input_names) names.push_back(name.c_str());
  CheckXgboost(XGDMatrixSetStrFeatureInfo(out.handle, "feature_name", names.data(), names.size()),
               "naming features");
}

// "[3]\ttrain-logloss:0.41\teval-logloss:0.52" -> the losses of train and eval.
std::pair<double, double> ParseEval(const std::string& text) {
  auto value_of = [&](const std::string& prefix) {
    const size_t at = text.find(prefix);
    if (at == std::string::npos) return std::numeric_limits<double>::quiet_NaN();
    const size_t colon = text.find(':', at);
    return std::strtod(text.c_str() + colon + 1, nullptr);
  };
  return {value_of("train-"), value_of("eval-")};
}

// The leakage check of one row: no feature time later than the label time.
void CheckFeatureTimes(const Schema& schema, const Batch& batch, size_t row, int64_t input_row,
                       int label_time, const std::vector<int>& feature_times) {
  const Column& label = *batch.column(label_time);
  const double at = NumericValue(label, row);
  if (std::isnan(at)) return;
  for (int c : feature_times) {
    const Column& feature = *batch.column(c);
    const double t = NumericValue(feature, row);
    if (std::isnan(t) || t <= at) continue;
    const size_t i = feature.is_constant() ? 0 : row;
    throw InvalidInputError(fmt::format(
        "CREATE MODEL refuses to train: feature time \"{}\" is later than the label time \"{}\" "
        "in row {} of the query ({} = {}, {} = {}): the feature was not known when the label was "
        "(temporal leakage)",
        schema.field(c).name, schema.field(label_time).name, input_row + 1, schema.field(c).name,
        feature.GetValue(i).ToString(), schema.field(label_time).name,
        label.GetValue(label.is_constant() ? 0 : row).ToString()));
  }
}

// The class index of label row `r` of `y`: its text's in `class_index`; for numeric labels
// looked up once per distinct value (`cache`).
float ClassIndex(const Column& y, size_t r, bool numeric_label,
                 const std::map<std::string, float>& class_index,
                 std::unordered_map<double, float>& cache) {
  const auto text_index = [&] {
    return class_index.at(y.GetValue(y.is_constant() ? 0 : r).ToString());
  };
  if (!numeric_label) return text_index();
  const double d = NumericValue(y, r);
  const auto it = cache.find(d);
  if (it != cache.end()) return it->second;
  const float index = text_index();
  cache.emplace(d, index);
  return index;
}

// The training rows' instance weights from the class weights of `options` (empty when there
// are none). `labels` are class indexes into `classes`.
std::vector<float> InstanceWeights(const TrainingOptions& options,
                                   const std::vector<std::string>& classes,
                                   const std::vector<float>& labels) {
  if (options.class_weights.empty() && !options.auto_class_weights) return {};
  std::vector<double> per_class(classes.size(), 1.0);
  if (options.auto_class_weights) {
    // Inverse to the class's frequency, scaled so the weights sum to the row count.
    std::vector<size_t> counts(classes.size(), 0);
    for (float y : labels) counts[static_cast<size_t>(y)]++;
    size_t present = 0;
    for (size_t c : counts) present += c > 0;
    for (size_t c = 0; c < classes.size(); c++) {
      if (counts[c] > 0) per_class[c] = static_cast<double>(labels.size()) / (present * counts[c]);
    }
  }
  for (const auto& [label, weight] : options.class_weights) {
    const auto it = std::find(classes.begin(), classes.end(), label);
    if (it == classes.end()) {
      throw InvalidInputError(fmt::format(
          "CREATE MODEL option class_weights names class '{}', which is not a label value (the "
          "labels are {})",
          label, Join(classes, ", ")));
    }
    per_class[it - classes.begin()] = weight;
  }
  std::vector<float> out(labels.size());
  for (size_t i = 0; i < labels.size(); i++) {
    out[i] = static_cast<float>(per_class[static_cast<size_t>(labels[i])]);
  }
  return out;
}

// The booster's predictions (probabilities or values, outputs per row) on a DMatrix of its
// cache. REQUIRES: `values` = rows x outputs.
std::vector<double> PredictCached(BoosterHandle booster, DMatrixHandle dmatrix, size_t values) {
  const char* config =
      R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": false})";
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  CheckXgboost(XGBoosterPredictFromDMatrix(booster, dmatrix, config, &shape, &dim, &result),
               "predicting the eval rows");
  return std::vector<double>(result, result + values);
}

}  // namespace

std::unique_ptr<Model> Train(const std::string& name, const TrainingOptions& options,
                             const Schema& schema, const std::vector<Batch>& batches) {
  auto model = std::make_unique<Model>();
  model->name = name;
  model->kind = options.kind;
  model->options = options.written;
  const int label = FindColumn(schema, options.label, "input_label_cols column");
  const int split = options.split_column.empty()
                        ? -1
                        : FindColumn(schema, options.split_column, "data_split_col column");
  const int label_time = options.label_time_column.empty()
                             ? -1
                             : FindColumn(schema, options.label_time_column, "label_time_col column");
  std::vector<int> feature_times;
  for (const std::string& c : options.feature_time_columns) {
    feature_times.push_back(FindColumn(schema, c, "feature_time_cols column"));
    const LogicalType& t = schema.field(feature_times.back()).type;
    if (!(t == schema.field(label_time).type)) {
      throw InvalidInputError(fmt::format(
          "CREATE MODEL feature_time_cols column \"{}\" is {}, label_time_col \"{}\" is {}: they "
          "must have the same type",
          c, t.ToString(), schema.field(label_time).name,
          schema.field(label_time).type.ToString()));
    }
  }
  auto is_time_column = [&](int i) {
    return i == label_time || std::find(feature_times.begin(), feature_times.end(), i) !=
                                  feature_times.end();
  };
  model->label = schema.field(label).name;
  model->label_type = schema.field(label).type;
  std::vector<int> feature_columns;
  bool event_time = false;
  for (size_t i = 0; i < schema.size(); i++) {
    const Field& f = schema.field(i);
    event_time |= IsEventTime(f.type);
    if (static_cast<int>(i) == label || static_cast<int>(i) == split ||
        is_time_column(static_cast<int>(i))) {
      continue;
    }
    if (!FeatureEncoder::Supported(f.type)) {
      throw InvalidInputError(fmt::format(
          "CREATE MODEL feature \"{}\" has type {}: features must be numbers, BOOLEAN, DATE, "
          "TIMESTAMP or VARCHAR",
          f.name, f.type.ToString()));
    }
    feature_columns.push_back(static_cast<int>(i));
    model->features.push_back(Feature{f.name, f.type, {}, options.encoding});
  }
  if (feature_columns.empty()) throw InvalidInputError("CREATE MODEL needs at least one feature column");
  if (options.split_method == "RANDOM" && event_time && !options.force_random_split) {
    throw InvalidInputError(
        "CREATE MODEL refuses data_split_method 'RANDOM': the rows carry an event time (a DATE "
        "or TIMESTAMP column), and a random split leaks the future into training (temporal "
        "leakage). Split by time with data_split_method = 'SEQ', data_split_col = '<time "
        "column>', or set force_random_split = TRUE");
  }
  if (options.split_method == "CUSTOM" && schema.field(split).type.id() != TypeId::kBoolean) {
    throw InvalidInputError(fmt::format("CREATE MODEL data_split_col \"{}\" must be BOOLEAN for "
                                        "data_split_method 'CUSTOM' (TRUE = eval)",
                                        schema.field(split).name));
  }

  // Rows with a label, in input order; categories and classes first.
  std::vector<std::set<std::string>> categories(feature_columns.size());
  std::map<std::string, double> class_order;  // label text -> sort key (numeric labels)
  const bool numeric_label = model->label_type.id() != TypeId::kVarchar;
  if (options.kind == Model::Kind::kRegressor && !numeric_label) {
    throw InvalidInputError(fmt::format("boosted_tree_regressor label \"{}\" must be numeric, not {}",
                                        model->label, model->label_type.ToString()));
  }
  size_t rows = 0;
  int64_t input_row = 0;
  std::unordered_set<double> seen_labels;  // numeric labels already in class_order
  for (const Batch& b : batches) {
    const Column& y = *b.column(label);
    for (size_t r = 0; r < b.num_rows(); r++, input_row++) {
      if (y.IsNull(r)) continue;
      if (label_time >= 0) CheckFeatureTimes(schema, b, r, input_row, label_time, feature_times);
      rows++;
      if (options.kind == Model::Kind::kClassifier) {
        // A numeric label's text is made once per distinct value.
        const double d = numeric_label ? NumericValue(y, r) : 0.0;
        if (numeric_label && !seen_labels.insert(d).second) continue;
        const Value v = y.GetValue(y.is_constant() ? 0 : r);
        class_order.emplace(v.ToString(), d);
      }
    }
    for (size_t f = 0; f < feature_columns.size(); f++) {
      if (!model->features[f].categorical()) continue;
      const Column& c = *b.column(feature_columns[f]);
      for (size_t r = 0; r < b.num_rows(); r++) {
        if (c.IsNull(r) || y.IsNull(r)) continue;
        categories[f].insert(std::string(c.data<StringView>()[c.is_constant() ? 0 : r].view()));
      }
    }
  }
  if (rows == 0) throw InvalidInputError("CREATE MODEL: the query returned no rows with a label");
  for (size_t f = 0; f < feature_columns.size(); f++) {
    model->features[f].categories.assign(categories[f].begin(), categories[f].end());
  }
  if (options.kind == Model::Kind::kClassifier) {
    if (class_order.size() < 2) {
      throw InvalidInputError(fmt::format(
          "boosted_tree_classifier label \"{}\" has {} distinct value{}: a classifier needs at "
          "least 2",
          model->label, class_order.size(), class_order.size() == 1 ? "" : "s"));
    }
    std::vector<std::pair<std::string, double>> classes(class_order.begin(), class_order.end());
    if (numeric_label) {
      std::sort(classes.begin(), classes.end(),
                [](const auto& a, const auto& b) { return a.second < b.second; });
    }
    for (const auto& c : classes) model->classes.push_back(c.first);
  }

  // The matrix, labels and split keys of every labelled row. Classifier labels are the
  // class's index in model->classes (binary: 0 negative, 1 positive).
  FeatureEncoder encoder(model->features);
  const size_t width = encoder.width();
  if (width == 0) {
    throw InvalidInputError(
        "CREATE MODEL: the one-hot or dummy-encoded features have no inputs (every value is "
        "NULL, or a dummy-encoded feature has a single category)");
  }
  std::map<std::string, float> class_index;
  for (size_t c = 0; c < model->classes.size(); c++) {
    class_index.emplace(model->classes[c], static_cast<float>(c));
  }
  std::unordered_map<double, float> index_cache;  // numeric label -> class index
  std::vector<float> matrix(rows * width);
  std::vector<float> labels(rows);
  std::vector<double> split_key(rows, 0.0);
  size_t at = 0;
  for (const Batch& b : batches) {
    const Column& y = *b.column(label);
    std::vector<uint32_t> keep;
    for (size_t r = 0; r < b.num_rows(); r++) {
      if (!y.IsNull(r)) keep.push_back(static_cast<uint32_t>(r));
    }
    if (keep.empty()) continue;
    Batch kept = keep.size() == b.num_rows() ? b : b.Gather(keep.data(), keep.size());
    std::vector<ColumnPtr> columns;
    for (int c : feature_columns) columns.push_back(kept.column(c));
    encoder.Encode(columns, kept.num_rows(), at, matrix);
    const Column& ky = *kept.column(label);
    for (size_t r = 0; r < kept.num_rows(); r++) {
      if (options.kind == Model::Kind::kClassifier) {
        labels[at + r] = ClassIndex(ky, r, numeric_label, class_index, index_cache);
      } else {
        labels[at + r] = static_cast<float>(NumericValue(ky, r));
      }
      if (split >= 0) {
        const Column& s = *kept.column(split);
        split_key[at + r] = NumericValue(s, r);
      }
    }
    at += kept.num_rows();
  }

  // The split: which rows are eval rows.
  std::vector<uint8_t> eval(rows, 0);
  if (options.split_method == "SEQ") {
    std::vector<size_t> order(rows);
    std::iota(order.begin(), order.end(), 0);
    // NULL times (NaN) first: they are never later than a training row.
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      const double x = std::isnan(split_key[a]) ? -INFINITY : split_key[a];
      const double y = std::isnan(split_key[b]) ? -INFINITY : split_key[b];
      return x < y;
    });
    const size_t train_rows = rows - static_cast<size_t>(std::ceil(rows * options.eval_fraction));
    const double cutoff = train_rows < rows ? split_key[order[train_rows]] : INFINITY;
    for (size_t i = 0; i < rows; i++) eval[i] = !std::isnan(split_key[i]) && split_key[i] >= cutoff;
  } else if (options.split_method == "CUSTOM") {
    for (size_t i = 0; i < rows; i++) eval[i] = split_key[i] == 1.0;
  } else if (options.split_method == "RANDOM") {
    for (size_t i = 0; i < rows; i++) {
      const uint64_t h = HashInt(static_cast<uint64_t>(i) * 1000003 + options.seed);
      eval[i] = static_cast<double>(h % 1000000) / 1e6 < options.eval_fraction;
    }
  }
  std::vector<float> train_matrix, eval_matrix, train_labels, eval_labels;
  if (std::find(eval.begin(), eval.end(), 1) == eval.end()) {
    // No eval rows: the whole matrix trains (no copy).
    train_matrix = std::move(matrix);
    train_labels = std::move(labels);
  } else {
    for (size_t i = 0; i < rows; i++) {
      auto& m = eval[i] ? eval_matrix : train_matrix;
      m.insert(m.end(), matrix.begin() + i * width, matrix.begin() + (i + 1) * width);
      (eval[i] ? eval_labels : train_labels).push_back(labels[i]);
    }
  }
  if (train_labels.empty()) throw InvalidInputError("CREATE MODEL: the split leaves no training rows");
  const std::vector<float> train_weights = InstanceWeights(options, model->classes, train_labels);
  model->training_rows = static_cast<int64_t>(train_labels.size());
  model->eval_rows = static_cast<int64_t>(eval_labels.size());

  DMatrix train, test;
  const std::vector<std::string> input_names = model->InputNames();
  MakeDMatrix(train_matrix, train_labels, input_names, train);
  if (!train_weights.empty()) {
    CheckXgboost(XGDMatrixSetFloatInfo(train.handle, "weight", train_weights.data(),
                                       train_weights.size()),
                 "setting class weights");
  }
  const bool have_eval = !eval_labels.empty();
  if (have_eval) MakeDMatrix(eval_matrix, eval_labels, input_names, test);
  BoosterOwner booster;
  DMatrixHandle cache[2] = {train.handle, test.handle};
  CheckXgboost(XGBoosterCreate(cache, have_eval ? 2 : 1, &booster.handle), "creating a booster");
  {
    // Named on the booster too, so the saved model carries them (python3-xgboost reads them).
    std::vector<const char*> names, types;
    for (const std::string& name : input_names) {
      names.push_back(name.c_str());
      types.push_back("q");
    }
    CheckXgboost(XGBoosterSetStrFeatureInfo(booster.handle, "feature_name", names.data(), names.size()),
                 "naming features");
    CheckXgboost(XGBoosterSetStrFeatureInfo(booster.handle, "feature_type", types.data(), types.size()),
                 "typing features");
  }
  const bool classifier = options.kind == Model::Kind::kClassifier;
  const bool multiclass = model->multiclass();
  std::vector<std::pair<std::string, std::string>> params = {
      {"objective", multiclass   ? "multi:softprob"
                    : classifier ? "binary:logistic"
                                 : "reg:squarederror"},
      {"eval_metric", multiclass ? "mlogloss" : classifier ? "logloss" : "rmse"},
      {"tree_method", "hist"},
      {"eta", fmt::format("{}", options.learn_rate)},
      {"max_depth", std::to_string(options.max_tree_depth)},
      {"seed", std::to_string(options.seed)},
      {"nthread", "1"},
      {"verbosity", "0"}};
  if (multiclass) params.emplace_back("num_class", std::to_string(model->classes.size()));
  for (const auto& [k, v] : params) {
    CheckXgboost(XGBoosterSetParam(booster.handle, k.c_str(), v.c_str()), "setting " + k);
  }
  const char* eval_names[2] = {"train", "eval"};
  double best = INFINITY;
  int best_round = 0;
  for (int i = 0; i < options.max_iterations; i++) {
    const auto round_start = std::chrono::steady_clock::now();
    CheckXgboost(XGBoosterUpdateOneIter(booster.handle, i, train.handle), "training");
    const char* text = nullptr;
    CheckXgboost(XGBoosterEvalOneIter(booster.handle, i, cache, eval_names, have_eval ? 2 : 1, &text),
                 "evaluating");
    const std::chrono::duration<double, std::milli> round_time =
        std::chrono::steady_clock::now() - round_start;
    const auto [train_loss, eval_loss] = ParseEval(text);
    model->rounds.push_back(RoundInfo{i, train_loss, eval_loss, round_time.count()});
    if (!have_eval || !options.early_stop) continue;
    if (eval_loss < best) {
      best = eval_loss;
      best_round = i;
    } else if (i - best_round >= options.early_stop_rounds) {
      break;
    }
  }
  if (have_eval && options.early_stop && best_round + 1 < static_cast<int>(model->rounds.size())) {
    // Keep the rounds up to the best one: the saved model is what gets served.
    BoosterHandle sliced = nullptr;
    CheckXgboost(XGBoosterSlice(booster.handle, 0, best_round + 1, 1, &sliced), "slicing");
    XGBoosterFree(booster.handle);
    booster.handle = sliced;
    model->rounds.resize(best_round + 1);
  }
  bst_ulong length = 0;
  const char* bytes = nullptr;
  CheckXgboost(XGBoosterSaveModelToBuffer(booster.handle, R"({"format": "json"})", &length, &bytes),
               "saving the model");
  model->booster_json.assign(bytes, length);

  // Metrics on the eval rows (the training rows without a split), predicted from the
  // DMatrix the booster trained or evaluated on: XGBoost keeps those predictions cached.
  const std::vector<float>& y = have_eval ? eval_labels : train_labels;
  const std::vector<double> scores =
      PredictCached(booster.handle, have_eval ? test.handle : train.handle, y.size() * model->outputs());
  const std::vector<double> actual(y.begin(), y.end());
  model->metrics = multiclass ? ComputeMulticlassMetrics(actual, scores, model->classes.size())
                              : ComputeMetrics(options.kind, actual, scores);
  model->created_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  return model;
}

}  // namespace sluice::ml
