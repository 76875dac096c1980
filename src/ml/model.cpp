#include "ml/model.h"

#include <xgboost/c_api.h>

#include <cmath>
#include <limits>
#include <unordered_map>

#include <fmt/format.h>

#include "common/error.h"
#include "common/json_document.h"
#include "ml/xgboost_call.h"

namespace sluice::ml {

namespace {

void AppendKey(std::string* out, const char* key) {
  AppendJsonQuoted(key, out);
  out->push_back(':');
}

std::string Text(const JsonNode* node) { return node == nullptr ? "" : node->text; }
double Number(const JsonNode* node) {
  if (node == nullptr || node->kind != JsonNode::Kind::kNumber) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  return std::stod(node->text);
}

}  // namespace

const char* ModelTypeName(Model::Kind kind) {
  return kind == Model::Kind::kClassifier ? "boosted_tree_classifier" : "boosted_tree_regressor";
}

Model::Model() = default;

Model::~Model() {
  if (booster_ != nullptr) XGBoosterFree(booster_);
}

void* Model::Booster() const {
  if (booster_ != nullptr) return booster_;
  BoosterHandle handle = nullptr;
  CheckXgboost(XGBoosterCreate(nullptr, 0, &handle), "creating a booster");
  const int rc = XGBoosterLoadModelFromBuffer(handle, booster_json.data(), booster_json.size());
  if (rc != 0) {
    XGBoosterFree(handle);
    CheckXgboost(rc, "loading model " + name);
  }
  CheckXgboost(XGBoosterSetParam(handle, "nthread", "1"), "setting nthread");
  booster_ = handle;
  return booster_;
}

size_t Model::input_width() const {
  size_t width = 0;
  for (const Feature& f : features) width += f.width();
  return width;
}

std::vector<std::string> Model::InputNames() const {
  std::vector<std::string> names;
  for (const Feature& f : features) {
    if (!f.indicators()) {
      names.push_back(f.name);
      continue;
    }
    for (size_t i = f.first_indicator(); i < f.categories.size(); i++) {
      std::string name = f.name + "=" + f.categories[i];
      for (char& ch : name) {
        if (ch == '[' || ch == ']' || ch == '<') ch = '_';
      }
      names.push_back(std::move(name));
    }
  }
  return names;
}

std::vector<double> Model::Score(const std::vector<float>& matrix, size_t rows) const {
  const size_t per_row = outputs();
  std::vector<double> out(rows * per_row);
  if (rows == 0) return out;
  std::lock_guard lock(mutex_);
  DMatrixHandle dmatrix = nullptr;
  CheckXgboost(XGDMatrixCreateFromMat(matrix.data(), rows, input_width(),
                                      std::numeric_limits<float>::quiet_NaN(), &dmatrix),
               "building a DMatrix");
  const char* config =
      R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": false})";
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  const int rc = XGBoosterPredictFromDMatrix(Booster(), dmatrix, config, &shape, &dim, &result);
  if (rc == 0) {
    for (size_t i = 0; i < rows * per_row; i++) out[i] = result[i];
  }
  XGDMatrixFree(dmatrix);
  CheckXgboost(rc, "predicting with model " + name);
  return out;
}

std::vector<std::vector<double>> Model::Importance() const {
  std::lock_guard lock(mutex_);
  std::vector<std::vector<double>> out(features.size(), std::vector<double>(3, 0.0));
  // Each matrix column's feature, by the column's name and by XGBoost's default name f<i>.
  std::unordered_map<std::string, size_t> feature_of;
  {
    const std::vector<std::string> names = InputNames();
    size_t column = 0;
    for (size_t f = 0; f < features.size(); f++) {
      for (size_t k = 0; k < features[f].width(); k++, column++) {
        feature_of.emplace(names[column], f);
        feature_of.emplace(fmt::format("f{}", column), f);
      }
    }
  }
  const char* types[] = {"weight", "total_gain", "total_cover"};
  for (int t = 0; t < 3; t++) {
    const std::string config = fmt::format(R"({{"importance_type": "{}"}})", types[t]);
    bst_ulong n = 0;
    const char** names = nullptr;
    bst_ulong dim = 0;
    const bst_ulong* shape = nullptr;
    const float* scores = nullptr;
    CheckXgboost(XGBoosterFeatureScore(Booster(), config.c_str(), &n, &names, &dim, &shape,
                                       &scores),
                 "feature importance");
    for (bst_ulong i = 0; i < n; i++) {
      auto it = feature_of.find(names[i]);
      if (it != feature_of.end()) out[it->second][t] += scores[i];
    }
  }
  return out;
}

std::string Model::MetadataJson() const {
  std::string out = "{";
  AppendKey(&out, "name");
  AppendJsonQuoted(name, &out);
  out += fmt::format(",\"version\":{},", version);
  AppendKey(&out, "model_type");
  AppendJsonQuoted(ModelTypeName(kind), &out);
  out += ",";
  AppendKey(&out, "label");
  AppendJsonQuoted(label, &out);
  out += ",";
  AppendKey(&out, "label_type");
  AppendJsonQuoted(label_type.ToString(), &out);
  out += ",\"classes\":[";
  for (size_t i = 0; i < classes.size(); i++) {
    if (i > 0) out += ",";
    AppendJsonQuoted(classes[i], &out);
  }
  out += "],\"features\":[";
  for (size_t i = 0; i < features.size(); i++) {
    if (i > 0) out += ",";
    out += "{";
    AppendKey(&out, "name");
    AppendJsonQuoted(features[i].name, &out);
    out += ",";
    AppendKey(&out, "type");
    AppendJsonQuoted(features[i].type.ToString(), &out);
    out += ",\"encoding\":";
    AppendJsonQuoted(!features[i].categorical() ? "numeric"
                     : features[i].encoding == CategoryEncoding::kOneHot ? "one_hot"
                     : features[i].encoding == CategoryEncoding::kDummy  ? "dummy"
                                                                          : "ordinal",
                     &out);
    out += ",\"categories\":[";
    for (size_t c = 0; c < features[i].categories.size(); c++) {
      if (c > 0) out += ",";
      AppendJsonQuoted(features[i].categories[c], &out);
    }
    out += "]}";
  }
  out += "],\"options\":{";
  for (size_t i = 0; i < options.size(); i++) {
    if (i > 0) out += ",";
    AppendKey(&out, options[i].first.c_str());
    AppendJsonQuoted(options[i].second, &out);
  }
  out += "},\"metrics\":{";
  for (size_t i = 0; i < metrics.size(); i++) {
    if (i > 0) out += ",";
    AppendKey(&out, metrics[i].first.c_str());
    AppendJsonDouble(metrics[i].second, &out);
  }
  out += "},\"rounds\":[";
  for (size_t i = 0; i < rounds.size(); i++) {
    if (i > 0) out += ",";
    out += fmt::format("{{\"iteration\":{},\"training_loss\":", rounds[i].iteration);
    AppendJsonDouble(rounds[i].training_loss, &out);
    out += ",\"eval_loss\":";
    if (std::isnan(rounds[i].eval_loss)) {
      out += "null";
    } else {
      AppendJsonDouble(rounds[i].eval_loss, &out);
    }
    out += ",\"duration_ms\":";
    AppendJsonDouble(rounds[i].duration_ms, &out);
    out += "}";
  }
  out += "],\"lineage\":[";
  for (size_t i = 0; i < lineage.size(); i++) {
    if (i > 0) out += ",";
    out += "{";
    AppendKey(&out, "table");
    AppendJsonQuoted(lineage[i].first, &out);
    out += fmt::format(",\"snapshot_id\":{}}}", lineage[i].second);
  }
  out += fmt::format("],\"created_ms\":{},\"training_rows\":{},\"eval_rows\":{}}}", created_ms,
                     training_rows, eval_rows);
  return out;
}

std::unique_ptr<Model> Model::FromJson(const std::string& metadata, std::string booster_json) {
  JsonNode root;
  JsonParseError error;
  if (!ParseJson(metadata, &root, &error) || root.kind != JsonNode::Kind::kObject) {
    throw IOError("model metadata is not a JSON object: " + error.message);
  }
  auto model = std::make_unique<Model>();
  model->name = Text(root.Find("name"));
  model->version = static_cast<int>(Number(root.Find("version")));
  model->kind = Text(root.Find("model_type")) == "boosted_tree_classifier" ? Kind::kClassifier
                                                                           : Kind::kRegressor;
  model->label = Text(root.Find("label"));
  model->label_type = ParseTypeName(Text(root.Find("label_type")));
  if (const JsonNode* c = root.Find("classes")) {
    for (const auto& e : c->elements) model->classes.push_back(e.text);
  }
  if (const JsonNode* f = root.Find("features")) {
    for (const auto& e : f->elements) {
      Feature feature{Text(e.Find("name")), ParseTypeName(Text(e.Find("type"))), {}};
      const std::string encoding = Text(e.Find("encoding"));
      feature.encoding = encoding == "one_hot" ? CategoryEncoding::kOneHot
                         : encoding == "dummy" ? CategoryEncoding::kDummy
                                               : CategoryEncoding::kOrdinal;
      if (const JsonNode* cats = e.Find("categories")) {
        for (const auto& c : cats->elements) feature.categories.push_back(c.text);
      }
      model->features.push_back(std::move(feature));
    }
  }
  if (const JsonNode* o = root.Find("options")) {
    for (const auto& m : o->members) model->options.emplace_back(m.key, m.value.text);
  }
  if (const JsonNode* m = root.Find("metrics")) {
    for (const auto& e : m->members) model->metrics.emplace_back(e.key, Number(&e.value));
  }
  if (const JsonNode* r = root.Find("rounds")) {
    for (const auto& e : r->elements) {
      model->rounds.push_back(RoundInfo{static_cast<int>(Number(e.Find("iteration"))),
                                        Number(e.Find("training_loss")),
                                        Number(e.Find("eval_loss")),
                                        Number(e.Find("duration_ms"))});
    }
  }
  if (const JsonNode* l = root.Find("lineage")) {
    for (const auto& e : l->elements) {
      model->lineage.emplace_back(Text(e.Find("table")),
                                  static_cast<int64_t>(Number(e.Find("snapshot_id"))));
    }
  }
  model->created_ms = static_cast<int64_t>(Number(root.Find("created_ms")));
  model->training_rows = static_cast<int64_t>(Number(root.Find("training_rows")));
  model->eval_rows = static_cast<int64_t>(Number(root.Find("eval_rows")));
  model->booster_json = std::move(booster_json);
  return model;
}

}  // namespace sluice::ml
