#include <charconv>

#include <fmt/format.h>

#include "common/error.h"
#include "common/strings.h"
#include "ml/trainer.h"

namespace sluice::ml {

namespace {

double ToDouble(const std::string& key, const std::string& value, double lo, double hi) {
  char* end = nullptr;
  const double v = std::strtod(value.c_str(), &end);
  if (value.empty() || *end != '\0' || !(v >= lo && v <= hi)) {
    throw InvalidInputError(fmt::format("CREATE MODEL option {} must be a number between {} and "
                                        "{}, not '{}'",
                                        key, lo, hi, value));
  }
  return v;
}

int ToInt(const std::string& key, const std::string& value, int lo, int hi) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || ptr != value.data() + value.size() || v < lo || v > hi) {
    throw InvalidInputError(fmt::format(
        "CREATE MODEL option {} must be an integer between {} and {}, not '{}'", key, lo, hi, value));
  }
  return v;
}

bool ToBool(const std::string& key, const std::string& value) {
  const std::string v = ToLower(value);
  if (v == "true") return true;
  if (v == "false") return false;
  throw InvalidInputError(fmt::format("CREATE MODEL option {} must be TRUE or FALSE, not '{}'",
                                      key, value));
}

// class_weights = [STRUCT('a', 0.2), ...] arrives as "a:0.2,b:0.8" (OptionText in
// api/sql_model.cpp writes a STRUCT's fields joined by ':'); the weight is after the last ':'.
std::vector<std::pair<std::string, double>> ParseClassWeights(const std::string& value) {
  std::vector<std::pair<std::string, double>> out;
  for (const std::string& item : Split(value, ',')) {
    const size_t at = item.rfind(':');
    if (at == std::string::npos) {
      throw InvalidInputError(fmt::format(
          "CREATE MODEL option class_weights must be a list of STRUCT(label, weight), not '{}'",
          item));
    }
    const std::string label = item.substr(0, at);
    const double weight = ToDouble("class_weights", item.substr(at + 1), 0, 1e9);
    for (const auto& [seen, w] : out) {
      if (seen == label) {
        throw InvalidInputError(
            fmt::format("CREATE MODEL option class_weights names class '{}' twice", label));
      }
    }
    out.emplace_back(label, weight);
  }
  return out;
}

}  // namespace

TrainingOptions TrainingOptions::Parse(
    const std::vector<std::pair<std::string, std::string>>& options) {
  TrainingOptions out;
  out.written = options;
  bool have_type = false;
  for (const auto& [key, value] : options) {
    if (key == "model_type") {
      const std::string type = ToLower(value);
      if (type == "boosted_tree_classifier") {
        out.kind = Model::Kind::kClassifier;
      } else if (type == "boosted_tree_regressor") {
        out.kind = Model::Kind::kRegressor;
      } else {
        throw InvalidInputError(fmt::format(
            "CREATE MODEL model_type '{}' is not supported: use 'boosted_tree_classifier' or "
            "'boosted_tree_regressor'",
            value));
      }
      have_type = true;
    } else if (key == "input_label_cols") {
      if (value.empty() || value.find(',') != std::string::npos) {
        throw InvalidInputError("CREATE MODEL option input_label_cols must name one column");
      }
      out.label = value;
    } else if (key == "data_split_method") {
      out.split_method = ToUpper(value);
      if (out.split_method == "AUTO_SPLIT") out.split_method = "NO_SPLIT";
      if (out.split_method != "NO_SPLIT" && out.split_method != "SEQ" &&
          out.split_method != "CUSTOM" && out.split_method != "RANDOM") {
        throw InvalidInputError(fmt::format(
            "CREATE MODEL data_split_method '{}' is not supported: use 'SEQ', 'CUSTOM', "
            "'RANDOM' or 'NO_SPLIT'",
            value));
      }
    } else if (key == "data_split_col") {
      out.split_column = value;
    } else if (key == "data_split_eval_fraction") {
      out.eval_fraction = ToDouble(key, value, 0.01, 0.9);
    } else if (key == "max_iterations") {
      out.max_iterations = ToInt(key, value, 1, 100000);
    } else if (key == "learn_rate") {
      out.learn_rate = ToDouble(key, value, 1e-6, 1);
    } else if (key == "max_tree_depth") {
      out.max_tree_depth = ToInt(key, value, 1, 64);
    } else if (key == "early_stop") {
      out.early_stop = ToBool(key, value);
    } else if (key == "early_stop_rounds") {
      out.early_stop_rounds = ToInt(key, value, 1, 10000);
    } else if (key == "seed") {
      out.seed = ToInt(key, value, 0, 1 << 30);
    } else if (key == "label_time_col") {
      out.label_time_column = value;
    } else if (key == "feature_time_cols") {
      out.feature_time_columns = Split(value, ',');
    } else if (key == "category_encoding_method") {
      const std::string method = ToUpper(value);
      if (method == "ONE_HOT_ENCODING") {
        out.encoding = CategoryEncoding::kOneHot;
      } else if (method == "DUMMY_ENCODING") {
        out.encoding = CategoryEncoding::kDummy;
      } else if (method == "LABEL_ENCODING") {
        out.encoding = CategoryEncoding::kOrdinal;
      } else {
        throw InvalidInputError(fmt::format(
            "CREATE MODEL category_encoding_method '{}' is not supported: use "
            "'ONE_HOT_ENCODING', 'DUMMY_ENCODING' or 'LABEL_ENCODING'",
            value));
      }
    } else if (key == "class_weights") {
      out.class_weights = ParseClassWeights(value);
    } else if (key == "auto_class_weights") {
      out.auto_class_weights = ToBool(key, value);
    } else if (key == "force_random_split") {
      out.force_random_split = ToBool(key, value);
    } else {
      throw InvalidInputError(fmt::format("CREATE MODEL option {} is not supported", key));
    }
  }
  if (!have_type) throw InvalidInputError("CREATE MODEL needs OPTIONS (model_type = ...)");
  if (out.label.empty()) {
    throw InvalidInputError("CREATE MODEL needs OPTIONS (input_label_cols = ['column'])");
  }
  if (!out.feature_time_columns.empty() && out.label_time_column.empty()) {
    throw InvalidInputError("CREATE MODEL option feature_time_cols needs label_time_col");
  }
  if (out.auto_class_weights && !out.class_weights.empty()) {
    throw InvalidInputError(
        "CREATE MODEL options class_weights and auto_class_weights = TRUE exclude each other");
  }
  if ((out.auto_class_weights || !out.class_weights.empty()) &&
      out.kind != Model::Kind::kClassifier) {
    throw InvalidInputError(
        "CREATE MODEL class weights need model_type = 'boosted_tree_classifier'");
  }
  if ((out.split_method == "SEQ" || out.split_method == "CUSTOM") && out.split_column.empty()) {
    throw InvalidInputError(fmt::format("CREATE MODEL data_split_method '{}' needs data_split_col",
                                        out.split_method));
  }
  return out;
}

}  // namespace sluice::ml
