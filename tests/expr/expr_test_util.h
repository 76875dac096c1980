#pragma once

#include <string>
#include <vector>

#include "expr/binder.h"
#include "expr/evaluator.h"
#include "expr/expr.h"
#include "expr/function_registry.h"
#include "vector/batch.h"
#include "vector/schema.h"

namespace sluice::testing {

// A schema and one batch built from Values, column by column.
struct Table {
  Schema schema;
  Batch batch;
};

inline Table MakeTable(const std::vector<std::pair<std::string, LogicalType>>& fields,
                       const std::vector<std::vector<Value>>& columns) {
  Table t;
  std::vector<ColumnPtr> cols;
  size_t rows = columns.empty() ? 0 : columns[0].size();
  for (size_t c = 0; c < fields.size(); c++) {
    t.schema.Add(Field{fields[c].first, fields[c].second, true, ""});
    auto col = Column::Make(fields[c].second, rows);
    for (size_t r = 0; r < rows; r++) col->SetValue(r, columns[c][r]);
    col->set_size(rows);
    cols.push_back(col);
  }
  t.batch = Batch(std::move(cols), rows);
  return t;
}

inline ExprPtr Bind(const ExprPtr& e, const Schema& schema = Schema()) {
  RegisterBuiltinFunctions();
  return BindExpression(e, schema);
}

inline std::vector<Value> EvalRows(const ExprPtr& e, const Table& t) {
  ExprPtr bound = Bind(e, t.schema);
  ColumnPtr c = Evaluate(*bound, t.batch);
  std::vector<Value> out;
  for (size_t i = 0; i < t.batch.num_rows(); i++) out.push_back(c->GetValue(i));
  return out;
}

// Binds and evaluates an expression without columns.
inline Value EvalConst(const ExprPtr& e) { return EvaluateConstant(*Bind(e)); }

inline ExprPtr I(int32_t v) { return Lit(Value::Integer(v)); }
inline ExprPtr BI(int64_t v) { return Lit(Value::BigInt(v)); }
inline ExprPtr D(double v) { return Lit(Value::Double(v)); }
inline ExprPtr S(std::string v) { return Lit(Value::Varchar(std::move(v))); }
inline ExprPtr B(bool v) { return Lit(Value::Boolean(v)); }
inline ExprPtr Null() { return Lit(Value()); }
inline ExprPtr Dec(const std::string& text, int p, int s) {
  return Lit(Value::Varchar(text).CastTo(LogicalType::Decimal(p, s)));
}
inline ExprPtr DateLit(const std::string& text) {
  return Lit(Value::Varchar(text).CastTo(TypeId::kDate));
}
inline ExprPtr TsLit(const std::string& text) {
  return Lit(Value::Varchar(text).CastTo(TypeId::kTimestamp));
}
inline ExprPtr IntervalLit(const std::string& text) {
  return Lit(Value::Varchar(text).CastTo(TypeId::kInterval));
}

// The text of a constant expression's value ("NULL" for NULL).
inline std::string Show(const ExprPtr& e) { return EvalConst(e).ToString(); }

// The message of the UserError thrown by `fn`, or "" when none is thrown.
template <typename Fn>
std::string ErrorOf(Fn fn) {
  try {
    fn();
  } catch (const UserError& e) {
    return e.message();
  }
  return "";
}

}  // namespace sluice::testing
