// SQL text of PIVOT and UNPIVOT table references (TableRef::ToString).

#include <fmt/format.h>

#include "sql/ast.h"

namespace sluice::sql {
namespace {

std::string Names(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i > 0 ? ", " : "") + QuoteIdentifier(names[i]);
  return out;
}

std::string Exprs(const std::vector<ExprPtr>& exprs) {
  std::string out;
  for (size_t i = 0; i < exprs.size(); ++i) out += (i > 0 ? ", " : "") + exprs[i]->ToString();
  return out;
}

std::string Aggregates(const PivotSpec& p) {
  std::string out;
  for (size_t i = 0; i < p.aggregates.size(); ++i) {
    out += (i > 0 ? ", " : "") + p.aggregates[i].expr->ToString();
    if (!p.aggregates[i].alias.empty()) out += " AS " + QuoteIdentifier(p.aggregates[i].alias);
  }
  return out;
}

std::string InList(const PivotOn& on) {
  std::string out = " IN (";
  for (size_t i = 0; i < on.in.size(); ++i) {
    out += (i > 0 ? ", " : "") + on.in[i].value->ToString();
    if (!on.in[i].alias.empty()) out += " AS " + QuoteIdentifier(on.in[i].alias);
  }
  return out + ")";
}

std::string Entry(const UnpivotEntry& e) {
  std::string out = e.columns.size() == 1 ? e.columns[0]->ToString() : "(" + Exprs(e.columns) + ")";
  return e.alias.empty() ? out : out + " AS " + QuoteIdentifier(e.alias);
}

std::string Entries(const PivotSpec& p) {
  std::string out;
  for (size_t i = 0; i < p.entries.size(); ++i) out += (i > 0 ? ", " : "") + Entry(p.entries[i]);
  return out;
}

}  // namespace

std::string PivotToString(const TableRef& ref) {
  const PivotSpec& p = *ref.pivot;
  const std::string source = ref.left->ToString();
  if (p.statement_form && ref.kind == TableRefKind::kPivot) {
    std::string out = "PIVOT " + source + " ON ";
    for (size_t i = 0; i < p.on.size(); ++i) {
      out += (i > 0 ? ", " : "") + p.on[i].expr->ToString() + (p.on[i].has_in ? InList(p.on[i]) : "");
    }
    if (!p.aggregates.empty()) out += " USING " + Aggregates(p);
    if (!p.group_by.empty()) out += " GROUP BY " + Exprs(p.group_by);
    return out;
  }
  if (p.statement_form) {
    return "UNPIVOT " + source + " ON " + Entries(p) + " INTO NAME " +
           QuoteIdentifier(p.name_column) + " VALUE " + Names(p.value_columns);
  }
  if (ref.kind == TableRefKind::kPivot) {
    std::string out = source + " PIVOT (" + Aggregates(p) + " FOR";
    for (const PivotOn& on : p.on) out += " " + on.expr->ToString() + InList(on);
    if (!p.group_by.empty()) out += " GROUP BY " + Exprs(p.group_by);
    return out + ")";
  }
  const std::string values = p.value_columns.size() == 1 ? QuoteIdentifier(p.value_columns[0])
                                                         : "(" + Names(p.value_columns) + ")";
  return source + " UNPIVOT " + (p.include_nulls ? "INCLUDE NULLS " : "") + "(" + values +
         " FOR " + QuoteIdentifier(p.name_column) + " IN (" + Entries(p) + "))";
}

}  // namespace sluice::sql
