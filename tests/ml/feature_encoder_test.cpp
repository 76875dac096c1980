#include "ml/feature_encoder.h"

#include <gtest/gtest.h>

#include <cmath>

namespace sluice::ml {
namespace {

ColumnPtr MakeColumn(const LogicalType& type, const std::vector<Value>& values) {
  auto c = Column::Make(type, values.size());
  for (size_t i = 0; i < values.size(); i++) c->SetValue(i, values[i]);
  c->set_size(values.size());
  return c;
}

std::vector<Feature> Features() {
  const LogicalType varchar(TypeId::kVarchar);
  return {Feature{"x", LogicalType(TypeId::kDouble), {}, CategoryEncoding::kOrdinal},
          Feature{"color", varchar, {"blue", "green", "red"}, CategoryEncoding::kOneHot},
          Feature{"shade", varchar, {"dark", "light"}, CategoryEncoding::kOrdinal},
          Feature{"size", varchar, {"L", "M", "S"}, CategoryEncoding::kDummy}};
}

// One-hot: a 0/1 column per category, unseen values and NULL all zeros. Ordinal: the code,
// unseen values and NULL missing (NaN). Dummy: one-hot without the first category (L), which
// is all zeros.
TEST(FeatureEncoderTest, OneHotDummyAndOrdinal) {
  const std::vector<Feature> features = Features();
  FeatureEncoder encoder(features);
  ASSERT_EQ(encoder.width(), 7u);
  const LogicalType varchar(TypeId::kVarchar);
  const std::vector<ColumnPtr> columns = {
      MakeColumn(LogicalType(TypeId::kDouble),
                 {Value::Double(1.5), Value::Null(TypeId::kDouble), Value::Double(2)}),
      MakeColumn(varchar, {Value::Varchar("green"), Value::Varchar("purple"),
                           Value::Null(TypeId::kVarchar)}),
      MakeColumn(varchar, {Value::Varchar("light"), Value::Varchar("unknown"),
                           Value::Null(TypeId::kVarchar)}),
      MakeColumn(varchar, {Value::Varchar("M"), Value::Varchar("L"), Value::Varchar("S")})};
  std::vector<float> out(3 * 7, -1.0f);
  encoder.Encode(columns, 3, 0, out);
  const float nan = std::nanf("");
  const std::vector<float> expected = {1.5f, 0, 1, 0, 1,   1, 0,   //
                                       nan,  0, 0, 0, nan, 0, 0,   //
                                       2.0f, 0, 0, 0, nan, 0, 1};
  for (size_t i = 0; i < expected.size(); i++) {
    if (std::isnan(expected[i])) {
      EXPECT_TRUE(std::isnan(out[i])) << "value " << i;
    } else {
      EXPECT_EQ(out[i], expected[i]) << "value " << i;
    }
  }
}

TEST(FeatureEncoderTest, ModelRecordsTheEncodings) {
  Model model;
  model.name = "m";
  model.kind = Model::Kind::kClassifier;
  model.label = "c";
  model.label_type = LogicalType(TypeId::kVarchar);
  model.classes = {"a", "b", "c"};
  model.features = Features();
  EXPECT_TRUE(model.multiclass());
  EXPECT_EQ(model.outputs(), 3u);
  EXPECT_EQ(model.input_width(), 7u);
  EXPECT_EQ(model.InputNames(), (std::vector<std::string>{"x", "color=blue", "color=green",
                                                          "color=red", "shade", "size=M",
                                                          "size=S"}));
  // The metadata keeps each feature's encoding and categories.
  const std::unique_ptr<Model> back = Model::FromJson(model.MetadataJson(), "");
  ASSERT_EQ(back->features.size(), 4u);
  EXPECT_EQ(back->features[0].encoding, CategoryEncoding::kOrdinal);
  EXPECT_EQ(back->features[1].encoding, CategoryEncoding::kOneHot);
  EXPECT_EQ(back->features[2].encoding, CategoryEncoding::kOrdinal);
  EXPECT_EQ(back->features[3].encoding, CategoryEncoding::kDummy);
  EXPECT_EQ(back->features[1].categories, model.features[1].categories);
  EXPECT_EQ(back->classes, model.classes);
  EXPECT_EQ(back->input_width(), 7u);
}

}  // namespace
}  // namespace sluice::ml
