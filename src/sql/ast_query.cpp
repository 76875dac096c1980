#include "sql/ast_query.h"

#include <fmt/format.h>

namespace sluice::sql {
namespace {

std::string JoinExprs(const std::vector<ExprPtr>& exprs) {
  std::string out;
  for (size_t i = 0; i < exprs.size(); ++i) {
    if (i > 0) out += ", ";
    out += exprs[i]->ToString();
  }
  return out;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += QuoteIdentifier(names[i]);
  }
  return out;
}

std::string AliasSuffix(const std::string& alias, const std::vector<std::string>& columns) {
  if (alias.empty()) return {};
  std::string out = " AS " + QuoteIdentifier(alias);
  if (!columns.empty()) out += "(" + JoinNames(columns) + ")";
  return out;
}

const char* JoinKeyword(TableRef::JoinType type) {
  switch (type) {
    case TableRef::JoinType::kInner:
      return "INNER JOIN";
    case TableRef::JoinType::kLeft:
      return "LEFT JOIN";
    case TableRef::JoinType::kRight:
      return "RIGHT JOIN";
    case TableRef::JoinType::kFull:
      return "FULL JOIN";
    case TableRef::JoinType::kCross:
      return "CROSS JOIN";
    case TableRef::JoinType::kSemi:
      return "SEMI JOIN";
    case TableRef::JoinType::kAnti:
      return "ANTI JOIN";
  }
  return "JOIN";
}

std::string HintsToString(const std::vector<Hint>& hints) {
  std::vector<std::string> parts;
  for (const Hint& hint : hints) {
    parts.push_back(hint.args.empty()
                        ? hint.name
                        : fmt::format("{}({})", hint.name, fmt::join(hint.args, ", ")));
  }
  return fmt::format("/*+ {} */ ", fmt::join(parts, " "));
}

}  // namespace

std::string QualifiedName::ToString() const {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += '.';
    out += QuoteIdentifier(parts[i]);
  }
  return out;
}

std::string TableRef::TimeTravelSuffix() const {
  switch (time_travel) {
    case TimeTravelKind::kNone: return "";
    case TimeTravelKind::kVersion: return " FOR VERSION AS OF " + time_travel_at->ToString();
    case TimeTravelKind::kTimestamp: return " FOR TIMESTAMP AS OF " + time_travel_at->ToString();
  }
  return "";
}

std::string TableRef::ToString() const {
  switch (kind) {
    case TableRefKind::kBaseTable:
      return name.ToString() + TimeTravelSuffix() + AliasSuffix(alias, column_aliases);
    case TableRefKind::kSubquery:
      return std::string(lateral ? "LATERAL " : "") + "(" + query->ToString() + ")" +
             AliasSuffix(alias, column_aliases);
    case TableRefKind::kFilePath:
      return QuoteString(path) + AliasSuffix(alias, column_aliases);
    case TableRefKind::kTableFunction: {
      std::string out = name.ToString() + "(";
      for (size_t i = 0; i < args.size(); ++i) {
        if (i < arg_names.size() && arg_names[i] == "partition by") {
          // SESSION(TABLE t PARTITION BY (k1, k2), ...): the keys follow their TABLE argument.
          const bool first = arg_names[i - 1] != "partition by";
          const bool last = i + 1 == args.size() || arg_names[i + 1] != "partition by";
          out += (first ? " PARTITION BY (" : ", ") + args[i]->ToString() + (last ? ")" : "");
          continue;
        }
        if (i > 0) out += ", ";
        const bool model_or_table = i < arg_names.size() &&
                                    (arg_names[i] == "model" || arg_names[i] == "table") &&
                                    args[i]->kind == ExprKind::kColumnRef;
        if (model_or_table) {
          out += arg_names[i] == "model" ? "MODEL " : "TABLE ";  // ML.PREDICT(MODEL m, TABLE t)
        } else if (i < arg_names.size() && !arg_names[i].empty()) {
          out += QuoteIdentifier(arg_names[i]) + " := ";
        }
        out += args[i]->ToString();
      }
      return out + ")" + TimeTravelSuffix() + AliasSuffix(alias, column_aliases);
    }
    case TableRefKind::kPivot:
    case TableRefKind::kUnpivot:
      if (pivot->statement_form) {
        return "(" + PivotToString(*this) + ")" + AliasSuffix(alias, column_aliases);
      }
      return PivotToString(*this) + AliasSuffix(alias, column_aliases);
    case TableRefKind::kJoin:
      break;
  }
  if (comma) return left->ToString() + ", " + right->ToString();
  std::string right_text =
      right->kind == TableRefKind::kJoin ? "(" + right->ToString() + ")" : right->ToString();
  std::string out =
      left->ToString() + (natural ? " NATURAL " : " ") + (asof ? "ASOF " : "") +
                    JoinKeyword(join_type) + " " + right_text;
  if (condition) out += " ON " + condition->ToString();
  if (!using_columns.empty()) out += " USING (" + JoinNames(using_columns) + ")";
  return out;
}

