// Avro schemas: parsed with every attribute kept (Iceberg's field ids), written back equal,
// and malformed ones refused with the place and the cause.
#include <gtest/gtest.h>

#include "avro/avro_schema.h"
#include "common/error.h"

namespace sluice::avro {
namespace {

const char* kManifestEntry = R"({
  "type": "record", "name": "manifest_entry", "fields": [
    {"name": "status", "type": "int", "field-id": 0},
    {"name": "snapshot_id", "type": ["null", "long"], "default": null, "field-id": 1},
    {"name": "data_file", "type": {"type": "record", "name": "r2", "fields": [
      {"name": "file_path", "type": "string", "doc": "Location URI", "field-id": 100},
      {"name": "split_offsets", "type": ["null", {"type": "array", "items": "long",
        "element-id": 133}], "default": null, "field-id": 132},
      {"name": "lower_bounds", "type": ["null", {"type": "array", "logicalType": "map",
        "items": {"type": "record", "name": "k126_v127", "fields": [
          {"name": "key", "type": "int", "field-id": 126},
          {"name": "value", "type": "bytes", "field-id": 127}]}}], "default": null,
        "field-id": 125}]}, "field-id": 2}]})";

TEST(AvroSchemaTest, KeepsIcebergAttributes) {
  SchemaPtr s = ParseSchema(std::string(kManifestEntry), "manifest");
  ASSERT_EQ(s->type, AvroType::kRecord);
  EXPECT_EQ(s->name, "manifest_entry");
  ASSERT_EQ(s->fields.size(), 3u);
  EXPECT_EQ(s->fields[0].IntAttribute("field-id"), 0);
  EXPECT_EQ(s->fields[1].IntAttribute("field-id"), 1);
  EXPECT_TRUE(s->fields[1].default_value.has_value());
  const Schema& data_file = *s->fields[2].type;
  EXPECT_EQ(data_file.fields[0].doc, "Location URI");
  const Schema& split = *data_file.fields[1].type;
  ASSERT_EQ(split.type, AvroType::kUnion);
  EXPECT_EQ(split.NullBranch(), 0);
  EXPECT_EQ(split.branches[1]->IntAttribute("element-id"), 133);
  const Schema& bounds = *data_file.fields[2].type->branches[1];
  EXPECT_EQ(bounds.logical_type, "map");
  EXPECT_EQ(bounds.items->fields[1].IntAttribute("field-id"), 127);
}

TEST(AvroSchemaTest, WritesBackWhatItRead) {
  SchemaPtr s = ParseSchema(std::string(kManifestEntry), "manifest");
  const std::string written = SchemaToJson(*s).dump();
  SchemaPtr again = ParseSchema(written, "written");
  EXPECT_EQ(SchemaToJson(*again).dump(), written);
  EXPECT_NE(written.find("\"element-id\":133"), std::string::npos) << written;
  EXPECT_NE(written.find("\"field-id\":127"), std::string::npos) << written;
}

TEST(AvroSchemaTest, NamedTypesAreWrittenOnceThenReferenced) {
  SchemaPtr point = Record("geo.point", {MakeField("x", Primitive(AvroType::kDouble))});
  SchemaPtr s = Record("line", {MakeField("a", point, 1), MakeField("b", point, 2)});
  const std::string json = SchemaToJson(*s).dump();
  EXPECT_NE(json.find("\"type\":\"geo.point\""), std::string::npos) << json;
  SchemaPtr parsed = ParseSchema(json, "line");
  EXPECT_EQ(parsed->fields[0].type, parsed->fields[1].type);  // one shared node
}

TEST(AvroSchemaTest, NamespacesQualifyNames) {
  SchemaPtr s = ParseSchema(std::string(R"({"type":"record","name":"a","namespace":"n","fields":[
      {"name":"f","type":{"type":"fixed","name":"md5","size":16}},
      {"name":"g","type":"n.md5"}, {"name":"h","type":"md5"}]})"), "ns");
  EXPECT_EQ(s->name, "n.a");
  EXPECT_EQ(s->fields[0].type->name, "n.md5");
  EXPECT_EQ(s->fields[1].type, s->fields[0].type);
  EXPECT_EQ(s->fields[2].type, s->fields[0].type);
}

std::string ErrorOf(const std::string& json) {
  try {
    ParseSchema(json, "bad.avsc");
  } catch (const InvalidInputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(AvroSchemaTest, RefusesMalformedSchemasSayingWhy) {
  EXPECT_NE(ErrorOf("{").find("bad.avsc: the Avro schema is not valid JSON"), std::string::npos);
  EXPECT_NE(ErrorOf(R"("nosuch")").find("unknown type \"nosuch\""), std::string::npos);
  EXPECT_NE(ErrorOf(R"({"type":"record","name":"r"})").find("has no \"fields\""), std::string::npos);
  EXPECT_NE(ErrorOf(R"({"type":"record","name":"r","fields":[{"name":"a","type":"int"},{"name":"a","type":"long"}]})")
                .find("two fields named a"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"type":"record","name":"r","fields":[{"name":"next","type":["null","r"]}]})")
                .find("refers to itself"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"([["int"],"long"])").find("union may not directly hold another union"), std::string::npos);
}

}  // namespace
}  // namespace sluice::avro
