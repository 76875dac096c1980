#pragma once

#include "expr/function_registry.h"

// Registration of the built-in scalar functions, one function per family (each in its own
// scalar_*.cpp). Called once from RegisterBuiltinFunctions.
namespace sluice {

void RegisterListFunctions(FunctionRegistry& registry);        // list_value len list_sort ...
void RegisterStructFunctions(FunctionRegistry& registry);      // struct_pack struct_extract
void RegisterMapFunctions(FunctionRegistry& registry);         // map map_keys map_extract ...
void RegisterArithmeticFunctions(FunctionRegistry& registry);  // + - * / // % negate
void RegisterComparisonFunctions(FunctionRegistry& registry);  // = <> < <= > >= distinct
void RegisterStringFunctions(FunctionRegistry& registry);      // || length lower substring ...
void RegisterStringCodeFunctions(FunctionRegistry& registry);  // md5 sha1 sha256 translate
void RegisterBlobFunctions(FunctionRegistry& registry);        // hex unhex to_base64 decode ...
void RegisterLikeFunctions(FunctionRegistry& registry);        // like ilike regexp_matches
void RegisterMathFunctions(FunctionRegistry& registry);        // abs round sqrt greatest ...
void RegisterDateTimeFunctions(FunctionRegistry& registry);    // extract date_trunc ...
void RegisterTimestampTzFunctions(FunctionRegistry& registry);  // TIMESTAMPTZ overloads
void RegisterJsonFunctions(FunctionRegistry& registry);        // json_extract -> ->> to_json ...
void RegisterTypeofFunction(FunctionRegistry& registry);       // typeof

// The kernel computing CAST(x AS to) for x of type `from`; with `try_cast` failures give NULL
// instead of a ConversionError. Throws BindError when the cast is not defined.
ScalarKernel MakeCastKernel(const LogicalType& from, const LogicalType& to, bool try_cast);

// The kernel for `x IN (values)` / NOT IN over literal values (already of x's type), with
// SQL semantics: NULL when x is NULL, or when x is not found and the list holds a NULL.
// The kernel takes only the column of x.
ScalarKernel MakeInListKernel(const LogicalType& type, const std::vector<Value>& values,
                              bool negated);

}  // namespace sluice
