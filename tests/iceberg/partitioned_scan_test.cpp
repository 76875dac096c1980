// iceberg_scan over a hand-made table partitioned as another engine leaves one: spec 0 is
// day(ts), bucket(4, id) with partition field ids 1000 and 1001, one manifest per day with
// the manifest list's partition summaries, and data files named without any Sluice
// convention. The scan reads the partition values the manifests hold (never recomputing
// them) and prunes manifests by their summaries, then files by their values.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "api/session.h"
#include "api/sql_runner.h"
#include "common/uuid.h"
#include "iceberg/manifest.h"
#include "iceberg/transform.h"
#include "io/parquet_writer.h"
#include "tests/support/sql_rows.h"

namespace sluice::iceberg {
namespace {

namespace fs = std::filesystem;
using test_support::MakeBatch;
using test_support::Row;

constexpr int32_t kJan1 = 19723;  // 2024-01-01 as days since 1970-01-01
constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000000;

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

class PartitionedScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sluice-partitioned-scan-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "data");
    fs::create_directories(dir_ / "metadata");
    IcebergSchema schema;
    schema.fields = {{1, "ts", false, PrimitiveType(TypeKind::kTimestamp), ""},
                     {2, "id", false, PrimitiveType(TypeKind::kLong), ""}};
    PartitionSpec spec;
    spec.fields = {{1, 1000, "ts_day", Transform::Parse("day")},
                   {2, 1001, "id_bucket", Transform::Parse("bucket[4]")}};
    TableMetadata m = NewTableMetadata(schema, spec, SortOrder{}, dir_.string(), NewUuid(), {}, 1000);
    const Transform bucket = Transform::Parse("bucket[4]");
    // Day d (0, 1, 2 after 2024-01-01) holds ids d*10 .. d*10+9 and 34, one file per bucket.
    std::vector<ManifestFile> manifests;
    for (int day = 0; day < 3; day++) {
      std::map<int, std::vector<Row>> by_bucket;
      std::vector<int64_t> ids;
      for (int64_t id = day * 10; id < day * 10 + 10; id++) ids.push_back(id);
      ids.push_back(34);
      for (int64_t id : ids) {
        const int64_t ts = (kJan1 + day) * kMicrosPerDay + id * 1000000;
        by_bucket[static_cast<int>(bucket.Apply(Value::BigInt(id)).GetInt())].push_back(
            {Value::Timestamp(ts), Value::BigInt(id)});
      }
      std::vector<ManifestEntry> entries;
      for (const auto& [b, rows] : by_bucket) {
        const std::string path = (dir_ / "data" / ("00000-" + std::to_string(day) + "-" + std::to_string(b) + ".parquet")).string();
        ParquetWriteOptions options;
        options.field_ids = {1, 2};
        ParquetWriter writer(path, Schema({Field{"ts", LogicalType(TypeId::kTimestamp), true, ""},
                                           Field{"id", LogicalType(TypeId::kBigInt), true, ""}}),
                             options);
        writer.Write(MakeBatch({LogicalType(TypeId::kTimestamp), LogicalType(TypeId::kBigInt)}, rows));
        writer.Close();
        ManifestEntry e;
        e.data_file.file_path = "file:" + path;
        e.data_file.record_count = static_cast<int64_t>(rows.size());
        e.data_file.file_size_in_bytes = static_cast<int64_t>(fs::file_size(path));
        e.data_file.partition = {Value::Date(kJan1 + day), Value::Integer(b)};
        entries.push_back(std::move(e));
        files_++;
      }
      ManifestFile mf;
      const std::string bytes = WriteManifest({&schema, &spec, 100 + day, day + 1}, false, entries, &mf);
      mf.manifest_path = (dir_ / "metadata" / ("manifest-" + std::to_string(day) + ".avro")).string();
      mf.manifest_length = static_cast<int64_t>(bytes.size());
      WriteBytes(mf.manifest_path, bytes);
      manifests.push_back(mf);
    }
    Snapshot snap;
    snap.snapshot_id = 102;
    snap.sequence_number = 3;
    snap.timestamp_ms = 3000;
    snap.manifest_list = (dir_ / "metadata" / "snap-102.avro").string();
    snap.summary = {{"operation", "append"}};
    snap.schema_id = 0;
    WriteBytes(snap.manifest_list, WriteManifestList(102, std::nullopt, 3, manifests));
    m.snapshots.push_back(snap);
    m.current_snapshot_id = 102;
    m.refs["main"] = SnapshotRef{102, false, std::nullopt, std::nullopt, std::nullopt};
    m.last_sequence_number = 3;
    WriteBytes((dir_ / "metadata" / "v1.metadata.json").string(), MetadataToJson(m).dump(2));
    WriteBytes((dir_ / "metadata" / "version-hint.text").string(), "1");
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Query(const std::string& sql) { return test_support::SqlRows(session_, sql); }

  std::string Scan() const { return "iceberg_scan('" + dir_.string() + "')"; }

  fs::path dir_;
  int files_ = 0;
  Session session_;
};

TEST_F(PartitionedScanTest, ReadsEveryFileWithoutAFilter) {
  EXPECT_EQ(Query("SELECT count(*), count(DISTINCT id) FROM " + Scan()), "33|31|\n");
  // Each file is one partition tuple, named by the spec's field names.
  EXPECT_EQ(Query("SELECT count(*), sum(record_count), min(partition) FROM iceberg_partitions('" + dir_.string() + "')"),
            std::to_string(files_) + "|33|{ts_day=2024-01-01, id_bucket=0}|\n");
}

TEST_F(PartitionedScanTest, ARangeOnTheTimestampSkipsManifestsBySummaries) {
  const std::string where = " WHERE ts >= TIMESTAMP '2024-01-03 00:00:00'";
  EXPECT_EQ(Query("SELECT count(*), min(id), max(id) FROM " + Scan() + where), "11|20|34|\n");
  const std::string plan = Query("EXPLAIN ANALYZE SELECT count(*) FROM " + Scan() + where);
  EXPECT_NE(plan.find("2 manifests skipped by partition summaries"), std::string::npos) << plan;
}

TEST_F(PartitionedScanTest, EqualityOnTheBucketColumnUsesIcebergsHash) {
  // 34's bucket by the spec's hash (Appendix B: hash(34) = 2017239379) is 3.
  EXPECT_EQ(Transform::Parse("bucket[4]").Apply(Value::BigInt(34)).GetInt(), 3);
  const std::string where = " WHERE id = 34";
  EXPECT_EQ(Query("SELECT count(*) FROM " + Scan() + where), "3|\n");
  const std::string plan = Query("EXPLAIN ANALYZE SELECT count(*) FROM " + Scan() + where);
  // One file per day is left: the one of bucket 3.
  EXPECT_NE(plan.find("3 data files"), std::string::npos) << plan;
  EXPECT_NE(plan.find(std::to_string(files_ - 3) + " files skipped by partition"), std::string::npos) << plan;
}

TEST_F(PartitionedScanTest, BothFieldsTogetherLeaveOneFile) {
  const std::string where = " WHERE id = 34 AND ts < TIMESTAMP '2024-01-02 00:00:00'";
  EXPECT_EQ(Query("SELECT id FROM " + Scan() + where), "34|\n");
  const std::string plan = Query("EXPLAIN ANALYZE SELECT id FROM " + Scan() + where);
  EXPECT_NE(plan.find("1 data files"), std::string::npos) << plan;
  EXPECT_NE(plan.find("2 manifests skipped by partition summaries"), std::string::npos) << plan;
}

}  // namespace
}  // namespace sluice::iceberg
