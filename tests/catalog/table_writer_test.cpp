// Streaming writes to a table: sinks per task, one commit, nothing left by a failed write.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "catalog/file_table_store.h"
#include "catalog/memory_table_store.h"
#include "catalog_test_util.h"
#include "common/error.h"

namespace sluice {
namespace {

using testing::DataFiles;
using testing::TempDir;

Schema OneColumn() { return Schema({Field{"id", LogicalType(TypeId::kBigInt), true, ""}}); }

Batch Ids(int64_t from, int64_t count) {
  auto id = Column::Make(LogicalType(TypeId::kBigInt), static_cast<size_t>(count));
  for (int64_t i = 0; i < count; i++) id->SetValue(static_cast<size_t>(i), Value::BigInt(from + i));
  id->set_size(static_cast<size_t>(count));
  return Batch(std::vector<ColumnPtr>{id}, static_cast<size_t>(count));
}

// The ids of a store's current rows in scan order (splits in order).
std::vector<int64_t> ScanIds(const TableStore& store) {
  std::vector<int64_t> ids;
  auto source = store.Source();
  for (int s = 0; s < source->num_splits(); s++) {
    auto stream = source->Open(s, {0});
    Batch b;
    while (stream->Next(&b)) {
      for (size_t r = 0; r < b.num_rows(); r++) ids.push_back(b.column(0)->GetValue(r).GetInt());
    }
  }
  return ids;
}

std::vector<int64_t> Iota(int64_t from, int64_t to) {
  std::vector<int64_t> v;
  for (int64_t i = from; i < to; i++) v.push_back(i);
  return v;
}

// Sinks closed out of order still commit their rows in sink-index order; `batch` rows per
// Write, 5 writes per sink.
void ExpectSinkOrder(TableStore& store, int64_t batch) {
  auto writer = store.BeginReplace(OneColumn(), BucketSpec{});
  auto second = writer->OpenSink(1);
  auto first = writer->OpenSink(0);
  for (int64_t i = 0; i < 5; i++) second->Write(Ids(100 * batch + i * batch, batch));
  second->Close();
  for (int64_t i = 0; i < 5; i++) first->Write(Ids(i * batch, batch));
  first->Close();
  second.reset();
  first.reset();
  EXPECT_EQ(writer->rows_written(), 10 * batch);
  writer->Commit();
  std::vector<int64_t> expected = Iota(0, 5 * batch);
  for (int64_t i = 100 * batch; i < 105 * batch; i++) expected.push_back(i);
  EXPECT_EQ(ScanIds(store), expected);
  EXPECT_EQ(store.Current().row_count, 10 * batch);
}

TEST(TableWriterTest, FileStoreWritesSmallSinksIntoOneFile) {
  TempDir dir;
  auto store = FileTableStore::Create(dir.path() + "/t", "t", OneColumn(), {});
  ExpectSinkOrder(*store, 10);
  EXPECT_EQ(DataFiles(dir.path() + "/t"), 1u);
}

TEST(TableWriterTest, FileStoreStreamsLargeSinksIntoFilesOfTheirOwn) {
  TempDir dir;
  auto store = FileTableStore::Create(dir.path() + "/t", "t", OneColumn(), {});
  ExpectSinkOrder(*store, 5000);  // 25,000 rows per sink: over what a sink holds back
  EXPECT_EQ(DataFiles(dir.path() + "/t"), 2u);
}

TEST(TableWriterTest, MemoryStoreCommitsSinksInIndexOrder) {
  InMemoryTableStore store(OneColumn());
  ExpectSinkOrder(store, 10);
}

TEST(TableWriterTest, FileStoreCutsFilesPerSinkAtTargetRows) {
  TempDir dir;
  auto store = FileTableStore::Create(dir.path() + "/t", "t", OneColumn(), {});
  store->SetTargetFileRows(40);
  auto writer = store->BeginAppend();
  auto sink = writer->OpenSink(0);
  for (int64_t i = 0; i < 10; i++) sink->Write(Ids(i * 10, 10));
  sink->Close();
  sink.reset();
  writer->Commit();
  const Snapshot s = store->Current();
  ASSERT_EQ(s.files.size(), 3u);  // 40 + 40 + 20 rows, cut at batch boundaries
  EXPECT_EQ(s.files[0].rows, 40);
  EXPECT_EQ(s.files[2].rows, 20);
  EXPECT_EQ(ScanIds(*store), Iota(0, 100));
}

TEST(TableWriterTest, WriterDestroyedWithoutCommitLeavesTableAndNoFiles) {
  TempDir dir;
  const std::string table = dir.path() + "/t";
  auto store = FileTableStore::Create(table, "t", OneColumn(), {Ids(0, 5)});
  ASSERT_EQ(DataFiles(table), 1u);
  {
    auto writer = store->BeginReplace(OneColumn(), BucketSpec{});
    auto sink = writer->OpenSink(0);
    sink->Write(Ids(1000, 10));
    sink->Close();
    sink.reset();
    auto open = writer->OpenSink(1);  // a task that failed midway: never closed
    open->Write(Ids(2000, 10));
    open.reset();
    // No Commit: the statement failed.
  }
  EXPECT_EQ(ScanIds(*store), Iota(0, 5));
  EXPECT_EQ(DataFiles(table), 1u);
  for (const auto& e : std::filesystem::directory_iterator(table + "/data")) {
    EXPECT_EQ(e.path().extension(), ".parquet") << e.path();  // no pending marker left
  }
}

TEST(TableWriterTest, RewriteFailsWhenAnotherWriterCommittedFirst) {
  TempDir dir;
  auto store = FileTableStore::Create(dir.path() + "/t", "t", OneColumn(), {Ids(0, 5)});
  const TableRewrite rewrite = store->PlanRewrite({});
  auto writer = store->BeginRewrite(rewrite);
  auto sink = writer->OpenSink(0);
  sink->Write(Ids(10, 3));
  sink->Close();
  sink.reset();
  store->Append({Ids(5, 1)});  // commits first
  EXPECT_THROW(writer->Commit(), WriteConflictError);
  writer.reset();
  EXPECT_EQ(ScanIds(*store), Iota(0, 6));
}

TEST(TableWriterTest, AppendsFromTwoWritersBothLand) {
  TempDir dir;
  auto store = FileTableStore::Create(dir.path() + "/t", "t", OneColumn(), {Ids(0, 5)});
  auto a = store->BeginAppend();
  auto b = store->BeginAppend();
  WriteAndCommit(*a, {Ids(5, 5)});
  WriteAndCommit(*b, {Ids(10, 5)});  // rebased onto a's snapshot
  EXPECT_EQ(ScanIds(*store), Iota(0, 15));
}

// Sink `index` of `writer`: `rows` ids from `from`, in batches of 5000.
void WriteSink(DataWriter& writer, int index, int64_t from, int64_t rows) {
  auto sink = writer.OpenSink(index);
  for (int64_t at = 0; at < rows; at += 5000)
    sink->Write(Ids(from + at, std::min<int64_t>(5000, rows - at)));
  sink->Close();
}

// The rows of each data file of a store's current snapshot, in list order.
std::vector<int64_t> FileRows(const TableStore& store) {
  std::vector<int64_t> rows;
  for (const auto& f : store.Current().files) rows.push_back(f.rows);
  return rows;
}

// A write shared by two processes (MPI ranks): each writes the sinks of its tasks, the second
// exports them to the first, which commits. The snapshot is the one a single writer makes: the
// same files in sink order, and the rows of small sinks of both together in one file.
TEST(TableWriterTest, WriteSharedByTwoWritersCommitsWhatOneWriterWould) {
  TempDir dir;
  // Sinks 0 and 3 stream files of their own (25,000 rows); 1 and 2 are small (held).
  const std::vector<std::pair<int64_t, int64_t>> sinks = {
      {0, 25000}, {100000, 10}, {200000, 20}, {300000, 25000}};
  auto one = FileTableStore::Create(dir.path() + "/one", "one", OneColumn(), {});
  {
    auto writer = one->BeginAppend();
    for (int i = 0; i < 4; i++) WriteSink(*writer, i, sinks[i].first, sinks[i].second);
    writer->Commit();
  }
  auto two = FileTableStore::Create(dir.path() + "/two", "two", OneColumn(), {});
  {
    auto first = two->BeginAppend();
    auto second = two->BeginAppend();
    for (int i = 0; i < 2; i++) WriteSink(*first, i, sinks[i].first, sinks[i].second);
    for (int i = 2; i < 4; i++) WriteSink(*second, i, sinks[i].first, sinks[i].second);
    const std::string exported = second->ExportSinks();
    second.reset();  // exported: its files are the first writer's now
    first->ImportSinks(exported);
    first->Commit();
  }
  EXPECT_EQ(ScanIds(*two), ScanIds(*one));
  EXPECT_EQ(FileRows(*two), FileRows(*one));
  EXPECT_EQ(FileRows(*two), (std::vector<int64_t>{25000, 25000, 30}));
  // Each file's manifest metrics, imported ones too, are those one writer records.
  const auto one_files = one->Current().files;
  const auto two_files = two->Current().files;
  ASSERT_EQ(two_files.size(), one_files.size());
  for (size_t i = 0; i < two_files.size(); i++) {
    EXPECT_EQ(two_files[i].bytes, one_files[i].bytes) << i;
    EXPECT_EQ(two_files[i].metrics.value_counts, one_files[i].metrics.value_counts) << i;
    EXPECT_EQ(two_files[i].metrics.null_value_counts, one_files[i].metrics.null_value_counts) << i;
    EXPECT_EQ(two_files[i].metrics.lower_bounds, one_files[i].metrics.lower_bounds) << i;
    EXPECT_EQ(two_files[i].metrics.upper_bounds, one_files[i].metrics.upper_bounds) << i;
    EXPECT_FALSE(two_files[i].metrics.lower_bounds.empty()) << i;
  }
  EXPECT_EQ(two->Current().row_count, 50030);
  // The small sinks' exported file was read back and removed.
  EXPECT_EQ(DataFiles(dir.path() + "/two"), 3u);
}

// A shared write that is never committed: the writer that imported removes every file.
TEST(TableWriterTest, SharedWriteNotCommittedLeavesNoFiles) {
  TempDir dir;
  auto store = FileTableStore::Create(dir.path() + "/t", "t", OneColumn(), {});
  const size_t before = DataFiles(dir.path() + "/t");
  {
    auto first = store->BeginAppend();
    auto second = store->BeginAppend();
    WriteSink(*first, 0, 0, 25000);
    WriteSink(*second, 1, 25000, 25000);
    WriteSink(*second, 2, 50000, 10);
    first->ImportSinks(second->ExportSinks());
    second.reset();
    EXPECT_EQ(DataFiles(dir.path() + "/t"), before + 2);
  }
  EXPECT_EQ(DataFiles(dir.path() + "/t"), before);
  EXPECT_EQ(store->Current().row_count, 0);
}

}  // namespace
}  // namespace sluice
