// Iceberg schemas in the JSON of table metadata, and their mapping to Sluice's types.
#include <gtest/gtest.h>

#include "common/error.h"
#include "iceberg/iceberg_type.h"

namespace sluice::iceberg {
namespace {

// A schema in the spec's JSON form, with every kind of nesting.
const char* kSchema = R"J({"type":"struct","schema-id":3,"identifier-field-ids":[1],"fields":[
  {"id":1,"name":"id","required":true,"type":"long"},
  {"id":2,"name":"price","required":false,"type":"decimal(9, 2)","doc":"in euros"},
  {"id":3,"name":"tags","required":false,"type":{"type":"list","element-id":5,"element":"string","element-required":false}},
  {"id":4,"name":"props","required":false,"type":{"type":"map","key-id":6,"key":"string","value-id":7,"value":{"type":"struct","fields":[
     {"id":8,"name":"x","required":true,"type":"fixed[16]"}]},"value-required":true}}]})J";

TEST(IcebergTypeTest, SchemaJsonRoundTrips) {
  const auto json = nlohmann::ordered_json::parse(kSchema);
  IcebergSchema s = SchemaFromJson(json, "v1.metadata.json");
  EXPECT_EQ(s.schema_id, 3);
  ASSERT_EQ(s.fields.size(), 4u);
  EXPECT_EQ(s.fields[1].type->kind, TypeKind::kDecimal);
  EXPECT_EQ(s.fields[1].doc, "in euros");
  EXPECT_EQ(s.HighestFieldId(), 8);
  ASSERT_NE(s.FindField(8), nullptr);
  EXPECT_EQ(s.FindField(8)->type->length, 16);
  EXPECT_EQ(s.FindField(5)->type->kind, TypeKind::kString);
  EXPECT_EQ(SchemaToJson(s), json);  // "decimal(9, 2)": the spacing Iceberg Java writes
  EXPECT_EQ(TypeFromJson("decimal(9,2)", "m")->scale, 2);
}

TEST(IcebergTypeTest, DuplicateIdsAndUnknownTypesAreRefused) {
  auto dup = nlohmann::ordered_json::parse(
      R"({"type":"struct","fields":[{"id":1,"name":"a","required":true,"type":"int"},{"id":1,"name":"b","required":true,"type":"int"}]})");
  EXPECT_THROW(SchemaFromJson(dup, "m"), InvalidInputError);
  auto unknown = nlohmann::ordered_json::parse(
      R"({"type":"struct","fields":[{"id":1,"name":"a","required":true,"type":"int128"}]})");
  try {
    SchemaFromJson(unknown, "v2.metadata.json");
    FAIL() << "no error";
  } catch (const InvalidInputError& e) {
    EXPECT_NE(std::string(e.what()).find("v2.metadata.json: invalid Iceberg schema: unknown type \"int128\""),
              std::string::npos)
        << e.what();
  }
}

TEST(IcebergTypeTest, SluiceSchemasGetIdsInColumnOrder) {
  Schema sluice({Field{"k", LogicalType(TypeId::kSmallInt), false, ""},
                 Field{"amount", LogicalType::Decimal(15, 2), true, ""},
                 Field{"day", LogicalType(TypeId::kDate), true, ""}});
  IcebergSchema s = FromSluiceSchema(sluice);
  ASSERT_EQ(s.fields.size(), 3u);
  EXPECT_EQ(s.fields[0].id, 1);
  EXPECT_TRUE(s.fields[0].required);
  EXPECT_EQ(s.fields[0].type->kind, TypeKind::kInt);  // widened: Iceberg has no SMALLINT
  EXPECT_EQ(s.fields[1].type->ToString(), "decimal(15, 2)");
  Schema back = ToSluiceSchema(s);
  EXPECT_EQ(back.field(0).type.id(), TypeId::kInteger);
  EXPECT_TRUE(back.field(1).type == LogicalType::Decimal(15, 2));
  EXPECT_TRUE(back.field(2).nullable);
}

// A MAP column becomes an Iceberg map with a required key: the key's id, the value's id,
// then the ids beneath them (creating one used to recurse without end).
TEST(IcebergTypeTest, SluiceMapsBecomeIcebergMaps) {
  const LogicalType map = LogicalType::Map(TypeId::kVarchar, LogicalType::List(TypeId::kInteger));
  IcebergSchema s = FromSluiceSchema(Schema({Field{"id", TypeId::kBigInt, true, ""},
                                             Field{"m", map, true, ""}}));
  const Type& t = *s.fields[1].type;
  ASSERT_EQ(t.kind, TypeKind::kMap);
  ASSERT_EQ(t.children.size(), 2u);
  EXPECT_EQ(t.children[0].id, 3);
  EXPECT_TRUE(t.children[0].required);
  EXPECT_EQ(t.children[1].id, 4);
  EXPECT_EQ(t.children[1].type->children.at(0).id, 5);
  EXPECT_EQ(SchemaToJson(s)["fields"][1]["type"]["type"], "map");
  EXPECT_TRUE(ToSluiceSchema(s).field(1).type == map);
}

TEST(IcebergTypeTest, TypesSluiceCannotHoldNameTheColumn) {
  try {
    ToLogicalType(*PrimitiveType(TypeKind::kUuid), "session_id");
    FAIL() << "no error";
  } catch (const NotImplementedError& e) {
    EXPECT_NE(std::string(e.what()).find("column session_id has Iceberg type uuid"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace sluice::iceberg