std::string GroupingElement::ToString() const {
  switch (kind) {
    case GroupingKind::kExpr:
      return exprs.front()->ToString();
    case GroupingKind::kRollup:
      return "ROLLUP (" + JoinExprs(exprs) + ")";
    case GroupingKind::kCube:
      return "CUBE (" + JoinExprs(exprs) + ")";
    case GroupingKind::kGroupingSets: {
      std::vector<std::string> parts;
      for (const auto& set : sets) parts.push_back("(" + JoinExprs(set) + ")");
      return fmt::format("GROUPING SETS ({})", fmt::join(parts, ", "));
    }
  }
  return {};
}

std::string GroupByClause::ToString() const {
  if (all) return "ALL";
  std::vector<std::string> parts;
  for (const GroupingElement& element : elements) parts.push_back(element.ToString());
  return fmt::format("{}", fmt::join(parts, ", "));
}

std::string CommonTableExpr::ToString() const {
  std::string out = QuoteIdentifier(name);
  if (!column_aliases.empty()) out += "(" + JoinNames(column_aliases) + ")";
  return out + " AS (" + query->ToString() + ")";
}

std::string QueryNode::ToString() const {
  std::string out;
  if (!ctes.empty()) {
    out = recursive ? "WITH RECURSIVE " : "WITH ";
    for (size_t i = 0; i < ctes.size(); ++i) {
      if (i > 0) out += ", ";
      out += ctes[i].ToString();
    }
    out += " ";
  }
  out += BodyToString();
  if (!order_by.empty()) {
    out += " ORDER BY ";
    for (size_t i = 0; i < order_by.size(); ++i) {
      if (i > 0) out += ", ";
      out += order_by[i].ToString();
    }
  }
  if (limit) out += " LIMIT " + limit->ToString();
  if (offset) out += " OFFSET " + offset->ToString();
  return out;
}

bool SelectNode::IsPivotStatement() const {
  return from && from->pivot && from->pivot->statement_form && select_list.size() == 1 &&
         select_list[0].alias.empty() && IsOrderByAll(*select_list[0].expr) && !distinct &&
         hints.empty() && !where && group_by.empty() && !having && !qualify && windows.empty();
}

std::string SelectNode::BodyToString() const {
  if (IsPivotStatement()) return PivotToString(*from);
  std::string out = "SELECT ";
  if (!hints.empty()) out += HintsToString(hints);
  if (distinct) {
    out += distinct_on.empty() ? "DISTINCT " : "DISTINCT ON (" + JoinExprs(distinct_on) + ") ";
  }
  for (size_t i = 0; i < select_list.size(); ++i) {
    if (i > 0) out += ", ";
    out += select_list[i].expr->ToString();
    if (!select_list[i].alias.empty()) out += " AS " + QuoteIdentifier(select_list[i].alias);
  }
  if (from) out += " FROM " + from->ToString();
  if (where) out += " WHERE " + where->ToString();
  if (!group_by.empty()) out += " GROUP BY " + group_by.ToString();
  if (having) out += " HAVING " + having->ToString();
  if (!windows.empty()) {
    out += " WINDOW ";
    for (size_t i = 0; i < windows.size(); ++i) {
      if (i > 0) out += ", ";
      out += QuoteIdentifier(windows[i].name) + " AS " + windows[i].spec.ToString();
    }
  }
  if (qualify) out += " QUALIFY " + qualify->ToString();
  return out;
}

std::string SetOperationNode::BodyToString() const {
  const char* name = op == SetOpType::kUnion       ? "UNION"
                     : op == SetOpType::kIntersect ? "INTERSECT"
                                                   : "EXCEPT";
  return fmt::format("({}) {}{} ({})", left->ToString(), name, all ? " ALL" : "",
                     right->ToString());
}

std::string ValuesNode::BodyToString() const {
  std::vector<std::string> parts;
  for (const auto& row : rows) parts.push_back("(" + JoinExprs(row) + ")");
  return fmt::format("VALUES {}", fmt::join(parts, ", "));
}

}  // namespace sluice::sql
