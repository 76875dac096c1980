// get_historical_features(entities, ['view:feature', ...]): Feast's point-in-time retrieval
// as SQL over ASOF LEFT JOINs, one per feature view: for each entity row, the latest row of
// the view's source with the same join keys and event time at or before the entity's, within
// the view's TTL; among rows of the same event time the latest created wins. Never a value
// from the future: the ASOF inequality is the only way a source row is reached.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "binder/sql_binder.h"
#include "common/strings.h"
#include "sql/parser.h"

namespace sluice {

namespace {

using sql::QuoteIdentifier;

// The requested features of one view, in request order.
struct ViewRequest {
  const online::FeatureView* view;
  std::vector<std::string> features;
};

}  // namespace

BoundRelation SqlBinder::BindHistoricalFeatures(const sql::TableRef& ref) {
  constexpr const char* kUsage =
      "get_historical_features takes (TABLE entities | (query), ['view:feature', ...] "
      "[, timestamp_column => 'event_timestamp'] [, full_feature_names => false])";
  std::optional<online::FeatureRegistry> registry = catalog_.FeatureViews();
  if (!registry) {
    ThrowBind(ref, "get_historical_features: no feature views (apply a feature project first: "
                   "CALL apply_feature_views(...) or sluice features apply)");
  }
  size_t positional = 0;
  std::string timestamp = "event_timestamp";
  bool full_names = false;
  for (size_t i = 0; i < ref.args.size(); i++) {
    const std::string& name = i < ref.arg_names.size() ? ref.arg_names[i] : "";
    if (name.empty() || name == "table") {
      positional++;
    } else if (ToLower(name) == "timestamp_column") {
      timestamp = EvaluateConstantExpr(*ref.args[i]).ToString();
    } else if (ToLower(name) == "full_feature_names") {
      const Value v = EvaluateConstantExpr(*ref.args[i]);
      if (v.type().id() != TypeId::kBoolean) {
        ThrowBind(*ref.args[i], "full_feature_names is a BOOLEAN");
      }
      full_names = v.GetBool();
    } else {
      ThrowBind(*ref.args[i], fmt::format("get_historical_features has no parameter {}", name));
    }
  }
  if (positional != 2 || !ref.arg_names[1].empty()) ThrowBind(ref, kUsage);
  const sql::Expr& entity_arg = *ref.args[0];
  std::string entity_sql;
  if (ref.arg_names[0] == "table" && entity_arg.kind == sql::ExprKind::kColumnRef) {
    entity_sql = entity_arg.ToString();
  } else if (ref.arg_names[0].empty() && entity_arg.kind == sql::ExprKind::kSubquery) {
    entity_sql = "(" + entity_arg.As<sql::SubqueryExpr>().query->ToString() + ")";
  } else {
    ThrowBind(entity_arg, kUsage);
  }
  const LogicalPlanPtr entities = BindMlInput(ref, entity_arg, ref.arg_names[0]);
  std::set<std::string> entity_columns;
  for (size_t i = 0; i < entities->schema.size(); i++) {
    entity_columns.insert(ToLower(entities->schema.field(i).name));
  }
  if (!entity_columns.count(ToLower(timestamp))) {
    ThrowBind(entity_arg, fmt::format("get_historical_features: the entities have no column {} "
                                      "(their event time; see timestamp_column)",
                                      timestamp));
  }

  const Value list = EvaluateConstantExpr(*ref.args[1]);
  if (list.type().id() != TypeId::kList) ThrowBind(*ref.args[1], kUsage);
  std::vector<ViewRequest> requests;
  std::set<std::string> output_names;
  for (const Value& item : list.GetChildren()) {
    const std::string text = item.is_null() ? "" : item.ToString();
    const size_t colon = text.find(':');
    if (colon == std::string::npos) {
      ThrowBind(*ref.args[1], fmt::format("feature '{}' must be written 'view:feature'", text));
    }
    const std::string view_name = text.substr(0, colon);
    const std::string feature = text.substr(colon + 1);
    const online::FeatureView* view = registry->Find(view_name);
    if (view == nullptr) {
      std::vector<std::string> names;
      for (const auto& v : registry->views) names.push_back(v.name);
      ThrowBind(*ref.args[1], fmt::format("no feature view {} (feature views: {})", view_name,
                                          Join(names, ", ")));
    }
    bool known = false;
    for (const std::string& f : view->features) known |= EqualsIgnoreCase(f, feature);
    if (!known) {
      ThrowBind(*ref.args[1], fmt::format("feature view {} has no feature {} (it has: {})",
                                          view->name, feature, Join(view->features, ", ")));
    }
    const std::string output = full_names ? view->name + "__" + feature : feature;
    if (!output_names.insert(ToLower(output)).second || entity_columns.count(ToLower(output))) {
      ThrowBind(*ref.args[1], fmt::format("feature {} would be a second column named {} (use "
                                          "full_feature_names => true)",
                                          text, output));
    }
    auto it = std::find_if(requests.begin(), requests.end(),
                           [&](const ViewRequest& r) { return r.view == view; });
    if (it == requests.end()) {
      requests.push_back({view, {}});
      it = requests.end() - 1;
    }
    it->features.push_back(feature);
  }

  const std::string e = QuoteIdentifier("#e");
  std::vector<std::string> select = {e + ".*"};
  std::string from = entity_sql + " AS " + e;
  for (size_t v = 0; v < requests.size(); v++) {
    const online::FeatureView& view = *requests[v].view;
    const std::string alias = QuoteIdentifier(fmt::format("#v{}", v));
    std::vector<std::string> inner;
    std::vector<std::string> on;
    std::vector<std::string> partition;
    for (const std::string& key : view.join_keys) {
      if (!entity_columns.count(ToLower(key))) {
        ThrowBind(entity_arg, fmt::format("get_historical_features: the entities have no join "
                                          "key {} (feature view {})",
                                          key, view.name));
      }
      inner.push_back(QuoteIdentifier(key));
      partition.push_back(QuoteIdentifier(key));
      on.push_back(fmt::format("{}.{} = {}.{}", e, QuoteIdentifier(key), alias,
                               QuoteIdentifier(key)));
    }
    inner.push_back(QuoteIdentifier(view.timestamp_field) + " AS \"#ts\"");
    partition.push_back(QuoteIdentifier(view.timestamp_field));
    std::vector<std::string> order;
    if (!view.created_timestamp_field.empty()) {
      order.push_back(QuoteIdentifier(view.created_timestamp_field) + " DESC NULLS LAST");
    }
    for (const std::string& f : requests[v].features) {
      inner.push_back(QuoteIdentifier(f));
      order.push_back(QuoteIdentifier(f) + " NULLS LAST");
      const std::string value = fmt::format("{}.{}", alias, QuoteIdentifier(f));
      const std::string output = full_names ? view.name + "__" + f : f;
      if (view.ttl_seconds > 0) {
        select.push_back(fmt::format(
            "CASE WHEN {}.\"#ts\" >= {}.{} - to_seconds({}) THEN {} END AS {}", alias, e,
            QuoteIdentifier(timestamp), view.ttl_seconds, value, QuoteIdentifier(output)));
      } else {
        select.push_back(value + " AS " + QuoteIdentifier(output));
      }
    }
    std::string source = fmt::format("SELECT {} FROM {}", Join(inner, ", "), view.source);
    if (!view.created_timestamp_field.empty()) {
      // Among rows of one entity and event time, the latest written (Feast's tie-break).
      source += fmt::format(" QUALIFY row_number() OVER (PARTITION BY {} ORDER BY {}) = 1",
                            Join(partition, ", "), Join(order, ", "));
    }
    on.push_back(fmt::format("{}.{} >= {}.\"#ts\"", e, QuoteIdentifier(timestamp), alias));
    from += fmt::format(" ASOF LEFT JOIN ({}) AS {} ON {}", source, alias, Join(on, " AND "));
  }
  const std::string text = fmt::format("SELECT {} FROM {}", Join(select, ", "), from);
  sql::QueryPtr query = At(ref, [&] { return sql::ParseQuery(text); });
  SqlBinder inner(catalog_, text);
  LogicalPlanPtr plan = At(ref, [&] { return inner.BindQuery(*query); });
  const std::string qualifier = ref.alias.empty() ? "get_historical_features" : ref.alias;
  return sql_bind::MakeRelation(sql_bind::WithFields(plan, [&](Field& f, size_t i) {
    f.qualifier = qualifier;
    if (i < ref.column_aliases.size()) f.name = ref.column_aliases[i];
  }));
}

}  // namespace sluice
