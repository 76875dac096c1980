#include "expr/scalar_functions.h"
namespace sluice {
void RegisterStringFunctions(FunctionRegistry&) {}
void RegisterLikeFunctions(FunctionRegistry&) {}
void RegisterMathFunctions(FunctionRegistry&) {}
void RegisterDateTimeFunctions(FunctionRegistry&) {}
}
