// Time travel by snapshot id, rollbacks and maintenance procedures on a --db warehouse
// table: what SQL tests cannot see (random snapshot ids, files on disk, a commit that loses
// a race).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "catalog/file_table_store.h"
#include "catalog/table_store.h"
#include "catalog_test_util.h"
#include "../api/sql_test_util.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

// The rows of the last statement of `sql`, "v1|v2|" per line.
std::string Sql(Session& session, const std::string& sql) { return testing::ResultText(session, sql); }

// The ids of the table's snapshots, oldest first.
std::vector<std::string> SnapshotIds(Session& s, const std::string& table) {
  std::vector<std::string> ids;
  const std::string text =
      Sql(s, "SELECT snapshot_id FROM iceberg_snapshots('" + table + "') ORDER BY sequence_number");
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    ids.push_back(text.substr(start, text.find('|', start) - start));
    start = end + 1;
  }
  return ids;
}

size_t MetadataJsonFiles(const std::string& table_dir) {
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(table_dir + "/metadata")) {
    n += e.path().string().ends_with(".metadata.json") ? 1 : 0;
  }
  return n;
}

class IcebergMaintenanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    session_ = std::make_unique<Session>(Settings(), dir_.path());
    RunSqlScript(*session_,
                 "CREATE TABLE t(a INTEGER);"
                 "ALTER TABLE t SET TBLPROPERTIES ('history.expire.min-snapshots-to-keep' = '50');"
                 "INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); INSERT INTO t VALUES (3)");
    ids_ = SnapshotIds(*session_, "t");
  }
  std::string table_dir() const { return dir_.path() + "/main/t"; }

  TempDir dir_;
  std::unique_ptr<Session> session_;
  std::vector<std::string> ids_;  // create, 1, 2, 3
};

TEST_F(IcebergMaintenanceTest, VersionAsOfSnapshotId) {
  ASSERT_EQ(ids_.size(), 4u);
  EXPECT_EQ(Sql(*session_, "SELECT sum(a) FROM t FOR VERSION AS OF " + ids_[2]), "3|\n");
  // A quoted id that names no branch or tag is the snapshot of that id (Spark's rule).
  EXPECT_EQ(Sql(*session_, "SELECT count(*) FROM t FOR VERSION AS OF '" + ids_[1] + "'"), "1|\n");
  EXPECT_EQ(Sql(*session_, "SELECT count(*) FROM t FOR VERSION AS OF " + ids_[0]), "0|\n");
  EXPECT_EQ(
      Sql(*session_, "SELECT sum(a) FROM iceberg_scan('t', snapshot_from_id => " + ids_[2] + ")"),
      "3|\n");
}

TEST_F(IcebergMaintenanceTest, RollbackAndSetCurrentSnapshot) {
  EXPECT_EQ(Sql(*session_, "CALL rollback_to_snapshot('t', " + ids_[1] + ")"),
            ids_[3] + "|" + ids_[1] + "|\n");
  EXPECT_EQ(Sql(*session_, "SELECT sum(a) FROM t"), "1|\n");
  // Snapshot 3 is no longer an ancestor: rollback refuses it, set_current_snapshot takes it.
  EXPECT_THROW(RunSqlScript(*session_, "CALL rollback_to_snapshot('t', " + ids_[3] + ")"),
               UserError);
  EXPECT_EQ(Sql(*session_,
                "CALL system.set_current_snapshot(table => 't', snapshot_id => " + ids_[3] + ")"),
            ids_[1] + "|" + ids_[3] + "|\n");
  EXPECT_EQ(Sql(*session_, "SELECT sum(a) FROM t"), "6|\n");
  // Another process sees the same.
  session_.reset();
  Session again(Settings(), dir_.path());
  EXPECT_EQ(Sql(again, "SELECT sum(a) FROM t"), "6|\n");
  EXPECT_EQ(Sql(again, "SELECT count(*) FROM t$history"), "6|\n");
}

TEST_F(IcebergMaintenanceTest, PreviousVersionsMaxBoundsMetadataFiles) {
  RunSqlScript(*session_,
               "ALTER TABLE t SET TBLPROPERTIES ('write.metadata.previous-versions-max' = '3');"
               "INSERT INTO t VALUES (4); INSERT INTO t VALUES (5); INSERT INTO t VALUES (6)");
  // The current file and the three the metadata log keeps.
  EXPECT_EQ(MetadataJsonFiles(table_dir()), 4u);
  RunSqlScript(
      *session_,
      "ALTER TABLE t SET TBLPROPERTIES ('write.metadata.delete-after-commit.enabled' = 'false');"
      "INSERT INTO t VALUES (7); INSERT INTO t VALUES (8)");
  EXPECT_EQ(MetadataJsonFiles(table_dir()), 7u);
  // The ones the log dropped are orphans.
  const std::string orphans =
      Sql(*session_, "CALL remove_orphan_files('t', older_than => TIMESTAMP '2999-01-01')");
  EXPECT_EQ(std::count(orphans.begin(), orphans.end(), '\n'), 3);
  EXPECT_NE(orphans.find("/main/t/metadata/v"), std::string::npos) << orphans;
  EXPECT_EQ(MetadataJsonFiles(table_dir()), 4u);
  EXPECT_EQ(Sql(*session_, "SELECT sum(a) FROM t"), "36|\n");
}

