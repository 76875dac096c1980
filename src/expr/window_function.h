#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "expr/expr.h"

namespace sluice {

// The window functions a kWindow expression can call. Any aggregate function of the
// registry can also be called over a window (kAggregate).
enum class WindowFunctionKind {
  kRowNumber,
  kRank,
  kDenseRank,
  kPercentRank,
  kCumeDist,
  kNtile,       // ntile(buckets)
  kLag,         // lag(x [, offset [, default]])
  kLead,        // lead(x [, offset [, default]])
  kFirstValue,  // first_value(x), over the frame
  kLastValue,   // last_value(x)
  kNthValue,    // nth_value(x, n), 1-based within the frame
  kAggregate,   // sum, count, avg, min, max, ... over the frame
};

// The kind of a (lower-case) window function name, or nullopt for a name that is neither a
// window function nor an aggregate.
std::optional<WindowFunctionKind> WindowFunctionKindOf(const std::string& name);

// True for functions whose value depends on the frame (value functions and aggregates);
// ranking functions and lag/lead ignore it.
bool UsesFrame(WindowFunctionKind kind);

// Completes the binding of a window call whose arguments are bound: checks the argument
// count, adds casts (lag/lead's default to the value's type, offsets to BIGINT), sets
// `type` and, for aggregates, `aggregate`. Throws BindError.
void ResolveWindowFunction(Expr& call);

}  // namespace sluice
