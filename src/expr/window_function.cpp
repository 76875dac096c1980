#include "expr/window_function.h"

#include <fmt/format.h>

#include "common/error.h"
#include "expr/aggregate_function.h"
#include "expr/binder.h"
#include "expr/function_registry.h"

namespace sluice {

std::optional<WindowFunctionKind> WindowFunctionKindOf(const std::string& name) {
  if (name == "row_number") return WindowFunctionKind::kRowNumber;
  if (name == "rank") return WindowFunctionKind::kRank;
  if (name == "dense_rank") return WindowFunctionKind::kDenseRank;
  if (name == "percent_rank") return WindowFunctionKind::kPercentRank;
  if (name == "cume_dist") return WindowFunctionKind::kCumeDist;
  if (name == "ntile") return WindowFunctionKind::kNtile;
  if (name == "lag") return WindowFunctionKind::kLag;
  if (name == "lead") return WindowFunctionKind::kLead;
  if (name == "first_value" || name == "first") return WindowFunctionKind::kFirstValue;
  if (name == "last_value" || name == "last") return WindowFunctionKind::kLastValue;
  if (name == "nth_value") return WindowFunctionKind::kNthValue;
  if (name == "count_star" || FunctionRegistry::Global().HasAggregate(name)) {
    return WindowFunctionKind::kAggregate;
  }
  return std::nullopt;
}

bool UsesFrame(WindowFunctionKind kind) {
  switch (kind) {
    case WindowFunctionKind::kFirstValue:
    case WindowFunctionKind::kLastValue:
    case WindowFunctionKind::kNthValue:
    case WindowFunctionKind::kAggregate: return true;
    default: return false;
  }
}

namespace {

void CheckArgs(const Expr& call, size_t min, size_t max) {
  if (call.args.size() < min || call.args.size() > max) {
    const std::string expected =
        min == max ? std::to_string(min) : fmt::format("{} to {}", min, max);
    throw BindError(fmt::format("window function {}() takes {} argument{}, not {}", call.name,
                                expected, max == 1 ? "" : "s", call.args.size()));
  }
}

ExprPtr IntegerArg(const ExprPtr& arg, const Expr& call) {
  if (!arg->type.IsInteger() && arg->type.id() != TypeId::kNull) {
    throw BindError(fmt::format("argument {} of {}() must be an integer, not {}", arg->ToString(),
                                call.name, arg->type.ToString()));
  }
  return CastIfNeeded(arg, TypeId::kBigInt);
}

}  // namespace

void ResolveWindowFunction(Expr& call) {
  const std::optional<WindowFunctionKind> kind = WindowFunctionKindOf(call.name);
  if (!kind) throw BindError(fmt::format("no window function named {}()", call.name));
  if (call.distinct && *kind != WindowFunctionKind::kAggregate) {
    throw BindError(fmt::format("DISTINCT is not allowed in {}()", call.name));
  }
  switch (*kind) {
    case WindowFunctionKind::kRowNumber:
    case WindowFunctionKind::kRank:
    case WindowFunctionKind::kDenseRank:
      CheckArgs(call, 0, 0);
      call.type = TypeId::kBigInt;
      return;
    case WindowFunctionKind::kPercentRank:
    case WindowFunctionKind::kCumeDist:
      CheckArgs(call, 0, 0);
      call.type = TypeId::kDouble;
      return;
    case WindowFunctionKind::kNtile:
      CheckArgs(call, 1, 1);
      call.args[0] = IntegerArg(call.args[0], call);
      call.type = TypeId::kBigInt;
      return;
    case WindowFunctionKind::kLag:
    case WindowFunctionKind::kLead: {
      CheckArgs(call, 1, 3);
      LogicalType type = call.args[0]->type;
      if (call.args.size() == 3) {
        type = CommonSuperType(type, call.args[2]->type);
        call.args[2] = CastIfNeeded(call.args[2], type);
      }
      call.args[0] = CastIfNeeded(call.args[0], type);
      if (call.args.size() >= 2) call.args[1] = IntegerArg(call.args[1], call);
      call.type = type;
      return;
    }
    case WindowFunctionKind::kFirstValue:
    case WindowFunctionKind::kLastValue:
      CheckArgs(call, 1, 1);
      call.type = call.args[0]->type;
      return;
    case WindowFunctionKind::kNthValue:
      CheckArgs(call, 2, 2);
      call.args[1] = IntegerArg(call.args[1], call);
      call.type = call.args[0]->type;
      return;
    case WindowFunctionKind::kAggregate: {
      std::vector<LogicalType> types;
      for (const auto& a : call.args) types.push_back(a->type);
      call.aggregate = FunctionRegistry::Global().ResolveAggregate(call.name, types, call.distinct);
      if (!call.aggregate->decomposable() || call.distinct) {
        throw NotImplementedError(
            fmt::format("{}(DISTINCT ...) OVER (...) is not supported yet", call.name));
      }
      call.type = call.aggregate->result_type();
      return;
    }
  }
}

}  // namespace sluice
