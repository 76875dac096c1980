#include "expr/kernel_util.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/error.h"

namespace sluice::kernel {

std::shared_ptr<Column> NewColumn(const LogicalType& type, size_t n) {
  auto c = Column::Make(type, std::max<size_t>(n, 1));
  c->set_size(n);
  return c;
}

ColumnPtr NullConstant(const LogicalType& type, size_t n) {
  return Column::MakeConstant(type, Value::Null(type), n);
}

void MergeValidity(const Column& in, Column& out, size_t n) {
  if (in.is_constant() || in.validity() == nullptr || n == 0) return;
  const uint64_t* v = in.validity();
  uint64_t* o = out.MutableValidity();
  const size_t words = (n + 63) / 64;
  for (size_t w = 0; w < words; w++) o[w] &= v[w];
}

ColumnPtr ToConstant(const Column& one_row, size_t n) {
  return Column::MakeConstant(one_row.type(), one_row.GetValue(0), n);
}

bool AllConstant(const std::vector<ColumnPtr>& args) {
  return std::all_of(args.begin(), args.end(), [](const ColumnPtr& c) { return c->is_constant(); });
}

bool AnyNullConstant(const std::vector<ColumnPtr>& args) {
  return std::any_of(args.begin(), args.end(),
                     [](const ColumnPtr& c) { return IsNullConstant(*c); });
}

namespace {
int IntegerRank(TypeId id) {
  switch (id) {
    case TypeId::kTinyInt:
      return 1;
    case TypeId::kSmallInt:
      return 2;
    case TypeId::kInteger:
      return 3;
    case TypeId::kBigInt:
      return 4;
    default:
      return 0;
  }
}
}  // namespace

bool ImplicitlyCastable(const Expr& arg, const LogicalType& to) {
  const LogicalType& from = arg.type;
  if (from == to || from.id() == TypeId::kNull) return true;
  if (arg.kind == ExprKind::kLiteral && from.id() == TypeId::kVarchar) return true;
  if (from.IsInteger()) {
    if (to.IsInteger()) return IntegerRank(from.id()) <= IntegerRank(to.id());
    return to.id() == TypeId::kDouble || to.id() == TypeId::kDecimal;
  }
  if (from.id() == TypeId::kDecimal) return to.id() == TypeId::kDouble;
  if (to.id() == TypeId::kTimestampTz) {
    return from.id() == TypeId::kDate || from.id() == TypeId::kTimestamp;  // as in DuckDB
  }
  if (from.id() == TypeId::kDate) return to.id() == TypeId::kTimestamp;
  return false;
}

ScalarResolver FixedSignature(std::vector<LogicalType> params, LogicalType result,
                              ScalarKernel kernel) {
  return [params = std::move(params), result, kernel = std::move(kernel)](
             const std::vector<ExprPtr>& args) -> std::optional<BoundScalar> {
    if (args.size() != params.size()) return std::nullopt;
    for (size_t i = 0; i < args.size(); i++) {
      if (!ImplicitlyCastable(*args[i], params[i])) return std::nullopt;
    }
    return BoundScalar{result, params, kernel};
  };
}

const Value* LiteralArg(const std::vector<ExprPtr>& args, size_t i) {
  if (i >= args.size() || args[i]->kind != ExprKind::kLiteral || args[i]->value.is_null()) {
    return nullptr;
  }
  return &args[i]->value;
}

void CheckStringSize(uint64_t bytes, const char* function) {
  if (bytes > kMaxStringBytes) {
    throw OutOfRangeError(fmt::format(
        "{}: the result would be {} bytes, over the maximum string size ({} bytes)", function,
        bytes, kMaxStringBytes));
  }
}

}  // namespace sluice::kernel
