#include "shuffle/resume_directory.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "shuffle/local_shuffle.h"
#include "tests/shuffle/test_util.h"

namespace sluice {
namespace {

using shuffle_test::Drain;
using shuffle_test::MakeBatch;
using shuffle_test::Row;

namespace fs = std::filesystem;

const std::vector<LogicalType> kTypes = {TypeId::kBigInt, TypeId::kVarchar};

std::vector<Row> Rows(int64_t first, int n) {
  std::vector<Row> rows;
  for (int i = 0; i < n; i++) {
    rows.push_back({Value::BigInt(first + i), i % 3 == 0
                                                  ? Value::Null(TypeId::kVarchar)
                                                  : Value::Varchar("s" + std::to_string(i))});
  }
  return rows;
}

// A fresh directory per test, removed at the end.
class ResumeDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("sluice_resume_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  ShuffleSpec Spec() const {
    ShuffleSpec spec;
    spec.types = kTypes;
    spec.map_tasks = 2;
    spec.partitions = 3;
    return spec;
  }
  static ResumeDirectory::StageKey Key() {
    ResumeDirectory::StageKey key;
    key.job = "1.1";
    key.stage = 2;
    key.fingerprint = 0xabc;
    key.tasks = 2;
    return key;
  }
  // Writes the map stage (two tasks, a key summary on task 1) into `shuffle`, storing it.
  static void RunStage(ResumeDirectory& resume, Shuffle& shuffle) {
    for (int task = 0; task < 2; task++) {
      auto writer = resume.RecordTask(Key(), task, shuffle.OpenWriter(task));
      writer->Write(task, MakeBatch(kTypes, Rows(task * 100, 10)));
      writer->Write(2, MakeBatch(kTypes, Rows(task * 100 + 50, 5)));
      if (task == 1) {
        HeavyHitters keys;
        const uint64_t hashes[] = {7, 7, 7, 9};
        keys.Add(hashes, 4);
        writer->RecordKeySummary(keys);
      }
      writer->Commit();
    }
    resume.CompleteStage(Key(), shuffle.Stats());
  }
  fs::path dir_;
};

// A stage stored by one run is restored by the next into the same rows, in the same order,
// with the same statistics and key summary.
TEST_F(ResumeDirectoryTest, StoredStageRestoresTheSameOutput) {
  TempDirectory temp(dir_.string());
  ExchangeStats first_stats;
  std::vector<std::vector<std::string>> first_rows;
  {
    ResumeDirectory resume(dir_.string(), "");
    resume.ClearStage(Key());
    EXPECT_FALSE(resume.HasCompleteStage(Key()));
    LocalShuffle shuffle(nullptr, &temp, Spec());
    shuffle.set_retained(true);
    RunStage(resume, shuffle);
    EXPECT_TRUE(resume.HasCompleteStage(Key()));
    first_stats = shuffle.Stats();
    for (int p = 0; p < 3; p++)
      first_rows.push_back(Drain(*shuffle.Open(ShuffleRead::Partition(p))));
  }
  ResumeDirectory resume(dir_.string(), ResumeDirectory::ReadJournal(dir_.string()));
  ASSERT_TRUE(resume.HasCompleteStage(Key()));
  EXPECT_EQ(resume.StoredRows(Key()), first_stats.rows);
  LocalShuffle restored(nullptr, &temp, Spec());
  for (int task = 0; task < 2; task++) resume.RestoreTask(Key(), task, restored, kTypes);
  EXPECT_EQ(restored.Stats().rows, first_stats.rows);
  EXPECT_EQ(restored.Stats().bytes, first_stats.bytes);
  EXPECT_EQ(restored.Stats().heavy_keys, first_stats.heavy_keys);
  ASSERT_FALSE(first_stats.heavy_keys.empty());
  for (int p = 0; p < 3; p++) {
    EXPECT_EQ(Drain(*restored.Open(ShuffleRead::Partition(p))), first_rows[p]) << "partition " << p;
  }
  // Another key (another plan) has nothing stored.
  ResumeDirectory::StageKey other = Key();
  other.fingerprint = 0xabd;
  EXPECT_FALSE(resume.HasCompleteStage(other));
  resume.RemoveAll();
  EXPECT_FALSE(fs::exists(dir_ / "stages"));
}

// An aborted task attempt leaves no stored file; a damaged file is an error naming it.
TEST_F(ResumeDirectoryTest, AbortedAndDamagedOutput) {
  TempDirectory temp(dir_.string());
  ResumeDirectory resume(dir_.string(), "");
  resume.ClearStage(Key());
  LocalShuffle shuffle(nullptr, &temp, Spec());
  {
    auto writer = resume.RecordTask(Key(), 0, shuffle.OpenWriter(0));
    writer->Write(0, MakeBatch(kTypes, Rows(0, 10)));
    writer->Abort();
  }
  LocalShuffle restored(nullptr, &temp, Spec());
  EXPECT_THROW(resume.RestoreTask(Key(), 0, restored, kTypes), IOError);
  {
    auto writer = resume.RecordTask(Key(), 0, shuffle.OpenWriter(0));
    writer->Write(0, MakeBatch(kTypes, Rows(0, 10)));
    writer->Commit();
  }
  const fs::path file = dir_ / "stages" / Key().Name() / "r0.t0";
  ASSERT_TRUE(fs::exists(file));
  fs::resize_file(file, fs::file_size(file) - 7);
  try {
    resume.RestoreTask(Key(), 0, restored, kTypes);
    FAIL() << "a truncated file was restored";
  } catch (const IOError& e) {
    EXPECT_NE(std::string(e.what()).find("r0.t0' is damaged"), std::string::npos) << e.what();
  }
}

// The journal of committed statements survives the process and matches number and text.
TEST_F(ResumeDirectoryTest, CommittedStatementsByNumberAndText) {
  {
    ResumeDirectory resume(dir_.string(), "");
    EXPECT_EQ(resume.BeginStatement(), 1);
    EXPECT_EQ(resume.NextJob(), "1.1");
    EXPECT_EQ(resume.NextJob(), "1.2");
    EXPECT_EQ(resume.BeginStatement(), 2);
    EXPECT_EQ(resume.NextJob(), "2.1");
    resume.RecordCommitted(2, "INSERT INTO t VALUES (1)");
  }
  ResumeDirectory resume(dir_.string(), ResumeDirectory::ReadJournal(dir_.string()));
  EXPECT_TRUE(resume.Committed(2, "INSERT INTO t VALUES (1)"));
  EXPECT_FALSE(resume.Committed(2, "INSERT INTO t VALUES (2)"));
  EXPECT_FALSE(resume.Committed(1, "INSERT INTO t VALUES (1)"));
}

}  // namespace
}  // namespace sluice