TEST_F(IcebergMaintenanceTest, OrphanFilesKeepWhatAnySnapshotNeeds) {
  std::ofstream(table_dir() + "/stray.txt") << "x";
  fs::create_directories(table_dir() + "/data/sub");
  std::ofstream(table_dir() + "/data/sub/old.parquet") << "x";
  const std::string orphans =
      Sql(*session_, "CALL remove_orphan_files('t', older_than => TIMESTAMP '2999-01-01')");
  EXPECT_EQ(orphans, table_dir() + "/data/sub/old.parquet|\n" + table_dir() + "/stray.txt|\n");
  EXPECT_FALSE(fs::exists(table_dir() + "/stray.txt"));
  // Every snapshot still reads.
  for (size_t i = 1; i < ids_.size(); i++) {
    EXPECT_EQ(Sql(*session_, "SELECT count(*) FROM t FOR VERSION AS OF " + ids_[i]),
              std::to_string(i) + "|\n");
  }
}

// A compaction's files, written but not committed: the rows of every current file.
std::unique_ptr<DataWriter> WriteCompaction(FileTableStore& store) {
  std::vector<std::string> paths;
  for (const auto& f : store.Current().files) paths.push_back(f.path);
  TableRewrite rewrite = store.PlanFileRewrite(paths);
  rewrite.operation = "replace";
  auto writer = store.BeginRewrite(rewrite);
  auto sink = writer->OpenSink(0);
  for (int split = 0; split < rewrite.source->num_splits(); split++) {
    auto rows = rewrite.source->Open(split, {0});
    Batch batch;
    while (rows->Next(&batch)) sink->Write(batch);
  }
  sink->Close();
  return writer;
}

// An append committed while a compaction runs does not conflict with it (Iceberg's rule):
// the compaction rebases onto it and the appended file stays.
TEST_F(IcebergMaintenanceTest, CompactionRebasesOverAnAppend) {
  auto store = std::dynamic_pointer_cast<FileTableStore>(session_->FindStore("t"));
  ASSERT_NE(store, nullptr);
  auto writer = WriteCompaction(*store);
  RunSqlScript(*session_, "INSERT INTO t VALUES (10)");
  writer->Commit();
  EXPECT_EQ(Sql(*session_, "SELECT count(*), sum(a) FROM t"), "4|16|\n");
  EXPECT_EQ(Sql(*session_, "SELECT count(*) FROM t$files"), "2|\n");
  EXPECT_EQ(Sql(*session_, "SELECT operation FROM t$snapshots WHERE is_current"), "replace|\n");
  EXPECT_EQ(testing::DataFiles(table_dir()),
            2u + 3u);  // the replaced files stay for older snapshots
}

// A compaction whose input another writer changed meanwhile fails and changes nothing: the
// table stays at the other writer's snapshot, and the compaction's files are gone.
TEST_F(IcebergMaintenanceTest, CompactionThatLosesARaceLeavesTheTableWhole) {
  auto store = std::dynamic_pointer_cast<FileTableStore>(session_->FindStore("t"));
  ASSERT_NE(store, nullptr);
  auto writer = WriteCompaction(*store);
  RunSqlScript(*session_, "DELETE FROM t WHERE a = 2");
  EXPECT_THROW(writer->Commit(), WriteConflictError);
  writer.reset();
  EXPECT_EQ(Sql(*session_, "SELECT count(*), sum(a) FROM t"), "2|4|\n");
  EXPECT_EQ(Sql(*session_, "SELECT count(*) FROM t$files"), "2|\n");
  // Run again, it compacts.
  EXPECT_EQ(Sql(*session_, "CALL rewrite_data_files('t', min_input_files => 2)").substr(0, 4),
            "2|1|");
  EXPECT_EQ(Sql(*session_, "SELECT count(*), sum(a) FROM t"), "2|4|\n");
  EXPECT_EQ(Sql(*session_, "SELECT count(*) FROM t$files"), "1|\n");
}

TEST_F(IcebergMaintenanceTest, CompactionRespectsTheTargetSize) {
  RunSqlScript(*session_, "INSERT INTO t SELECT range FROM range(0, 200000)");
  for (int i = 0; i < 6; i++)
    RunSqlScript(*session_, "INSERT INTO t VALUES (" + std::to_string(i) + ")");
  const std::string before = Sql(*session_, "SELECT count(*), sum(a) FROM t");
  // Target 64 KiB: the big file is split, the small ones merged.
  const std::string result = Sql(
      *session_, "CALL rewrite_data_files('t', target_file_size => 65536, min_input_files => 2)");
  EXPECT_EQ(Sql(*session_, "SELECT count(*), sum(a) FROM t"), before);
  const std::string files =
      Sql(*session_, "SELECT count(*) FROM t$files WHERE file_size_in_bytes > 2 * 65536");
  EXPECT_EQ(files, "0|\n") << result;
}

}  // namespace
}  // namespace sluice
