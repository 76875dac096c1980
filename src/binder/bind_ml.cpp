// BigQuery ML's table functions over the models of CREATE MODEL: ML.PREDICT scores rows with
// a vectorized kernel (ml/score_kernel.h); ML.EVALUATE computes the metrics of ML.PREDICT's
// output in SQL; ML.FEATURE_IMPORTANCE and ML.TRAINING_INFO read the model.
#include <cmath>

#include <fmt/format.h>

#include "binder/sql_binder.h"
#include "common/strings.h"
#include "expr/binder.h"
#include "ml/score_kernel.h"
#include "sql/parser.h"

namespace sluice {

namespace {

using sql::TableRef;

// A one-batch VALUES relation of `rows` (columns as `schema`).
LogicalPlanPtr ValuesOf(Schema schema, const std::vector<std::vector<Value>>& rows) {
  std::vector<ColumnPtr> columns;
  for (size_t c = 0; c < schema.size(); c++) {
    auto column = Column::Make(schema.field(c).type, std::max<size_t>(rows.size(), 1));
    for (size_t r = 0; r < rows.size(); r++) column->SetValue(r, rows[r][c]);
    column->set_size(rows.size());
    columns.push_back(std::move(column));
  }
  std::vector<Batch> batches;
  if (!rows.empty()) batches.emplace_back(std::move(columns), rows.size());
  return MakeValues(std::move(schema), std::move(batches));
}

Value DoubleOrNull(double v) {
  return std::isnan(v) ? Value::Null(TypeId::kDouble) : Value::Double(v);
}

void AddField(Schema& schema, const std::string& name, TypeId type) {
  schema.Add(Field{name, LogicalType(type), true, ""});
}

// The classifier's metrics over ML.PREDICT's output, as ML.EVALUATE returns them. ROC AUC by
// ranks: ties in the probability share their average rank.
constexpr const char* kClassifierMetrics = R"(
WITH "#s" AS (SELECT CASE WHEN CAST({label} AS VARCHAR) = {positive} THEN 1.0 ELSE 0.0 END AS y,
                     {probability} AS p FROM ML.PREDICT(MODEL {model}, {input}) WHERE {label} IS NOT NULL),
     "#r" AS (SELECT y, p, rank() OVER (ORDER BY p) + (count(*) OVER (PARTITION BY p) - 1) / 2.0 AS rk FROM "#s"),
     "#c" AS (SELECT count(*)::DOUBLE AS n, sum(y) AS pos,
                     sum(CASE WHEN p >= 0.5 AND y = 1 THEN 1 ELSE 0 END)::DOUBLE AS tp,
                     sum(CASE WHEN p >= 0.5 AND y = 0 THEN 1 ELSE 0 END)::DOUBLE AS fp,
                     sum(CASE WHEN p < 0.5 AND y = 1 THEN 1 ELSE 0 END)::DOUBLE AS fn,
                     sum(CASE WHEN y = 1 THEN rk ELSE 0 END) AS rank_sum,
                     sum(CASE WHEN y = 1 THEN -ln(greatest(least(p, 1 - 1e-15), 1e-15))
                              ELSE -ln(1 - greatest(least(p, 1 - 1e-15), 1e-15)) END) AS loss FROM "#r")
SELECT (n - fp - fn) / nullif(n, 0) AS accuracy, tp / nullif(tp + fp, 0) AS "precision",
       tp / nullif(tp + fn, 0) AS recall, 2 * tp / nullif(2 * tp + fp + fn, 0) AS f1_score,
       loss / nullif(n, 0) AS log_loss,
       (rank_sum - pos * (pos + 1) / 2) / nullif(pos * (n - pos), 0) AS roc_auc FROM "#c"
)";

// A multiclass classifier's metrics over ML.PREDICT's output (ml/metrics.h says how): one
// row per (input row, class) from the probabilities, then per class its counts and its
// one-vs-rest ROC AUC, averaged over the classes.
constexpr const char* kMulticlassMetrics = R"(
WITH "#p" AS (SELECT CAST({label} AS VARCHAR) AS y, CAST({predicted} AS VARCHAR) AS yhat,
                     unnest({probs}) AS e FROM ML.PREDICT(MODEL {model}, {input}) WHERE {label} IS NOT NULL),
     "#e" AS (SELECT y, yhat, CAST(e.label AS VARCHAR) AS c, e.prob AS p FROM "#p"),
     "#r" AS (SELECT *, rank() OVER (PARTITION BY c ORDER BY p) + (count(*) OVER (PARTITION BY c, p) - 1) / 2.0 AS rk FROM "#e"),
     "#k" AS (SELECT c, count(*)::DOUBLE AS n,
                     sum(CASE WHEN y = c AND yhat = c THEN 1 ELSE 0 END)::DOUBLE AS tp,
                     sum(CASE WHEN yhat = c THEN 1 ELSE 0 END)::DOUBLE AS pp,
                     sum(CASE WHEN y = c THEN 1 ELSE 0 END)::DOUBLE AS ap,
                     sum(CASE WHEN y = c THEN 1 ELSE 0 END) * 1.0 AS pos,
                     sum(CASE WHEN y = c THEN rk ELSE 0 END) AS rank_sum,
                     sum(CASE WHEN y = c THEN -ln(greatest(least(p, 1 - 1e-15), 1e-15)) ELSE 0 END) AS loss
              FROM "#r" GROUP BY c),
     "#m" AS (SELECT *, CASE WHEN pp > 0 THEN tp / pp ELSE 0 END AS pc,
                     CASE WHEN ap > 0 THEN tp / ap ELSE 0 END AS rc FROM "#k")
SELECT sum(tp) / nullif(max(n), 0) AS accuracy,
       avg(CASE WHEN ap + pp > 0 THEN pc END) AS "precision",
       avg(CASE WHEN ap + pp > 0 THEN rc END) AS recall,
       avg(CASE WHEN ap + pp > 0 THEN CASE WHEN pc + rc > 0 THEN 2 * pc * rc / (pc + rc) ELSE 0 END END) AS f1_score,
       sum(loss) / nullif(max(n), 0) AS log_loss,
       avg((rank_sum - pos * (pos + 1) / 2) / nullif(pos * (n - pos), 0)) AS roc_auc FROM "#m"
)";

