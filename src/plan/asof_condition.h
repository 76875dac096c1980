#pragma once

#include <string>
#include <vector>

#include "expr/expr.h"

namespace sluice {

// The inequality of an ASOF join, read as `left_time OP right_time`.
enum class AsofInequality { kGreaterEqual, kGreater, kLessEqual, kLess };

// ">=", ">", "<=", "<".
const char* AsofInequalityName(AsofInequality op);

// An ASOF join condition taken apart: equalities between the sides (the keys, in order) and
// the one inequality. Left expressions are bound over the left input's schema, right ones
// over the right input's (columns shifted down by the left width).
struct AsofCondition {
  std::vector<ExprPtr> left_keys;
  std::vector<ExprPtr> right_keys;
  ExprPtr left_time;
  ExprPtr right_time;
  AsofInequality op = AsofInequality::kGreaterEqual;
};

// Splits `predicate` (bound over left ++ right, `nleft` left columns). Each conjunct must
// compare an expression of the left input with one of the right input: `=` makes a key,
// and exactly one of >=, >, <=, < is the inequality (either operand order). Throws
// BindError otherwise, as DuckDB does ("Missing ASOF JOIN inequality", ...).
AsofCondition SplitAsofCondition(const ExprPtr& predicate, int nleft);

}  // namespace sluice
