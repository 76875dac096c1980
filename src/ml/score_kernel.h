#pragma once

#include "expr/expr.h"
#include "ml/model.h"

namespace sluice::ml {

// A bound expression scoring `model` on feature expressions `features` (bound, one per
// model feature, in order): a DOUBLE, the positive class's probability for a binary
// classifier, the predicted value for a regressor; for a multiclass classifier
// LIST(STRUCT(label <label type>, prob DOUBLE)), one entry per class in the model's class
// order (BigQuery ML's predicted_<label>_probs). Vectorized: each batch becomes one DMatrix.
// Named `ml_score(model, ...)` in EXPLAIN.
ExprPtr ScoreExpr(ModelPtr model, std::vector<ExprPtr> features);

// The type of a multiclass model's scores: LIST(STRUCT(label, prob)).
LogicalType ClassProbabilitiesType(const Model& model);

// A bound expression picking the class of highest probability (ties: the first in class
// order) from `probabilities`, a multiclass ScoreExpr: of the label's type. Named
// `ml_top_class` in EXPLAIN.
ExprPtr TopClassExpr(ModelPtr model, ExprPtr probabilities);

}  // namespace sluice::ml
