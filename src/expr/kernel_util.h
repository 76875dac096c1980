#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "expr/expr.h"
#include "expr/function_registry.h"
#include "types/interval.h"
#include "types/logical_type.h"
#include "types/string_view.h"
#include "vector/column.h"

// Building blocks shared by the scalar kernels (scalar_*.cpp, cast_kernels.cpp): output
// allocation, NULL propagation, constant-operand handling and tight loops over raw arrays.
// Internal to expr/.
namespace sluice::kernel {

// A flat column of `type` with size n (contents uninitialized, no NULLs yet).
std::shared_ptr<Column> NewColumn(const LogicalType& type, size_t n);
// A constant NULL column of n rows.
ColumnPtr NullConstant(const LogicalType& type, size_t n);
inline bool IsNullConstant(const Column& c) { return c.is_constant() && !c.IsValid(0); }
// ANDs the validity of `in` (when flat and it has a bitmap) into `out` for rows [0, n).
void MergeValidity(const Column& in, Column& out, size_t n);
// A constant column of n rows holding row 0 of `one_row`.
ColumnPtr ToConstant(const Column& one_row, size_t n);
// True when every column is constant (the kernel then computes one row).
bool AllConstant(const std::vector<ColumnPtr>& args);
bool AnyNullConstant(const std::vector<ColumnPtr>& args);

// Reads one argument, flat or constant, row by row (for kernels that are not simple loops).
class ArgReader {
 public:
  explicit ArgReader(const Column& c)
      : data_(c.raw_data()), validity_(c.validity()), constant_(c.is_constant()) {}
  bool IsValid(size_t i) const {
    if (validity_ == nullptr) return true;
    if (constant_) i = 0;
    return (validity_[i >> 6] >> (i & 63)) & 1;
  }
  template <typename T>
  const T& Get(size_t i) const {
    return reinterpret_cast<const T*>(data_)[constant_ ? 0 : i];
  }

