#pragma once

#include "expr/expr.h"
#include "ml/model.h"

namespace sluice::ml {

// A bound expression scoring `model` on feature expressions `features` (bound, one per
// model feature, in order): a DOUBLE, the positive class's probability for a classifier,
// the predicted value for a regressor. Vectorized: each batch becomes one DMatrix. Named
// `ml_score(model, ...)` in EXPLAIN.
ExprPtr ScoreExpr(ModelPtr model, std::vector<ExprPtr> features);

}  // namespace sluice::ml
