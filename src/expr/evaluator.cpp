#include "expr/evaluator.h"

#include <cstring>
#include <numeric>

#include "common/error.h"
#include "expr/kernel_util.h"

namespace sluice {

namespace {

ColumnPtr Eval(const Expr& expr, const Batch& batch);

void CollectColumns(const Expr& e, std::vector<bool>& used) {
  if (e.kind == ExprKind::kColumnRef && e.column_index >= 0) {
    used[e.column_index] = true;
  }
  for (const auto& a : e.args) CollectColumns(*a, used);
}

// The rows sel[0..n) of the columns `exprs` read, for evaluating a sub-expression on only the
// rows that need it (CASE branches, later conjuncts of a filter). Other columns stay null.
Batch GatherBatch(const Batch& batch, const uint32_t* sel, size_t n,
                  std::initializer_list<const Expr*> exprs) {
  std::vector<bool> used(batch.num_columns(), false);
  for (const Expr* e : exprs) CollectColumns(*e, used);
  std::vector<ColumnPtr> columns(batch.num_columns());
  for (size_t c = 0; c < columns.size(); c++) {
    if (!used[c]) continue;
    const Column& col = *batch.column(c);
    if (col.is_constant()) {
      columns[c] = Column::MakeConstant(col.type(), col.GetValue(0), n);
    } else {
      columns[c] = col.Gather(sel, n);
    }
  }
  return Batch(std::move(columns), n);
}

// Appends to `out` the rows i < n (mapped through `rows` when given) where `pred` is TRUE.
size_t SelectTrue(const Column& pred, size_t n, const uint32_t* rows, uint32_t* out) {
  if (pred.is_constant()) {
    if (!pred.IsValid(0) || pred.data<uint8_t>()[0] == 0) return 0;
    for (size_t i = 0; i < n; i++) out[i] = rows ? rows[i] : static_cast<uint32_t>(i);
    return n;
  }
  const uint8_t* v = pred.data<uint8_t>();
  const uint64_t* valid = pred.validity();
  size_t k = 0;
  // Branch-free: always write, advance only on TRUE.
  if (valid == nullptr) {
    if (rows == nullptr) {
      for (size_t i = 0; i < n; i++) {
        out[k] = static_cast<uint32_t>(i);
        k += v[i] != 0;
      }
    } else {
      for (size_t i = 0; i < n; i++) {
        out[k] = rows[i];
        k += v[i] != 0;
      }
    }
  } else {
    for (size_t i = 0; i < n; i++) {
      out[k] = rows ? rows[i] : static_cast<uint32_t>(i);
      k += (v[i] != 0) & ((valid[i >> 6] >> (i & 63)) & 1);
    }
  }
  return k;
}

// AND (is_and) or OR over BOOLEAN columns with three-valued logic. For AND a FALSE operand
// decides the row, else a NULL makes it NULL; OR is the mirror image with TRUE.
ColumnPtr EvalLogical(const Expr& expr, const Batch& batch, bool is_and) {
  const size_t n = batch.num_rows();
  // decided[i]: some operand was FALSE (AND) / TRUE (OR); unknown[i]: some operand was NULL.
  std::vector<uint8_t> decided(n, 0), unknown(n, 0);
  bool any_unknown = false;
  const uint8_t decisive = is_and ? 0 : 1;
  for (const auto& arg : expr.args) {
    ColumnPtr c = Eval(*arg, batch);
    if (c->is_constant()) {
      if (!c->IsValid(0)) {
        std::fill(unknown.begin(), unknown.end(), 1);
        any_unknown = true;
      } else if (c->data<uint8_t>()[0] == decisive) {
        return Column::MakeConstant(TypeId::kBoolean, Value::Boolean(!is_and), n);
      }
      continue;
    }
    const uint8_t* v = c->data<uint8_t>();
    const uint64_t* valid = c->validity();
    if (valid == nullptr) {
      for (size_t i = 0; i < n; i++) decided[i] |= (v[i] != 0) == (decisive != 0);
    } else {
      any_unknown = true;
      for (size_t i = 0; i < n; i++) {
        const uint8_t ok = (valid[i >> 6] >> (i & 63)) & 1;
        decided[i] |= ok & ((v[i] != 0) == (decisive != 0));
        unknown[i] |= ok ^ 1;
      }
    }
  }
  auto out = kernel::NewColumn(TypeId::kBoolean, n);
  uint8_t* o = out->data<uint8_t>();
  for (size_t i = 0; i < n; i++) o[i] = is_and ? decided[i] ^ 1 : decided[i];
  if (any_unknown) {
    for (size_t i = 0; i < n; i++) {
      if (!decided[i] && unknown[i]) out->SetNull(i);
    }
  }
  return out;
}

ColumnPtr EvalIsNull(const Expr& expr, const Batch& batch, bool want_null) {
  const size_t n = batch.num_rows();
  ColumnPtr c = Eval(*expr.args[0], batch);
  if (c->is_constant() || c->validity() == nullptr) {
    const bool is_null = !c->IsValid(0);
    return Column::MakeConstant(TypeId::kBoolean, Value::Boolean(is_null == want_null), n);
  }
  auto out = kernel::NewColumn(TypeId::kBoolean, n);
  uint8_t* o = out->data<uint8_t>();
  const uint64_t* valid = c->validity();
  const uint8_t flip = want_null ? 1 : 0;
  for (size_t i = 0; i < n; i++) o[i] = ((valid[i >> 6] >> (i & 63)) & 1) ^ flip;
  return out;
}

// Writes row k of `src` to row rows[k] of `out` for k < n; rows of `out` start NULL and
// become valid where `src` is.
void Scatter(const Column& src, const uint32_t* rows, size_t n, Column& out) {
  if (out.type().IsNested()) [[unlikely]] {  // elements are copied, not entries
    for (size_t k = 0; k < n; k++) {
      if (src.IsValid(k)) out.SetValue(rows[k], src.GetValue(k));
    }
    return;
  }
  const int width = out.type().PhysicalSize();
  const uint8_t* s = src.raw_data();
  uint8_t* d = out.raw_data();
  const bool constant = src.is_constant();
  for (size_t k = 0; k < n; k++) {
    if (!src.IsValid(k)) continue;
    std::memcpy(d + static_cast<size_t>(rows[k]) * width, s + (constant ? 0 : k * width), width);
    out.SetValid(rows[k]);
  }
  if (out.type().IsStringLike()) out.ShareHeapsOf(src);
}

std::shared_ptr<Column> NewAllNull(const LogicalType& type, size_t n) {
  auto out = kernel::NewColumn(type, n);
  std::memset(out->raw_data(), 0, n * type.PhysicalSize());
  uint64_t* v = out->MutableValidity();
  std::memset(v, 0, ((n + 63) / 64) * 8);
  return out;
}

// CASE evaluates each WHEN only on the rows no earlier WHEN took, and each THEN only on the
// rows its WHEN took, so a branch never fails on rows it does not own (as in DuckDB).
ColumnPtr EvalCase(const Expr& expr, const Batch& batch) {
  const size_t n = batch.num_rows();
  auto out = NewAllNull(expr.type, n);
  std::vector<uint32_t> remaining(n), matched(n), rest(n);
  std::iota(remaining.begin(), remaining.end(), 0);
  size_t remaining_n = n;
  size_t i = 0;
  for (; i + 1 < expr.args.size() && remaining_n > 0; i += 2) {
    const Expr& when = *expr.args[i];
    const Expr& then = *expr.args[i + 1];
    const bool all = remaining_n == n;
    ColumnPtr cond = all ? Eval(when, batch)
                         : Eval(when, GatherBatch(batch, remaining.data(), remaining_n, {&when}));
    const size_t m = SelectTrue(*cond, remaining_n, remaining.data(), matched.data());
    if (m == 0) continue;
    if (m == n) return Eval(then, batch);
    ColumnPtr value = Eval(then, GatherBatch(batch, matched.data(), m, {&then}));
    Scatter(*value, matched.data(), m, *out);
    // Keep the rows the WHEN did not take (matched is a sorted subsequence of remaining).
    size_t r = 0, j = 0;
    for (size_t k = 0; k < remaining_n; k++) {
      if (j < m && matched[j] == remaining[k]) {
        j++;
      } else {
        rest[r++] = remaining[k];
      }
    }
    remaining.swap(rest);
    remaining_n = r;
  }
  if (i < expr.args.size() && i + 1 == expr.args.size() && remaining_n > 0) {
    const Expr& otherwise = *expr.args[i];
    if (remaining_n == n) return Eval(otherwise, batch);
    ColumnPtr value =
        Eval(otherwise, GatherBatch(batch, remaining.data(), remaining_n, {&otherwise}));
    Scatter(*value, remaining.data(), remaining_n, *out);
  }
  return out;
}

// COALESCE evaluates each argument only on the rows still NULL.
ColumnPtr EvalCoalesce(const Expr& expr, const Batch& batch) {
  const size_t n = batch.num_rows();
  ColumnPtr first = Eval(*expr.args[0], batch);
  if (expr.args.size() == 1 || !first->HasNulls()) return first;
  auto out = NewAllNull(expr.type, n);
  std::vector<uint32_t> all(n);
  std::iota(all.begin(), all.end(), 0);
  Scatter(*first, all.data(), n, *out);
  std::vector<uint32_t> remaining;
  for (size_t i = 0; i < n; i++) {
    if (!out->IsValid(i)) remaining.push_back(static_cast<uint32_t>(i));
  }
  for (size_t a = 1; a < expr.args.size() && !remaining.empty(); a++) {
    const Expr& arg = *expr.args[a];
    ColumnPtr value = Eval(arg, GatherBatch(batch, remaining.data(), remaining.size(), {&arg}));
    Scatter(*value, remaining.data(), remaining.size(), *out);
    std::vector<uint32_t> still;
    for (uint32_t row : remaining) {
      if (!out->IsValid(row)) still.push_back(row);
    }
    remaining.swap(still);
  }
  return out;
}

ColumnPtr CallKernel(const Expr& expr, std::vector<ColumnPtr> args, size_t n) {
  SLUICE_CHECK(expr.kernel != nullptr, "expression {} is not bound", expr.ToString());
  ColumnPtr result = expr.kernel(args, n);
  SLUICE_CHECK(result->size() == n, "{} returned {} rows for {}", expr.ToString(), result->size(),
               n);
  return result;
}

ColumnPtr Eval(const Expr& expr, const Batch& batch) {
  const size_t n = batch.num_rows();
  switch (expr.kind) {
    case ExprKind::kColumnRef: {
      SLUICE_CHECK(expr.column_index >= 0 && expr.column_index < (int)batch.num_columns(),
                   "column {} index {}", expr.name, expr.column_index);
      const ColumnPtr& c = batch.column(expr.column_index);
      SLUICE_CHECK(c != nullptr, "column {} not materialized", expr.name);
      return c;
    }
    case ExprKind::kLiteral:
      return Column::MakeConstant(expr.type, expr.value, n);
    case ExprKind::kCall:
    case ExprKind::kCast: {
      std::vector<ColumnPtr> args;
      args.reserve(expr.args.size());
      for (const auto& a : expr.args) args.push_back(Eval(*a, batch));
      return CallKernel(expr, std::move(args), n);
    }
    case ExprKind::kAnd:
      return EvalLogical(expr, batch, true);
    case ExprKind::kOr:
      return EvalLogical(expr, batch, false);
    case ExprKind::kNot: {
      ColumnPtr c = Eval(*expr.args[0], batch);
      return kernel::UnaryExec<uint8_t, uint8_t>(
          TypeId::kBoolean, c, n,
          [](uint8_t a, uint8_t& r) {
            r = a == 0;
            return true;
          },
          kernel::NullOnFail());
    }
    case ExprKind::kIsNull:
      return EvalIsNull(expr, batch, true);
    case ExprKind::kIsNotNull:
      return EvalIsNull(expr, batch, false);
    case ExprKind::kIn:
      return CallKernel(expr, {Eval(*expr.args[0], batch)}, n);
    case ExprKind::kCase:
      return EvalCase(expr, batch);
    case ExprKind::kCoalesce:
      return EvalCoalesce(expr, batch);
    case ExprKind::kAggregate:
      throw InternalError("aggregate " + expr.ToString() + " evaluated as a scalar");
    case ExprKind::kStar:
      throw InternalError("* evaluated as a scalar");
    case ExprKind::kWindow:
      throw InternalError("window call " + expr.ToString() + " evaluated as a scalar");
    case ExprKind::kSubquery:
      throw InternalError("subquery " + expr.ToString() + " evaluated before it ran");
  }
  throw InternalError("unknown expression kind");
}

}  // namespace

ColumnPtr Evaluate(const Expr& expr, const Batch& batch) { return Eval(expr, batch); }

size_t EvaluateFilter(const Expr& predicate, const Batch& batch, uint32_t* sel) {
  const size_t n = batch.num_rows();
  if (predicate.kind != ExprKind::kAnd) {
    ColumnPtr c = Eval(predicate, batch);
    return SelectTrue(*c, n, nullptr, sel);
  }
  // Conjuncts one by one, each only on the rows the previous ones kept: cheap selective
  // predicates first (as written) spare the later ones most of the work.
  size_t count = SelectTrue(*Eval(*predicate.args[0], batch), n, nullptr, sel);
  std::vector<uint32_t> rows;
  for (size_t a = 1; a < predicate.args.size() && count > 0; a++) {
    const Expr& conjunct = *predicate.args[a];
    if (count == n) {
      count = SelectTrue(*Eval(conjunct, batch), n, nullptr, sel);
      continue;
    }
    rows.assign(sel, sel + count);
    ColumnPtr c = Eval(conjunct, GatherBatch(batch, rows.data(), count, {&conjunct}));
    count = SelectTrue(*c, count, rows.data(), sel);
  }
  return count;
}

Value EvaluateConstant(const Expr& expr) {
  Batch one({}, 1);
  return Eval(expr, one)->GetValue(0);
}

}  // namespace sluice