constexpr const char* kRegressorMetrics = R"(
WITH "#s" AS (SELECT CAST({label} AS DOUBLE) AS y, {prediction} AS p
              FROM ML.PREDICT(MODEL {model}, {input}) WHERE {label} IS NOT NULL)
SELECT avg(abs(p - y)) AS mean_absolute_error, avg((p - y) * (p - y)) AS mean_squared_error,
       sqrt(avg((p - y) * (p - y))) AS root_mean_squared_error,
       1 - sum((p - y) * (p - y)) / nullif(var_pop(y) * count(*), 0) AS r2_score FROM "#s"
)";

}  // namespace

LogicalPlanPtr SqlBinder::BindMlInput(const TableRef& ref, const sql::Expr& arg,
                                      const std::string& arg_name) {
  if (arg_name == "table" && arg.kind == sql::ExprKind::kColumnRef) {
    TableRef table(sql::TableRefKind::kBaseTable);
    table.line = arg.line;
    table.column = arg.column;
    table.name.parts = arg.As<sql::ColumnRefExpr>().parts;
    return BindTableRef(table, nullptr).plan;
  }
  if (arg_name.empty() && arg.kind == sql::ExprKind::kSubquery) {
    return BindQuery(*arg.As<sql::SubqueryExpr>().query, nullptr);
  }
  ThrowBind(arg, fmt::format("{}: the input is TABLE name or (query)", ref.name.ToString()));
}

