// COLUMNS(...): an expression repeated once per column it selects (DuckDB's COLUMNS), in the
// SELECT list, in WHERE (the copies ANDed) and unpacked as function arguments (*COLUMNS).

#include <re2/re2.h>

#include <set>

#include <fmt/format.h>

#include "binder/sql_binder.h"
#include "common/strings.h"

namespace sluice {
namespace {


}  // namespace

const sql::StarExpr* SqlBinder::FindColumns(const sql::Expr& e) {
  const sql::StarExpr* found = nullptr;
  std::function<void(const sql::Expr&)> walk = [&](const sql::Expr& x) {
    if (x.kind == sql::ExprKind::kStar && x.As<sql::StarExpr>().columns) {
      const auto& star = x.As<sql::StarExpr>();
      if (star.unpacked) return;
      if (found != nullptr && found->ToString() != star.ToString()) {
        ThrowBind(x, "Multiple different STAR/COLUMNS in the same expression are not supported");
      }
      found = &star;
      return;
    }
    sql::ForEachChild(x, walk);
  };
  walk(e);
  return found;
}

std::vector<int> SqlBinder::ColumnsMatches(const sql::StarExpr& star, const BoundRelation& rel) {
  const std::string qualifier = star.qualifier.empty() ? "" : star.qualifier.back();
  std::vector<int> candidates;
  std::vector<std::string> names;
  for (size_t i = 0; i < rel.schema.size(); i++) {
    const Field& f = rel.schema.field(i);
    if (qualifier.empty() ? rel.hidden[i] : !EqualsIgnoreCase(f.qualifier, qualifier)) continue;
    candidates.push_back(static_cast<int>(i));
    names.push_back(f.name);
  }
  if (!qualifier.empty() && candidates.empty()) {
    ThrowBind(star, fmt::format("Referenced table \"{}\" not found in FROM clause!", qualifier));
  }
  std::vector<int> out;
  if (!star.pattern) {
    std::vector<bool> used(star.exclude.size());
    for (int i : candidates) {
      bool excluded = false;
      for (size_t x = 0; x < star.exclude.size(); x++) {
        if (EqualsIgnoreCase(star.exclude[x], rel.schema.field(i).name)) excluded = used[x] = true;
      }
      if (!excluded) out.push_back(i);
    }
    for (size_t x = 0; x < star.exclude.size(); x++) {
      if (!used[x]) {
        ThrowBind(star, fmt::format("Column \"{}\" in EXCLUDE list not found in FROM clause",
                                    star.exclude[x]));
      }
    }
    return out;
  }
  if (!star.lambda_parameter.empty()) {
    // COLUMNS(c -> condition): the condition with c bound to each column's name.
    for (int i : candidates) {
      const std::pair<std::string, Value> parameter{star.lambda_parameter,
                                                     Value::Varchar(rel.schema.field(i).name)};
      sql_bind::ScopedValue<const std::pair<std::string, Value>*> bound(lambda_parameter_,
                                                                        &parameter);
      const Value keep = EvaluateConstantExpr(*star.pattern);
      if (keep.type().id() != TypeId::kBoolean && !keep.is_null()) {
        ThrowBind(*star.pattern, "the COLUMNS lambda must return a BOOLEAN");
      }
      if (!keep.is_null() && keep.GetBool()) out.push_back(i);
    }
    return out;
  }
  const Value pattern = EvaluateConstantExpr(*star.pattern);
  if (pattern.type().id() == TypeId::kList) {
    // COLUMNS(['a', 'b']): those columns, in the relation's order (as DuckDB).
    std::set<int> chosen;
    for (const Value& name : pattern.GetChildren()) {
      int found = -1;
      for (int i : candidates) {
        if (EqualsIgnoreCase(rel.schema.field(i).name, name.ToString())) found = i;
      }
      if (found < 0) {
        ThrowBind(star, fmt::format("Column \"{}\" not found in FROM clause{}", name.ToString(),
                                    sql_bind::Suggest(name.ToString(), names)));
      }
      chosen.insert(found);
    }
    out.assign(chosen.begin(), chosen.end());
    return out;
  }
  if (pattern.type().id() != TypeId::kVarchar) {
    ThrowBind(*star.pattern, "COLUMNS expects a regular expression, a list of column names, a "
                             "lambda or a star");
  }
  RE2 re(pattern.ToString(), RE2::Quiet);
  if (!re.ok()) {
    ThrowBind(*star.pattern, fmt::format("Invalid regular expression \"{}\": {}",
                                         pattern.ToString(), re.error()));
  }
  for (int i : candidates) {
    if (RE2::PartialMatch(rel.schema.field(i).name, re)) out.push_back(i);
  }
  if (out.empty()) {
    ThrowBind(star, fmt::format("No matching columns found that match regex \"{}\"{}",
                                pattern.ToString(), sql_bind::Suggest(pattern.ToString(), names)));
  }
  return out;
}

std::vector<std::pair<ExprPtr, std::string>> SqlBinder::ExpandColumns(const sql::Expr& e,
                                                                      const BindScope& scope,
                                                                      const std::string& alias) {
  const sql::StarExpr* star = FindColumns(e);
  if (star == nullptr) return {};
  const BoundRelation& rel = *scope.relation;
  std::optional<RE2> regex;
  if (star->pattern && star->lambda_parameter.empty() && !alias.empty()) {
    const Value pattern = EvaluateConstantExpr(*star->pattern);
    if (pattern.type().id() == TypeId::kVarchar) regex.emplace(pattern.ToString(), RE2::Quiet);
  }
  std::vector<std::pair<ExprPtr, std::string>> out;
  for (int i : ColumnsMatches(*star, rel)) {
    const Field& f = rel.schema.field(i);
    ColumnsChoice choice{star, Col(f.name, f.qualifier)};
    for (const auto& [replacement, name] : star->replace) {
      if (EqualsIgnoreCase(name, f.name)) choice.column = TranslateExpr(*replacement, scope);
    }
    sql_bind::ScopedValue<const ColumnsChoice*> chosen(columns_choice_, &choice);
    std::string name = alias.empty() ? f.name : alias;
    // COLUMNS('a_(.*)') AS 'b_\1': the alias rewritten with the regex's groups.
    if (regex && regex->ok()) RE2::Extract(f.name, *regex, alias, &name);
    out.emplace_back(TranslateExpr(e, scope), std::move(name));
  }
  return out;
}

ExprPtr SqlBinder::TranslateCondition(const sql::Expr& e, const BindScope& scope) {
  std::vector<std::pair<ExprPtr, std::string>> copies = ExpandColumns(e, scope, "");
  if (copies.empty()) return TranslateExpr(e, scope);
  std::vector<ExprPtr> conjuncts;
  for (auto& [c, name] : copies) conjuncts.push_back(std::move(c));
  return conjuncts.size() == 1 ? conjuncts[0] : And(std::move(conjuncts));
}

std::vector<ExprPtr> SqlBinder::TranslateArgs(const std::vector<sql::ExprPtr>& args,
                                              const BindScope& scope) {
  std::vector<ExprPtr> out;
  for (const auto& a : args) {
    if (a->kind == sql::ExprKind::kStar && a->As<sql::StarExpr>().unpacked) {
      const auto& star = a->As<sql::StarExpr>();
      for (int i : ColumnsMatches(star, *scope.relation)) {
        const Field& f = scope.relation->schema.field(i);
        out.push_back(Col(f.name, f.qualifier));
      }
      continue;
    }
    out.push_back(TranslateExpr(*a, scope));
  }
  return out;
}

ExprPtr SqlBinder::TranslateStar(const sql::StarExpr& star) {
  if (star.columns && columns_choice_ != nullptr &&
      columns_choice_->star->ToString() == star.ToString()) {
    return columns_choice_->column;
  }
  if (star.unpacked) ThrowBind(star, "*COLUMNS(...) is only allowed as a function argument");
  if (star.columns) ThrowBind(star, "COLUMNS(...) is only allowed in the SELECT list and in WHERE");
  ThrowBind(star, "* is only allowed in a SELECT list or as the argument of count(*)");
}

}  // namespace sluice
