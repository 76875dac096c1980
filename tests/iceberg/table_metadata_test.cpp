// Table metadata files: written with every field the v2 spec requires, read back equal, and
// files that lack a required field or point at nothing refused with the field named.
#include <gtest/gtest.h>

#include <set>

#include "common/error.h"
#include "common/uuid.h"
#include "iceberg/table_metadata.h"

namespace sluice::iceberg {
namespace {

TableMetadata Sample() {
  IcebergSchema schema = FromSluiceSchema(Schema({Field{"id", LogicalType(TypeId::kBigInt), false, ""},
                                                  Field{"ts", LogicalType(TypeId::kTimestamp), true, ""}}));
  PartitionSpec spec;
  spec.fields = {PartitionField{2, 1000, "ts_day", Transform::Parse("day")}};
  SortOrder order{1, {SortField{Transform::Identity(), 1, true, true}}};
  TableMetadata m = NewTableMetadata(schema, spec, order, "/wh/db/events", NewUuid(), {{"owner", "sluice"}}, 1700000000000);
  Snapshot s;
  s.snapshot_id = 42;
  s.sequence_number = 1;
  s.timestamp_ms = 1700000001000;
  s.manifest_list = "/wh/db/events/metadata/snap-42.avro";
  s.summary = {{"operation", "append"}, {"added-data-files", "3"}};
  s.schema_id = 0;
  m.snapshots.push_back(s);
  m.current_snapshot_id = 42;
  m.refs["main"] = SnapshotRef{42};
  m.refs["v1"] = SnapshotRef{42, true};
  m.last_sequence_number = 1;
  m.snapshot_log.push_back({42, 1700000001000});
  m.metadata_log.push_back({"/wh/db/events/metadata/v1.metadata.json", 1700000000000});
  return m;
}

TEST(IcebergMetadataTest, RoundTripsWithEveryRequiredField) {
  const TableMetadata m = Sample();
  const nlohmann::ordered_json j = MetadataToJson(m);
  for (const char* key : {"format-version", "table-uuid", "location", "last-sequence-number", "last-updated-ms",
                          "last-column-id", "schemas", "current-schema-id", "partition-specs", "default-spec-id",
                          "last-partition-id", "sort-orders", "default-sort-order-id"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["format-version"], 2);
  EXPECT_EQ(j["last-partition-id"], 1000);
  EXPECT_EQ(j["refs"]["main"]["type"], "branch");
  EXPECT_EQ(j["refs"]["v1"]["type"], "tag");
  const TableMetadata back = MetadataFromJson(j.dump(), "v2.metadata.json");
  EXPECT_EQ(MetadataToJson(back), j);
  ASSERT_NE(back.current_snapshot(), nullptr);
  EXPECT_EQ(back.current_snapshot()->summary.at("added-data-files"), "3");
  EXPECT_EQ(back.default_spec().fields[0].transform.ToString(), "day");
  EXPECT_EQ(back.current_schema().fields[1].name, "ts");
  EXPECT_EQ(back.property("owner"), "sluice");
}

TEST(IcebergMetadataTest, UuidsAreVersionFourAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; i++) {
    const std::string u = NewUuid();
    ASSERT_EQ(u.size(), 36u);
    EXPECT_EQ(u[14], '4');
    EXPECT_TRUE(seen.insert(u).second);
  }
}

std::string ErrorOf(nlohmann::ordered_json j) {
  try {
    MetadataFromJson(j.dump(), "v9.metadata.json");
  } catch (const InvalidInputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(IcebergMetadataTest, RefusesWhatTheSpecForbids) {
  auto j = MetadataToJson(Sample());
  auto without = [&](const char* key) {
    auto copy = j;
    copy.erase(key);
    return ErrorOf(copy);
  };
  EXPECT_NE(without("table-uuid").find("v9.metadata.json: invalid Iceberg table metadata: the metadata has no \"table-uuid\""),
            std::string::npos);
  EXPECT_NE(without("last-sequence-number").find("no \"last-sequence-number\""), std::string::npos);
  EXPECT_NE(without("sort-orders").find("no \"sort-orders\""), std::string::npos);
  auto bad_ref = j;
  bad_ref["refs"]["main"]["snapshot-id"] = 7;
  EXPECT_NE(ErrorOf(bad_ref).find("ref main points at snapshot 7"), std::string::npos) << ErrorOf(bad_ref);
  auto bad_schema = j;
  bad_schema["current-schema-id"] = 3;
  EXPECT_NE(ErrorOf(bad_schema).find("current-schema-id 3 names no schema"), std::string::npos);
  auto future = j;
  future["format-version"] = 3;
  EXPECT_NE(ErrorOf(future).find("format-version 3 is not supported"), std::string::npos);
  EXPECT_NE(ErrorOf(nlohmann::ordered_json::array()).find("the metadata is not an object"), std::string::npos);
}

TEST(IcebergMetadataTest, ReadsVersionOneMetadata) {
  const char* v1 = R"J({"format-version":1,"table-uuid":"d20125c8-7284-442c-9aea-15fee620737c",
    "location":"s3://bucket/test/location","last-updated-ms":1602638573874,"last-column-id":3,
    "schema":{"type":"struct","fields":[{"id":1,"name":"x","required":true,"type":"long"},
      {"id":2,"name":"y","required":true,"type":"long","doc":"comment"},
      {"id":3,"name":"z","required":true,"type":"long"}]},
    "partition-spec":[{"name":"x","transform":"identity","source-id":1,"field-id":1000}],
    "properties":{},"current-snapshot-id":-1,"snapshots":[]})J";
  const TableMetadata m = MetadataFromJson(v1, "v1.json");
  EXPECT_EQ(m.format_version, 1);
  EXPECT_EQ(m.current_schema().fields.size(), 3u);
  EXPECT_EQ(m.default_spec().fields[0].field_id, 1000);
  EXPECT_EQ(m.current_snapshot(), nullptr);
}

}  // namespace
}  // namespace sluice::iceberg