 private:
  const uint8_t* data_;
  const uint64_t* validity_;
  bool constant_;
};

// Calls fn(T{}) where T is the physical C++ type of `type` (see LogicalType).
template <typename Fn>
decltype(auto) DispatchPhysical(const LogicalType& type, Fn&& fn) {
  switch (type.id()) {
    case TypeId::kTinyInt:
      return fn(int8_t{});
    case TypeId::kSmallInt:
      return fn(int16_t{});
    case TypeId::kInteger:
    case TypeId::kDate:
      return fn(int32_t{});
    case TypeId::kBigInt:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kTime:
      return fn(int64_t{});
    case TypeId::kDouble:
      return fn(double{});
    case TypeId::kDecimal:
      if (type.IsWideDecimal()) return fn(int128_t{});
      return fn(int64_t{});
    case TypeId::kVarchar:
    case TypeId::kBlob:
      return fn(StringView{});
    case TypeId::kInterval:
      return fn(Interval{});
    default:
      return fn(uint8_t{});
  }
}

// Calls fn(T{}) for the integer types TINYINT..BIGINT.
template <typename Fn>
decltype(auto) DispatchInteger(TypeId id, Fn&& fn) {
  switch (id) {
    case TypeId::kTinyInt:
      return fn(int8_t{});
    case TypeId::kSmallInt:
      return fn(int16_t{});
    case TypeId::kInteger:
      return fn(int32_t{});
    default:
      return fn(int64_t{});
  }
}

// out[i] = op(a[i]) for rows [0, n). `op(A, R&) -> bool` returns false when a row cannot be
// computed; after the loop, `fail(out, row, a)` is called for each valid failing row (it
// throws, or marks the row NULL). Failures on NULL rows are ignored: their inputs are
// garbage. A constant input gives a constant output.
template <typename A, typename R, typename Op, typename Fail>
ColumnPtr UnaryExec(const LogicalType& rtype, const ColumnPtr& in, size_t n, Op op, Fail fail) {
  const Column& a = *in;
  if (IsNullConstant(a)) return NullConstant(rtype, n);
  const size_t m = a.is_constant() ? 1 : n;
  auto out = NewColumn(rtype, m);
  const A* pa = a.data<A>();
  R* po = out->data<R>();
  bool ok = true;
  for (size_t i = 0; i < m; i++) ok &= op(pa[i], po[i]);
  MergeValidity(a, *out, m);
  if (!ok) [[unlikely]] {
    for (size_t i = 0; i < m; i++) {
      if (out->IsValid(i) && !op(pa[i], po[i])) fail(*out, i, pa[i]);
    }
  }
  if (a.is_constant()) return ToConstant(*out, n);
  return out;
}

namespace detail {
template <bool kAConst, bool kBConst, typename A, typename B, typename R, typename Op>
bool BinaryLoop(const A* a, const B* b, R* out, size_t n, Op& op) {
  bool ok = true;
  for (size_t i = 0; i < n; i++) ok &= op(a[kAConst ? 0 : i], b[kBConst ? 0 : i], out[i]);
  return ok;
}
}  // namespace detail

// out[i] = op(a[i], b[i]); the contract of `op` and `fail` is as for UnaryExec, with
// `fail(out, row, a, b)`. A constant operand is read once, never expanded.
template <typename A, typename B, typename R, typename Op, typename Fail>
ColumnPtr BinaryExec(const LogicalType& rtype, const ColumnPtr& ca, const ColumnPtr& cb, size_t n,
                     Op op, Fail fail) {
  const Column& a = *ca;
  const Column& b = *cb;
  if (IsNullConstant(a) || IsNullConstant(b)) return NullConstant(rtype, n);
  const bool ac = a.is_constant(), bc = b.is_constant();
  const size_t m = ac && bc ? 1 : n;
  auto out = NewColumn(rtype, m);
  const A* pa = a.data<A>();
  const B* pb = b.data<B>();
  R* po = out->data<R>();
  bool ok;
  if (ac && !bc) {
    ok = detail::BinaryLoop<true, false>(pa, pb, po, m, op);
  } else if (bc && !ac) {
    ok = detail::BinaryLoop<false, true>(pa, pb, po, m, op);
  } else {
    ok = detail::BinaryLoop<false, false>(pa, pb, po, m, op);
  }
  MergeValidity(a, *out, m);
  MergeValidity(b, *out, m);
  if (!ok) [[unlikely]] {
    for (size_t i = 0; i < m; i++) {
      const A& x = pa[ac ? 0 : i];
      const B& y = pb[bc ? 0 : i];
      if (out->IsValid(i) && !op(x, y, po[i])) fail(*out, i, x, y);
    }
  }
  if (ac && bc) return ToConstant(*out, n);
  return out;
}

// A failure handler that turns failing rows into NULL (division by zero, TRY_CAST).
struct NullOnFail {
  template <typename... T>
  void operator()(Column& out, size_t row, const T&...) const {
    out.SetNull(row);
  }
};

// Empties the first n views of a VARCHAR column, so rows a row kernel leaves NULL hold a
// readable view (later kernels read NULL rows' inputs and ignore the results).
inline void ClearStringRows(Column& out, size_t n) {
  if (out.type().IsStringLike()) std::memset(out.raw_data(), 0, n * sizeof(StringView));
}

// Row-at-a-time kernel for functions that are not simple loops (string functions, dates).
// Rows where any argument is NULL are NULL; for the others `fn(row, out) -> bool` writes
// out's row and returns false to make it NULL. For a VARCHAR result, `out` keeps the heaps
// of the VARCHAR arguments alive, so fn may return views into them.
template <typename Fn>
ColumnPtr RowExec(const LogicalType& rtype, const std::vector<ColumnPtr>& args, size_t n, Fn fn) {
  if (AnyNullConstant(args)) return NullConstant(rtype, n);
  const bool all_const = AllConstant(args);
  const size_t m = all_const ? 1 : n;
  auto out = NewColumn(rtype, m);
  ClearStringRows(*out, m);
  for (const auto& a : args) {
    MergeValidity(*a, *out, m);
    if (rtype.IsStringLike() && a->type().IsStringLike()) {
      out->ShareHeapsOf(*a);
    }
  }
  if (out->validity() == nullptr) {
    for (size_t i = 0; i < m; i++) {
      if (!fn(i, *out)) out->SetNull(i);
    }
  } else {
    for (size_t i = 0; i < m; i++) {
      if (out->IsValid(i) && !fn(i, *out)) out->SetNull(i);
    }
  }
  if (all_const) return ToConstant(*out, n);
  return out;
}

// Like RowExec but calls fn for every row, NULL arguments included (concat, greatest).
template <typename Fn>
ColumnPtr RowExecAll(const LogicalType& rtype, const std::vector<ColumnPtr>& args, size_t n,
                     Fn fn) {
  const bool all_const = AllConstant(args);
  const size_t m = all_const ? 1 : n;
  auto out = NewColumn(rtype, m);
  ClearStringRows(*out, m);
  for (const auto& a : args) {
    if (rtype.IsStringLike() && a->type().IsStringLike()) {
      out->ShareHeapsOf(*a);
    }
  }
  for (size_t i = 0; i < m; i++) {
    if (!fn(i, *out)) out->SetNull(i);
  }
  if (all_const) return ToConstant(*out, n);
  return out;
}

// The longest VARCHAR value: a StringView's length is 32 bits, so 4 GiB - 1 bytes.
inline constexpr uint64_t kMaxStringBytes = UINT32_MAX;

// Throws OutOfRangeError when a string result of `bytes` bytes, computed by `function`, would
// be over kMaxStringBytes: called before the result is built, so nothing is allocated.
void CheckStringSize(uint64_t bytes, const char* function);

// True when `arg` may be implicitly cast to `to` for a function call: same type, untyped
// NULL, a string literal, or numeric widening (integer -> wider integer/DECIMAL/DOUBLE,
// DECIMAL -> DOUBLE), DATE -> TIMESTAMP.
bool ImplicitlyCastable(const Expr& arg, const LogicalType& to);
// A resolver for one fixed signature.
ScalarResolver FixedSignature(std::vector<LogicalType> params, LogicalType result,
                              ScalarKernel kernel);

// The literal value of a bound argument when it is a (non-NULL) constant, for resolvers that
// precompile (LIKE patterns, date part names).
const Value* LiteralArg(const std::vector<ExprPtr>& args, size_t i);

}  // namespace sluice::kernel
