#include "expr/scalar_udf.h"

#include <fmt/format.h>

#include "common/error.h"

namespace sluice {

ExprPtr UdfCall(const ScalarUdf& udf, std::vector<ExprPtr> args) {
  if (udf.arg_types) {
    if (udf.arg_types->size() != args.size()) {
      throw BindError(fmt::format("function {} takes {} arguments, got {}", udf.name,
                                  udf.arg_types->size(), args.size()));
    }
    for (size_t i = 0; i < args.size(); i++) args[i] = CastTo(args[i], (*udf.arg_types)[i]);
  }
  ExprPtr call = Call(udf.name, std::move(args));
  auto out = std::make_shared<Expr>(*call);
  out->type = udf.result_type;
  out->kernel = udf.kernel;
  return out;
}

}  // namespace sluice