BoundRelation SqlBinder::BindMlFunction(const TableRef& ref) {
  const std::string function = ToLower(ref.name.parts[1]);
  const std::string title = "ML." + ToUpper(function);
  if (function != "predict" && function != "evaluate" && function != "feature_importance" &&
      function != "training_info") {
    ThrowBind(ref, fmt::format("Table function {} does not exist (ML has PREDICT, EVALUATE, "
                               "FEATURE_IMPORTANCE and TRAINING_INFO)",
                               title));
  }
  if (ref.args.empty() || ref.arg_names[0] != "model") {
    ThrowBind(ref, fmt::format("{} takes MODEL name as its first argument", title));
  }
  const std::string model_name = Join(ref.args[0]->As<sql::ColumnRefExpr>().parts, ".");
  const ml::ModelPtr model = catalog_.FindModel(model_name);
  if (model == nullptr) {
    ThrowBind(*ref.args[0], fmt::format("Model with name {} does not exist!", model_name));
  }
  const bool takes_input = function == "predict" || function == "evaluate";
  const size_t max_args = takes_input ? 2 : 1;
  if (ref.args.size() > max_args || (function == "predict" && ref.args.size() < 2)) {
    ThrowBind(ref, fmt::format("{} takes {}", title,
                               function == "predict"    ? "(MODEL name, TABLE name | (query))"
                               : function == "evaluate" ? "(MODEL name [, TABLE name | (query)])"
                                                        : "(MODEL name)"));
  }
  LogicalPlanPtr plan;
  const std::string qualifier = ref.alias.empty() ? function : ref.alias;
  if (function == "predict") {
    LogicalPlanPtr input = BindMlInput(ref, *ref.args[1], ref.arg_names[1]);
    std::vector<ExprPtr> features;
    for (const ml::Feature& f : model->features) {
      const int index = input->schema.Find(f.name);
      if (index < 0) {
        ThrowBind(*ref.args[1], fmt::format("{} input has no column \"{}\", a feature of model {}",
                                            title, f.name, model_name));
      }
      ExprPtr column = BoundColumnRef(input->schema, index);
      if (f.categorical()) column = CastIfNeeded(column, LogicalType(TypeId::kVarchar));
      features.push_back(std::move(column));
    }
    std::vector<ExprPtr> scored;
    for (size_t i = 0; i < input->schema.size(); i++) {
      scored.push_back(BoundColumnRef(input->schema, static_cast<int>(i)));
    }
    scored.push_back(Alias(ml::ScoreExpr(model, std::move(features)), "#score"));
    LogicalPlanPtr with_score = MakeProject(input, scored);
    std::vector<ExprPtr> out;
    for (size_t i = 0; i < input->schema.size(); i++) {
      out.push_back(BoundColumnRef(with_score->schema, static_cast<int>(i)));
    }
    const ExprPtr score = BoundColumnRef(with_score->schema, static_cast<int>(input->schema.size()));
    const std::string predicted = "predicted_" + model->label;
    if (model->multiclass()) {
      out.push_back(Alias(ml::TopClassExpr(model, score), predicted));
      out.push_back(Alias(score, predicted + "_probs"));
    } else if (model->kind == ml::Model::Kind::kClassifier) {
      auto class_value = [&](const std::string& text) {
        return CastTo(Lit(Value::Varchar(text)), model->label_type);
      };
      out.push_back(Alias(Case({Call(">=", {score, Lit(Value::Double(0.5))}),
                                class_value(model->classes[1]), class_value(model->classes[0])}),
                          predicted));
      out.push_back(Alias(score, predicted + "_probability"));
    } else {
      out.push_back(Alias(score, predicted));
    }
    plan = At(ref, [&] { return MakeProject(with_score, out); });
  } else if (function == "evaluate" && ref.args.size() == 2) {
    const sql::Expr& arg = *ref.args[1];
    std::string input_sql;
    if (ref.arg_names[1] == "table" && arg.kind == sql::ExprKind::kColumnRef) {
      input_sql = "TABLE " + arg.ToString();
    } else if (ref.arg_names[1].empty() && arg.kind == sql::ExprKind::kSubquery) {
      input_sql = "(" + arg.As<sql::SubqueryExpr>().query->ToString() + ")";
    } else {
      ThrowBind(arg, fmt::format("{}: the input is TABLE name or (query)", title));
    }
    plan = BindMlEvaluate(ref, *model, input_sql);
  } else if (function == "evaluate") {
    Schema schema;
    std::vector<Value> row;
    for (const auto& [name, value] : model->metrics) {
      AddField(schema, name, TypeId::kDouble);
      row.push_back(DoubleOrNull(value));
    }
    plan = ValuesOf(std::move(schema), {row});
  } else if (function == "feature_importance") {
    Schema schema;
    AddField(schema, "feature", TypeId::kVarchar);
    AddField(schema, "importance_weight", TypeId::kDouble);
    AddField(schema, "importance_gain", TypeId::kDouble);
    AddField(schema, "importance_cover", TypeId::kDouble);
    const auto importance = At(ref, [&] { return model->Importance(); });
    std::vector<std::vector<Value>> rows;
    for (size_t f = 0; f < model->features.size(); f++) {
      rows.push_back({Value::Varchar(model->features[f].name), Value::Double(importance[f][0]),
                      Value::Double(importance[f][1]), Value::Double(importance[f][2])});
    }
    plan = ValuesOf(std::move(schema), rows);
  } else {
    Schema schema;
    AddField(schema, "training_run", TypeId::kBigInt);
    AddField(schema, "iteration", TypeId::kBigInt);
    AddField(schema, "loss", TypeId::kDouble);
    AddField(schema, "eval_loss", TypeId::kDouble);
    AddField(schema, "learning_rate", TypeId::kDouble);
    AddField(schema, "duration_ms", TypeId::kDouble);
    double learn_rate = 0.3;
    for (const auto& [k, v] : model->options) {
      if (k == "learn_rate") learn_rate = std::strtod(v.c_str(), nullptr);
    }
    std::vector<std::vector<Value>> rows;
    for (const ml::RoundInfo& r : model->rounds) {
      rows.push_back({Value::BigInt(0), Value::BigInt(r.iteration), DoubleOrNull(r.training_loss),
                      DoubleOrNull(r.eval_loss), Value::Double(learn_rate),
                      DoubleOrNull(r.duration_ms)});
    }
    plan = ValuesOf(std::move(schema), rows);
  }
  return sql_bind::MakeRelation(sql_bind::WithFields(plan, [&](Field& f, size_t) {
    f.qualifier = qualifier;
  }));
}

