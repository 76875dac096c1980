// Manifests and manifest lists: written in Avro with the spec's field ids, read back with
// sequence-number inheritance, and read by Debian's python3-avro as an independent check.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "iceberg/manifest.h"
#include "iceberg/single_value.h"

namespace sluice::iceberg {
namespace {

IcebergSchema EventsSchema() {
  return FromSluiceSchema(Schema({Field{"id", LogicalType(TypeId::kBigInt), false, ""},
                                  Field{"ts", LogicalType(TypeId::kTimestamp), true, ""},
                                  Field{"country", LogicalType(TypeId::kVarchar), true, ""},
                                  Field{"amount", LogicalType::Decimal(12, 2), true, ""}}));
}

PartitionSpec DayAndBucket() {
  PartitionSpec spec;
  spec.spec_id = 1;
  spec.fields = {PartitionField{2, 1000, "ts_day", Transform::Parse("day")},
                 PartitionField{3, 1001, "country_bucket", Transform::Bucket(8)},
                 PartitionField{4, 1002, "amount_trunc", Transform::Truncate(100)}};
  return spec;
}

DataFile File(int n) {
  DataFile f;
  f.file_path = "s3://lake/events/data/part-" + std::to_string(n) + ".parquet";
  f.partition = {Value::Date(19000 + n), n == 2 ? Value::Null(TypeId::kInteger) : Value::Integer(n % 8),
                 Value::Decimal(100 * n - 300, 12, 2)};
  f.record_count = 1000 * (n + 1);
  f.file_size_in_bytes = 4096 * (n + 1);
  f.value_counts = {{1, f.record_count}, {2, f.record_count}};
  f.null_value_counts = {{2, n}};
  f.lower_bounds = {{1, SerializeValue(*PrimitiveType(TypeKind::kLong), Value::BigInt(n * 10))}};
  f.upper_bounds = {{1, SerializeValue(*PrimitiveType(TypeKind::kLong), Value::BigInt(n * 10 + 9))}};
  f.split_offsets = {4};
  return f;
}

TEST(IcebergManifestTest, EntriesRoundTripAndInheritSequenceNumbers) {
  const IcebergSchema schema = EventsSchema();
  const PartitionSpec spec = DayAndBucket();
  std::vector<ManifestEntry> entries;
  for (int n = 0; n < 4; n++) {
    ManifestEntry e;
    e.status = n == 3 ? EntryStatus::kExisting : EntryStatus::kAdded;
    if (n == 3) {
      e.snapshot_id = 11;
      e.sequence_number = 2;
      e.file_sequence_number = 2;
    }
    e.data_file = File(n);
    entries.push_back(e);
  }
  ManifestFile summary;
  const std::string bytes = WriteManifest({&schema, &spec, 77, 5}, false, entries, &summary);
  EXPECT_EQ(summary.added_files_count, 3);
  EXPECT_EQ(summary.existing_files_count, 1);
  EXPECT_EQ(summary.added_rows_count, 1000 + 2000 + 3000);
  EXPECT_EQ(summary.existing_rows_count, 4000);
  EXPECT_EQ(summary.min_sequence_number, 2);
  ASSERT_EQ(summary.partitions.size(), 3u);
  EXPECT_FALSE(summary.partitions[0].contains_null);
  EXPECT_TRUE(summary.partitions[1].contains_null);
  EXPECT_EQ(DeserializeValue(*PrimitiveType(TypeKind::kDate), *summary.partitions[0].lower_bound, "t").GetInt(), 19000);
  EXPECT_EQ(DeserializeValue(*PrimitiveType(TypeKind::kDate), *summary.partitions[0].upper_bound, "t").GetInt(), 19003);
  EXPECT_EQ(DeserializeValue(*DecimalType(12, 2), *summary.partitions[2].lower_bound, "t").ToString(), "-3.00");

  summary.manifest_path = "m.avro";
  summary.manifest_length = static_cast<int64_t>(bytes.size());
  const std::vector<ManifestEntry> back = ReadManifest(bytes, "m.avro", summary, schema, spec);
  ASSERT_EQ(back.size(), 4u);
  for (int n = 0; n < 4; n++) {
    const DataFile& f = back[n].data_file;
    EXPECT_EQ(f.file_path, File(n).file_path);
    EXPECT_EQ(f.record_count, File(n).record_count);
    ASSERT_EQ(f.partition.size(), 3u);
    EXPECT_EQ(f.partition[0].GetInt(), 19000 + n);
    EXPECT_EQ(f.partition[1].is_null(), n == 2);
    EXPECT_EQ(f.partition[2].ToString(), File(n).partition[2].ToString());
    EXPECT_EQ(f.null_value_counts.at(2), n);
    EXPECT_EQ(f.lower_bounds.at(1), File(n).lower_bounds.at(1));
    EXPECT_EQ(f.split_offsets, std::vector<int64_t>{4});
  }
  // Added entries inherit the snapshot and sequence number of the manifest-list entry.
  EXPECT_EQ(back[0].snapshot_id, 77);
  EXPECT_EQ(back[0].sequence_number, 5);
  EXPECT_EQ(back[0].file_sequence_number, 5);
  EXPECT_EQ(back[3].snapshot_id, 11);
  EXPECT_EQ(back[3].sequence_number, 2);
}

TEST(IcebergManifestTest, ManifestListRoundTrips) {
  ManifestFile a;
  a.manifest_path = "s3://lake/events/metadata/a-m0.avro";
  a.manifest_length = 1234;
  a.partition_spec_id = 1;
  a.sequence_number = 5;
  a.min_sequence_number = 2;
  a.added_snapshot_id = 77;
  a.added_files_count = 3;
  a.added_rows_count = 6000;
  a.partitions = {FieldSummary{true, std::nullopt, std::string("\x01\0\0\0", 4), std::string("\x07\0\0\0", 4)}};
  ManifestFile b = a;
  b.manifest_path = "s3://lake/events/metadata/b-m0.avro";
  b.deletes = true;
  b.partitions.clear();
  const std::string bytes = WriteManifestList(77, 76, 5, {a, b});
  const std::vector<ManifestFile> back = ReadManifestList(bytes, "snap.avro");
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].manifest_path, a.manifest_path);
  EXPECT_EQ(back[0].manifest_length, 1234);
  EXPECT_EQ(back[0].min_sequence_number, 2);
  EXPECT_EQ(back[0].added_rows_count, 6000);
  ASSERT_EQ(back[0].partitions.size(), 1u);
  EXPECT_TRUE(back[0].partitions[0].contains_null);
  EXPECT_EQ(back[0].partitions[0].upper_bound, a.partitions[0].upper_bound);
  EXPECT_TRUE(back[1].deletes);
  EXPECT_TRUE(back[1].partitions.empty());
}

