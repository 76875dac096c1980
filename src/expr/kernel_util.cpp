#include "expr/kernel_util.h"

#include <algorithm>

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
  return std::any_of(args.begin(), args.end(), [](const ColumnPtr& c) { return IsNullConstant(*c); });
}

const Value* LiteralArg(const std::vector<ExprPtr>& args, size_t i) {
  if (i >= args.size() || args[i]->kind != ExprKind::kLiteral || args[i]->value.is_null()) {
    return nullptr;
  }
  return &args[i]->value;
}

}  // namespace sluice::kernel
