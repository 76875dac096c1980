#include "ml/score_kernel.h"

#include "ml/feature_encoder.h"

namespace sluice::ml {

namespace {

// The classes as values of the label's type, in class order.
std::vector<Value> ClassValues(const Model& model) {
  std::vector<Value> out;
  for (const std::string& c : model.classes) {
    out.push_back(Value::Varchar(c).CastTo(model.label_type));
  }
  return out;
}

}  // namespace

LogicalType ClassProbabilitiesType(const Model& model) {
  return LogicalType::List(LogicalType::Struct(
      {StructField{"label", model.label_type}, StructField{"prob", LogicalType(TypeId::kDouble)}}));
}

ExprPtr ScoreExpr(ModelPtr model, std::vector<ExprPtr> features) {
  auto encoder = std::make_shared<const FeatureEncoder>(model->features);
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kCall;
  e->name = "ml_score";
  e->args = std::move(features);
  e->bound = true;
  if (!model->multiclass()) {
    e->type = LogicalType(TypeId::kDouble);
    e->kernel = [model, encoder](const std::vector<ColumnPtr>& args, size_t num_rows) {
      std::vector<float> matrix(num_rows * encoder->width());
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
  e->type = ClassProbabilitiesType(*model);
  const LogicalType type = e->type;
  const std::vector<Value> classes = ClassValues(*model);
  e->kernel = [model, encoder, type, classes](const std::vector<ColumnPtr>& args,
                                               size_t num_rows) {
    std::vector<float> matrix(num_rows * encoder->width());
    encoder->Encode(args, num_rows, 0, matrix);
    const std::vector<double> scores = model->Score(matrix, num_rows);
    const size_t k = classes.size();
    auto elements = Column::Make(type.ListChild(), num_rows * k);
    Column& labels = elements->mutable_child(0);
    double* probs = elements->mutable_child(1).data<double>();
    for (size_t i = 0; i < num_rows * k; i++) {
      labels.SetValue(i, classes[i % k]);
      probs[i] = scores[i];
    }
    elements->set_size(num_rows * k);
    auto out = Column::Make(type, num_rows);
    out->set_child(0, std::move(elements));
    ListEntry* entries = out->list_entries();
    for (size_t r = 0; r < num_rows; r++) entries[r] = ListEntry{r * k, k};
    out->set_size(num_rows);
    return ColumnPtr(out);
  };
  return e;
}

ExprPtr TopClassExpr(ModelPtr model, ExprPtr probabilities) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kCall;
  e->name = "ml_top_class";
  e->type = model->label_type;
  e->args = {std::move(probabilities)};
  e->bound = true;
  const LogicalType type = model->label_type;
  e->kernel = [type](const std::vector<ColumnPtr>& args, size_t num_rows) {
    const ColumnPtr lists = args[0]->Flatten(args[0]);
    const Column& elements = lists->child(0);
    const double* probs = elements.child(1).data<double>();
    const ListEntry* entries = lists->list_entries();
    std::vector<uint32_t> pick(num_rows);
    std::vector<bool> null(num_rows, false);
    for (size_t r = 0; r < num_rows; r++) {
      const ListEntry entry = entries[r];
      if (lists->IsNull(r) || entry.length == 0) {
        null[r] = true;
        continue;
      }
      uint64_t best = entry.offset;
      for (uint64_t i = entry.offset + 1; i < entry.offset + entry.length; i++) {
        if (probs[i] > probs[best]) best = i;
      }
      pick[r] = static_cast<uint32_t>(best);
    }
    std::shared_ptr<Column> out = elements.child(0).Gather(pick.data(), num_rows);
    for (size_t r = 0; r < num_rows; r++) {
      if (null[r]) out->SetNull(r);
    }
    return ColumnPtr(out);
  };
  return e;
}

}  // namespace sluice::ml
