#pragma once

#include <optional>
#include <string>
#include <vector>

#include "expr/expr.h"

namespace sluice {

// A scalar function a session registers at run time (a Python UDF): a kernel under a name,
// with a fixed result type. Unlike the built-ins of FunctionRegistry::Global(), it belongs
// to one Session (CatalogReader::FindScalarUdf), so sessions never see each other's.
// The SQL binder turns a call into an unbound kCall whose `kernel` and `type` are already
// set (UdfCall); binding then keeps them (expr/binder.cpp).
struct ScalarUdf {
  std::string name;
  // The types the arguments are cast to; nullopt: any number of arguments, of any type,
  // passed as they are.
  std::optional<std::vector<LogicalType>> arg_types;
  LogicalType result_type;
  // Returns a column of exactly `num_rows` values of `result_type`. Thread-safe: called by
  // many tasks at once.
  ScalarKernel kernel;
};

// The call `udf`(args) as an unbound expression (args cast to udf.arg_types when given).
// Throws BindError when the number of arguments does not match udf.arg_types.
ExprPtr UdfCall(const ScalarUdf& udf, std::vector<ExprPtr> args);

}  // namespace sluice
