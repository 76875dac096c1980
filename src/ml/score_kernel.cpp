#include "ml/score_kernel.h"

#include "ml/feature_encoder.h"

namespace sluice::ml {

ExprPtr ScoreExpr(ModelPtr model, std::vector<ExprPtr> features) {
  auto encoder = std::make_shared<const FeatureEncoder>(model->features);
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kCall;
  e->name = "ml_score";
  e->type = LogicalType(TypeId::kDouble);
  e->args = std::move(features);
  e->bound = true;
  e->kernel = [model, encoder](const std::vector<ColumnPtr>& args, size_t num_rows) {
    std::vector<float> matrix(num_rows * model->features.size());
    encoder->Encode(args, num_rows, 0, matrix);
    const std::vector<double> scores = model->Score(matrix, num_rows);
    auto out = Column::Make(LogicalType(TypeId::kDouble), num_rows);
    double* data = out->data<double>();
    for (size_t i = 0; i < num_rows; i++) data[i] = scores[i];
    out->set_size(num_rows);
    return ColumnPtr(out);
  };
  return e;
}

}  // namespace sluice::ml
