// Writers of one warehouse table in different processes (here: two FileTableStore objects
// opened on the same directory, each with its own view of the current snapshot).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "catalog/file_table_store.h"
#include "catalog_test_util.h"
#include "common/error.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using testing::DataFiles;
using testing::SortedRows;
using testing::TempDir;

Schema OneColumn() { return Schema({Field{"id", LogicalType(TypeId::kBigInt), true, ""}}); }

std::vector<Batch> Ids(int64_t from, int64_t to) {
  auto id = Column::Make(LogicalType(TypeId::kBigInt), static_cast<size_t>(to - from));
  for (int64_t v = from; v < to; v++) id->data<int64_t>()[v - from] = v;
  id->set_size(static_cast<size_t>(to - from));
  std::vector<Batch> batches;
  batches.emplace_back(std::vector<ColumnPtr>{id}, static_cast<size_t>(to - from));
  return batches;
}

int64_t RowCount(const DataSource& source) {
  int64_t rows = 0;
  for (int s = 0; s < source.num_splits(); s++) {
    auto stream = source.Open(s, {0});
    Batch b;
    while (stream->Next(&b)) rows += static_cast<int64_t>(b.num_rows());
  }
  return rows;
}

TEST(ConcurrentCommitTest, StaleAppendIsRebasedNotLost) {
  TempDir tmp;
  const std::string dir = tmp.path() + "/t";
  FileTableStore::Create(dir, "t", OneColumn(), Ids(0, 10));
  auto a = FileTableStore::Open(dir, "t");
  auto b = FileTableStore::Open(dir, "t");
  a->Append(Ids(10, 15));
  EXPECT_EQ(a->Current().version, 2);
  // b still believes snapshot 1 is current: its append must keep a's rows.
  b->Append(Ids(15, 17));
  EXPECT_EQ(b->Current().version, 3);
  EXPECT_EQ(b->Current().row_count, 17);
  auto reopened = FileTableStore::Open(dir, "t");
  EXPECT_EQ(reopened->Current().version, 3);
  EXPECT_EQ(RowCount(*reopened->Source()), 17);
  EXPECT_EQ(DataFiles(dir), 3u);
}

TEST(ConcurrentCommitTest, StaleOverwriteFailsAndWritesNothing) {
  TempDir tmp;
  const std::string dir = tmp.path() + "/t";
  FileTableStore::Create(dir, "t", OneColumn(), Ids(0, 10));
  auto a = FileTableStore::Open(dir, "t");
  auto b = FileTableStore::Open(dir, "t");
  a->Append(Ids(10, 20));
  // An UPDATE/DELETE in b computed its rows from snapshot 1: committing them would drop a's.
  try {
    b->Overwrite(OneColumn(), Ids(0, 5));
    FAIL() << "stale overwrite committed";
  } catch (const WriteConflictError& e) {
    EXPECT_NE(std::string(e.what()).find("changed by another writer"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("snapshot 2"), std::string::npos) << e.what();
  }
  EXPECT_EQ(b->Current().version, 1);
  auto reopened = FileTableStore::Open(dir, "t");
  EXPECT_EQ(reopened->Current().version, 2);
  EXPECT_EQ(RowCount(*reopened->Source()), 20);
  EXPECT_EQ(DataFiles(dir), 2u);  // b's data file was removed
  // b re-reads the table and then commits.
  auto b2 = FileTableStore::Open(dir, "t");
  b2->Overwrite(OneColumn(), Ids(0, 5));
  EXPECT_EQ(b2->Current().version, 3);
}

TEST(ConcurrentCommitTest, GarbageCollectionKeepsFilesOfWritesInFlight) {
  TempDir tmp;
  const std::string dir = tmp.path() + "/t";
  FileTableStore::Create(dir, "t", OneColumn(), Ids(0, 10));
  // Another process is writing part-busy (it holds the data directory's shared lock); a
  // crashed writer of an earlier version left part-dead and its marker.
  std::ofstream(dir + "/data/part-busy.parquet") << "PAR1";
  std::ofstream(dir + "/data/part-dead.parquet") << "PAR1";
  std::ofstream(dir + "/data/part-dead.pending");
  std::unique_ptr<FileTableStore> a;
  {
    DataFilesLock other_writer(dir + "/data", DataFilesLock::Mode::kWriter);
    EXPECT_FALSE(DataFilesLock(dir + "/data", DataFilesLock::Mode::kCollector).held());
    a = FileTableStore::Open(dir, "t");
    a->Append(Ids(10, 11));
    EXPECT_TRUE(fs::exists(dir + "/data/part-busy.parquet"));
    EXPECT_TRUE(fs::exists(dir + "/data/part-dead.parquet"));
  }
  // With no write in flight, the next commit collects what no snapshot references.
  a->Append(Ids(11, 12));
  EXPECT_FALSE(fs::exists(dir + "/data/part-busy.parquet"));
  EXPECT_FALSE(fs::exists(dir + "/data/part-dead.parquet"));
  EXPECT_FALSE(fs::exists(dir + "/data/part-dead.pending"));
  EXPECT_EQ(a->Current().row_count, 12);
}

// A write holds the shared lock from its first data file until it commits, so that a
// collector in another process (another descriptor) leaves its files alone meanwhile.
TEST(ConcurrentCommitTest, AWriteInFlightHoldsTheDataFilesLock) {
  TempDir tmp;
  const std::string dir = tmp.path() + "/t";
  auto store = FileTableStore::Create(dir, "t", OneColumn(), Ids(0, 10));
  auto writer = store->BeginAppend();
  auto sink = writer->OpenSink(0);
  // More rows than a sink holds back: it writes its own file now.
  for (const auto& b : Ids(10, 40010)) sink->Write(b);
  EXPECT_FALSE(DataFilesLock(dir + "/data", DataFilesLock::Mode::kCollector).held());
  sink->Close();
  writer->Commit();
  EXPECT_TRUE(DataFilesLock(dir + "/data", DataFilesLock::Mode::kCollector).held());
  EXPECT_EQ(store->Current().row_count, 40010);
}

}  // namespace
}  // namespace sluice