LogicalPlanPtr SqlBinder::BindMlEvaluate(const TableRef& ref, const ml::Model& model,
                                         const std::string& input_sql) {
  const std::string label = sql::QuoteIdentifier(model.label);
  const std::string model_name = sql::QuoteIdentifier(model.name);
  const std::string predicted = "predicted_" + model.label;
  std::string text;
  if (model.multiclass()) {
    text = fmt::format(fmt::runtime(kMulticlassMetrics), fmt::arg("label", label),
                       fmt::arg("predicted", sql::QuoteIdentifier(predicted)),
                       fmt::arg("probs", sql::QuoteIdentifier(predicted + "_probs")),
                       fmt::arg("model", model_name), fmt::arg("input", input_sql));
  } else if (model.kind == ml::Model::Kind::kClassifier) {
    text = fmt::format(fmt::runtime(kClassifierMetrics), fmt::arg("label", label),
                       fmt::arg("positive", sql::QuoteString(model.classes[1])),
                       fmt::arg("probability", sql::QuoteIdentifier(predicted + "_probability")),
                       fmt::arg("model", model_name), fmt::arg("input", input_sql));
  } else {
    text = fmt::format(fmt::runtime(kRegressorMetrics), fmt::arg("label", label),
                       fmt::arg("prediction", sql::QuoteIdentifier(predicted)),
                       fmt::arg("model", model_name), fmt::arg("input", input_sql));
  }
  sql::QueryPtr query = At(ref, [&] { return sql::ParseQuery(text); });
  SqlBinder inner(catalog_, text);
  return At(ref, [&] { return inner.BindQuery(*query); });
}

}  // namespace sluice
