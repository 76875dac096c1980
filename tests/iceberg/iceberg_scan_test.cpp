// iceberg_scan over a table made here from the spec's parts, the way other engines leave
// one: a renamed and an added column (files found by field id), position and equality
// deletes with their sequence-number rules, time travel by snapshot id, and the metadata
// table functions.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "api/session.h"
#include "common/uuid.h"
#include "api/sql_runner.h"
#include "common/error.h"
#include "iceberg/manifest.h"
#include "io/parquet_writer.h"
#include "tests/support/sql_rows.h"

namespace sluice::iceberg {
namespace {

namespace fs = std::filesystem;
using test_support::MakeBatch;
using test_support::Row;

void WriteParquet(const std::string& path, const Schema& schema, const std::vector<int32_t>& ids,
                  const std::vector<Row>& rows) {
  ParquetWriteOptions options;
  options.field_ids = ids;
  ParquetWriter writer(path, schema, options);
  std::vector<LogicalType> types;
  for (const auto& f : schema.fields()) types.push_back(f.type);
  writer.Write(MakeBatch(types, rows));
  writer.Close();
}

void WriteBytes(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

Field F(const char* name, TypeId type) { return Field{name, LogicalType(type), true, ""}; }

class IcebergScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sluice-iceberg-scan-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "data");
    fs::create_directories(dir_ / "metadata");
    const std::string d = (dir_ / "data").string();
    // Schema 0: id, name. Schema 1: name renamed to label, score added.
    IcebergSchema s0;
    s0.fields = {{1, "id", true, PrimitiveType(TypeKind::kLong), ""}, {2, "name", false, PrimitiveType(TypeKind::kString), ""}};
    IcebergSchema s1;
    s1.schema_id = 1;
    s1.fields = {{1, "id", true, PrimitiveType(TypeKind::kLong), ""},
                 {2, "label", false, PrimitiveType(TypeKind::kString), ""},
                 {3, "score", false, PrimitiveType(TypeKind::kDouble), ""}};
    auto s = [](const char* v) { return Value::Varchar(v); };
    WriteParquet(d + "/a.parquet", Schema({F("id", TypeId::kBigInt), F("name", TypeId::kVarchar)}), {1, 2},
                 {{Value::BigInt(1), s("a")}, {Value::BigInt(2), s("b")}, {Value::BigInt(3), s("c")},
                  {Value::BigInt(4), s("d")}, {Value::BigInt(5), s("e")}});
    // File b lists its columns in another order: found by id, not position.
    WriteParquet(d + "/b.parquet", Schema({F("score", TypeId::kDouble), F("label", TypeId::kVarchar), F("id", TypeId::kBigInt)}),
                 {3, 2, 1}, {{Value::Double(6.5), s("f"), Value::BigInt(6)}, {Value::Double(7.5), s("g"), Value::BigInt(7)}});
    WriteParquet(d + "/c.parquet", Schema({F("id", TypeId::kBigInt), F("label", TypeId::kVarchar), F("score", TypeId::kDouble)}),
                 {1, 2, 3}, {{Value::BigInt(6), s("h"), Value::Double(0.5)}});
    WriteParquet(d + "/pos-del.parquet", Schema({F("file_path", TypeId::kVarchar), F("pos", TypeId::kBigInt)}),
                 {2147483546, 2147483545}, {{s(("file:" + d + "/a.parquet").c_str()), Value::BigInt(1)}});
    WriteParquet(d + "/eq-del.parquet", Schema({F("id", TypeId::kBigInt)}), {1}, {{Value::BigInt(6)}, {Value::BigInt(9)}});

