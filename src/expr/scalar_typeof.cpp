// typeof(x): the name of x's SQL type as DuckDB prints it ("INTEGER", "DECIMAL(2,1)", "TIME"),
// whatever x's value (NULL rows included).
#include "expr/kernel_util.h"
#include "expr/scalar_functions.h"

namespace sluice {

void RegisterTypeofFunction(FunctionRegistry& r) {
  r.AddScalar(
      "typeof",
      [](const std::vector<ExprPtr>& args) -> std::optional<BoundScalar> {
        if (args.size() != 1) return std::nullopt;
        const LogicalType type = args[0]->type;
        ScalarKernel k = [name = type.ToString()](const std::vector<ColumnPtr>&, size_t n) {
          return Column::MakeConstant(TypeId::kVarchar, Value::Varchar(name), n);
        };
        return BoundScalar{TypeId::kVarchar, {type}, std::move(k)};
      },
      "typeof(ANY)");
}

}  // namespace sluice