TEST(IcebergManifestTest, AManifestIsNotAManifestList) {
  const IcebergSchema schema = EventsSchema();
  PartitionSpec spec;
  ManifestFile summary;
  const std::string manifest = WriteManifest({&schema, &spec, 1, 1}, false, {}, &summary);
  try {
    ReadManifestList(manifest, "wrong.avro");
    FAIL() << "no error";
  } catch (const InvalidInputError& e) {
    EXPECT_NE(std::string(e.what()).find("wrong.avro: not a manifest list"), std::string::npos) << e.what();
  }
}

std::string RunPython(const std::string& args) {
  const std::string cmd = "/usr/bin/python3 " + std::string(SLUICE_ICEBERG_TEST_DIR) + "/check_avro_ids.py " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  EXPECT_EQ(pclose(p), 0) << cmd << "\n" << out;
  return out;
}

TEST(IcebergManifestTest, PythonAvroFindsEveryRequiredFieldId) {
  const IcebergSchema schema = EventsSchema();
  const PartitionSpec spec = DayAndBucket();
  std::vector<ManifestEntry> entries(2);
  entries[0].data_file = File(0);
  entries[1].data_file = File(1);
  ManifestFile summary;
  const auto dir = std::filesystem::temp_directory_path() / ("sluice-iceberg-test-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "m.avro", std::ios::binary) << WriteManifest({&schema, &spec, 9, 1}, false, entries, &summary);
  summary.manifest_path = (dir / "m.avro").string();
  std::ofstream(dir / "snap.avro", std::ios::binary) << WriteManifestList(9, std::nullopt, 1, {summary});
  const std::string m = RunPython("manifest " + (dir / "m.avro").string());
  EXPECT_NE(m.find("records 2"), std::string::npos) << m;
  EXPECT_NE(m.find("all field ids present"), std::string::npos) << m;
  EXPECT_NE(m.find("part-1.parquet 2000"), std::string::npos) << m;
  const std::string l = RunPython("list " + (dir / "snap.avro").string());
  EXPECT_NE(l.find("records 1"), std::string::npos) << l;
  EXPECT_NE(l.find("all field ids present"), std::string::npos) << l;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sluice::iceberg