    TableMetadata m = NewTableMetadata(s0, PartitionSpec{}, SortOrder{}, dir_.string(), NewUuid(), {}, 1000);
    m.schemas.push_back(s1);
    m.current_schema_id = 1;
    m.last_column_id = 3;
    std::vector<ManifestFile> manifests;
    auto data_manifest = [&](const std::string& file, int64_t rows, int64_t seq, const IcebergSchema& schema,
                             FileContent content, std::vector<int> equality_ids) {
      ManifestEntry e;
      e.data_file.content = content;
      e.data_file.file_path = "file:" + d + "/" + file;
      e.data_file.record_count = rows;
      e.data_file.file_size_in_bytes = static_cast<int64_t>(fs::file_size(d + "/" + file));
      e.data_file.equality_ids = std::move(equality_ids);
      ManifestFile mf;
      PartitionSpec unpartitioned;
      const std::string bytes = WriteManifest({&schema, &unpartitioned, seq * 100, seq}, content != FileContent::kData, {e}, &mf);
      mf.manifest_path = (dir_ / "metadata" / (file + ".avro")).string();
      mf.manifest_length = static_cast<int64_t>(bytes.size());
      WriteBytes(mf.manifest_path, bytes);
      return mf;
    };
    auto commit = [&](int64_t seq, int schema_id, std::vector<ManifestFile> added) {
      for (auto& mf : added) manifests.push_back(mf);
      Snapshot snap;
      snap.snapshot_id = seq * 100;
      if (seq > 1) snap.parent_snapshot_id = (seq - 1) * 100;
      snap.sequence_number = seq;
      snap.timestamp_ms = 1000 * seq;
      snap.manifest_list = (dir_ / "metadata" / ("snap-" + std::to_string(seq) + ".avro")).string();
      snap.summary = {{"operation", seq == 3 ? "delete" : "append"}};
      snap.schema_id = schema_id;
      WriteBytes(snap.manifest_list, WriteManifestList(snap.snapshot_id, snap.parent_snapshot_id, seq, manifests));
      m.snapshots.push_back(snap);
      m.snapshot_log.push_back({snap.snapshot_id, snap.timestamp_ms});
      m.current_snapshot_id = snap.snapshot_id;
      m.refs["main"] = SnapshotRef{snap.snapshot_id};
      m.last_sequence_number = seq;
    };
    commit(1, 0, {data_manifest("a.parquet", 5, 1, s0, FileContent::kData, {})});
    commit(2, 1, {data_manifest("b.parquet", 2, 2, s1, FileContent::kData, {})});
    commit(3, 1, {data_manifest("pos-del.parquet", 1, 3, s1, FileContent::kPositionDeletes, {}),
                  data_manifest("eq-del.parquet", 2, 3, s1, FileContent::kEqualityDeletes, {1})});
    commit(4, 1, {data_manifest("c.parquet", 1, 4, s1, FileContent::kData, {})});
    WriteBytes((dir_ / "metadata" / "v4.metadata.json").string(), MetadataToJson(m).dump(2));
    WriteBytes((dir_ / "metadata" / "version-hint.text").string(), "4");
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Query(const std::string& sql) { return test_support::SqlRows(session_, sql); }

  fs::path dir_;
  Session session_;
};

TEST_F(IcebergScanTest, ReadsTheCurrentSnapshotWithDeletesApplied) {
  // Row 2 is deleted by position; id 6 of file b by equality (an older file); id 6 of file c
  // is newer than the equality delete and stays.
  EXPECT_EQ(Query("SELECT id, label, score FROM iceberg_scan('" + dir_.string() + "') ORDER BY id, label"),
            "1|a|NULL|\n3|c|NULL|\n4|d|NULL|\n5|e|NULL|\n6|h|0.5|\n7|g|7.5|\n");
  EXPECT_EQ(Query("SELECT count(*) FROM iceberg_scan('" + dir_.string() + "/metadata/v4.metadata.json')"), "6|\n");
}

TEST_F(IcebergScanTest, TimeTravelReadsTheOldSnapshotWithItsSchema) {
  EXPECT_EQ(Query("SELECT * FROM iceberg_scan('" + dir_.string() + "', snapshot_from_id => 100) ORDER BY id"),
            "1|a|\n2|b|\n3|c|\n4|d|\n5|e|\n");
  EXPECT_EQ(Query("SELECT count(*), sum(score) FROM iceberg_scan('" + dir_.string() + "', snapshot_from_id => 200)"),
            "7|14.0|\n");
  EXPECT_EQ(Query("SELECT count(*) FROM iceberg_scan('" + dir_.string() +
                  "', snapshot_from_timestamp => '1970-01-01 00:00:03.5')"),
            "5|\n");
}

TEST_F(IcebergScanTest, MetadataFunctionsListSnapshotsAndFiles) {
  EXPECT_EQ(Query("SELECT sequence_number, snapshot_id, operation, is_current FROM iceberg_snapshots('" +
                  dir_.string() + "') ORDER BY 1"),
            "1|100|append|false|\n2|200|append|false|\n3|300|delete|false|\n4|400|append|true|\n");
  EXPECT_EQ(Query("SELECT content, count(*), sum(record_count) FROM iceberg_metadata('" + dir_.string() +
                  "') GROUP BY content ORDER BY content"),
            "DATA|3|8|\nEQUALITY_DELETES|1|2|\nPOSITION_DELETES|1|1|\n");
}

TEST_F(IcebergScanTest, ErrorsNameWhatIsWrong) {
  auto error = [&](const std::string& sql) {
    try {
      Query(sql);
    } catch (const UserError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error("SELECT * FROM iceberg_scan('/nonexistent/table')").find("'/nonexistent/table' is not an Iceberg table"),
            std::string::npos);
  EXPECT_NE(error("SELECT * FROM iceberg_scan('" + dir_.string() + "', snapshot_from_id => 7)").find("has no snapshot 7"),
            std::string::npos);
  fs::remove(dir_ / "data" / "b.parquet");
  EXPECT_NE(error("SELECT * FROM iceberg_scan('" + dir_.string() + "')").find("b.parquet"), std::string::npos);
}

}  // namespace
}  // namespace sluice::iceberg
