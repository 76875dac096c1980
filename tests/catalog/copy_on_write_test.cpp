// Copy-on-write per data file: writes split into files of target_file_rows rows, and UPDATE,
// DELETE and MERGE rewrite only the files that may hold changed rows, keeping the others by
// reference in the next snapshot.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <set>
#include <sstream>
#include <thread>

#include "api/dataframe.h"
#include "api/session.h"
#include "catalog/bucketing.h"
#include "catalog/file_table_store.h"
#include "catalog/warehouse.h"
#include "catalog_test_util.h"
#include "common/error.h"
#include "plan/logical_plan.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using testing::Query;
using testing::DataFiles;
using testing::SortedRows;
using testing::TempDir;

Schema IdColumn() { return Schema({Field{"id", LogicalType(TypeId::kBigInt), true, ""}}); }

// Ids from..to-1 in batches of `batch` rows.
std::vector<Batch> Ids(int64_t from, int64_t to, int64_t batch = 100) {
  std::vector<Batch> batches;
  for (int64_t start = from; start < to; start += batch) {
    const int64_t n = std::min(batch, to - start);
    auto id = Column::Make(LogicalType(TypeId::kBigInt), static_cast<size_t>(n));
    for (int64_t i = 0; i < n; i++) id->data<int64_t>()[i] = start + i;
    id->set_size(static_cast<size_t>(n));
    batches.emplace_back(std::vector<ColumnPtr>{id}, static_cast<size_t>(n));
  }
  return batches;
}

std::set<std::string> Paths(const Snapshot& s) {
  std::set<std::string> paths;
  for (const auto& f : s.files) paths.insert(f.path);
  return paths;
}

std::set<std::string> Minus(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::set<std::string> out;
  for (const auto& x : a) {
    if (!b.count(x)) out.insert(x);
  }
  return out;
}

// `id = value` bound over the table's schema, as a statement hands it to PlanRewrite.
std::vector<ExprPtr> IdEquals(const TableStore& store, int64_t value) {
  return {MakeFilter(MakeScan(store.Source()), sluice::Eq(Col("id"), Lit(Value::BigInt(value))))
              ->predicate};
}

// A --db session whose writes start a new file every 2048 rows; t holds ids 0..20479 in
// ten files (ids ascending, so each key lies in one file).
class CopyOnWriteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    session_ = std::make_unique<Session>(Settings{}, tmp_.path());
    session_->Set("target_file_rows", "2048");
    Query(*session_, "create table t as select range as id, range % 7 as g from range(20480)");
  }
  Snapshot Current(const std::string& table = "t") {
    return session_->warehouse().FindTable(ParseCatalogName(table))->Current();
  }
  // The rows of `sql` against the same statements run on an in-memory table.
  std::vector<std::string> InMemory(const std::string& statements, const std::string& sql) {
    Session memory;
    Query(memory, "create table t as select range as id, range % 7 as g from range(20480)");
    Query(memory, statements);
    return Query(memory, sql);
  }

  TempDir tmp_;
  std::unique_ptr<Session> session_;
};

TEST(FileSplitTest, WritesStartANewFileEveryTargetRows) {
  TempDir tmp;
  auto store = FileTableStore::Create(tmp.path() + "/t", "t", IdColumn(), Ids(0, 10050), {}, 1000);
  const Snapshot s = store->Current();
  ASSERT_EQ(s.files.size(), 11u);
  for (size_t i = 0; i < 10; i++) EXPECT_EQ(s.files[i].rows, 1000) << i;
  EXPECT_EQ(s.files[10].rows, 50);
  EXPECT_EQ(s.row_count, 10050);
  // The default keeps a small write in one file.
  auto one = FileTableStore::Create(tmp.path() + "/u", "u", IdColumn(), Ids(0, 10050));
  EXPECT_EQ(one->Current().files.size(), 1u);
}

TEST_F(CopyOnWriteTest, TableIsSplitIntoFiles) {
  const Snapshot s = Current();
  ASSERT_EQ(s.files.size(), 10u);
  for (const auto& f : s.files) EXPECT_EQ(f.rows, 2048) << f.path;
}

TEST_F(CopyOnWriteTest, DeleteOfOneKeyRewritesOnlyItsFile) {
  const Snapshot before = Current();
  EXPECT_EQ(Query(*session_, "delete from t where id = 5000"), std::vector<std::string>{});
  const Snapshot after = Current();
  EXPECT_EQ(after.version, before.version + 1);
  const auto removed = Minus(Paths(before), Paths(after));
  const auto added = Minus(Paths(after), Paths(before));
  ASSERT_EQ(removed.size(), 1u);
  ASSERT_EQ(added.size(), 1u);
  // The replaced file is the third (ids 4096..6143); the new one holds its other rows.
  EXPECT_EQ(*removed.begin(), before.files[2].path);
  EXPECT_EQ(after.row_count, 20479);
  for (const auto& f : after.files) {
    if (added.count(f.path)) {
      EXPECT_EQ(f.rows, 2047);
    }
  }
  const std::string check =
      "select count(*), sum(id), sum(case when id = 5000 then 1 else 0 end) from t";
  EXPECT_EQ(Query(*session_, check), InMemory("delete from t where id = 5000", check));
}

TEST_F(CopyOnWriteTest, UpdateOfOneKeyRewritesOnlyItsFile) {
  const Snapshot before = Current();
  Query(*session_, "update t set g = -1 where id = 20000");
  const Snapshot after = Current();
  const auto removed = Minus(Paths(before), Paths(after));
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(*removed.begin(), before.files[9].path);
  EXPECT_EQ(Minus(Paths(after), Paths(before)).size(), 1u);
  const std::string check = "select g, count(*), sum(id) from t group by g";
  EXPECT_EQ(Query(*session_, check), InMemory("update t set g = -1 where id = 20000", check));
  // A predicate the statistics cannot judge rewrites every file, with the same answer.
  Query(*session_, "update t set g = g + 1 where g % 2 = 0");
  EXPECT_TRUE(Minus(Paths(after), Paths(Current())).size() == 10u);
  EXPECT_EQ(Query(*session_, check),
            InMemory("update t set g = -1 where id = 20000; update t set g = g + 1 where g % 2 = 0",
                     check));
}

TEST_F(CopyOnWriteTest, MergeRewritesOnlyFilesOfMatchedKeysAndInsertsIntoNewFiles) {
  const std::string merge =
      "merge into t using (select 3000 as id, 100 as g union all select 99999, 5) s "
      "on t.id = s.id when matched then update set g = s.g "
      "when not matched then insert values (s.id, s.g)";
  const Snapshot before = Current();
  Query(*session_, merge);
  const Snapshot after = Current();
  // Source keys span [3000, 99999]: files 1..9 may match by their statistics, file 0
  // (ids 0..2047) cannot and is kept.
  const auto removed = Minus(Paths(before), Paths(after));
  EXPECT_EQ(removed.size(), 9u);
  EXPECT_FALSE(removed.count(before.files[0].path));
  EXPECT_TRUE(Paths(after).count(before.files[0].path));
  const std::string check = "select g, count(*), sum(id) from t group by g";
  EXPECT_EQ(Query(*session_, check), InMemory(merge, check));

  // A narrow key range: only the file of key 7000 changes; the new row goes to a new file.
  const std::string narrow =
      "merge into t using (select 7000 as id, 200 as g) s on t.id = s.id "
      "when matched then update set g = s.g";
  const Snapshot mid = Current();
  Query(*session_, narrow);
  EXPECT_EQ(Minus(Paths(mid), Paths(Current())).size(), 1u);
  EXPECT_EQ(Minus(Paths(Current()), Paths(mid)).size(), 1u);
  EXPECT_EQ(Query(*session_, check), InMemory(merge + "; " + narrow, check));

  // Only new keys: every file is kept and the rows are appended.
  const Snapshot last = Current();
  Query(*session_,
        "merge into t using (select 123456 as id, 1 as g) s on t.id = s.id "
        "when not matched then insert values (s.id, s.g)");
  EXPECT_TRUE(Minus(Paths(last), Paths(Current())).empty());
  EXPECT_EQ(Current().files.size(), last.files.size() + 1);
}

TEST_F(CopyOnWriteTest, StatementsThatChangeNothingCommitNothing) {
  const Snapshot before = Current();
  Query(*session_, "delete from t where id = -1");
  Query(*session_, "delete from t where id > 100000");
  EXPECT_EQ(Current().version, before.version);
}

// A statement that fails while its rows stream into new files (a conversion error in a new
// value) or before (a duplicate match) commits nothing and removes what it wrote.
TEST_F(CopyOnWriteTest, FailedStatementsCommitNothingAndLeaveNoFiles) {
  const Snapshot before = Current();
  const size_t files = DataFiles(tmp_.path() + "/main/t");
  const char* failing[] = {
      "update t set g = cast(case when id < 15000 then '1' else 'x' end as integer) where id > 9",
      "update t set g = cast(case when s.k < 15000 then '1' else 'x' end as integer) "
      "from (select range as k from range(20480)) s where t.id = s.k",
      "merge into t using (select range as id from range(20470, 20490)) s on t.id = s.id "
      "when matched then update set g = 0 "
      "when not matched then insert values (s.id, cast('x' as integer))",
      "merge into t using (select range % 3 as id from range(10)) s on t.id = s.id "
      "when matched then delete",
  };
  for (const char* sql : failing) {
    EXPECT_THROW(Query(*session_, sql), UserError) << sql;
    EXPECT_EQ(Current().version, before.version) << sql;
    EXPECT_EQ(DataFiles(tmp_.path() + "/main/t"), files) << sql;
  }
  EXPECT_EQ(Query(*session_, "select count(*), sum(id), sum(g) from t"),
            std::vector<std::string>{"20480|209704960|61435"});
}

TEST_F(CopyOnWriteTest, ReplacedFilesAreCollectedKeptFilesStay) {
  const Snapshot v1 = Current();
  Query(*session_, "delete from t where id = 10");     // v2: replaces file 0
  Query(*session_, "delete from t where id = 20000");  // v3: replaces file 9
  // v1's file 0 belongs to neither v3 nor v2 (the previous snapshot): removed from disk.
  EXPECT_FALSE(fs::exists(tmp_.path() + "/main/t/" + v1.files[0].path));
  // v1's file 9 is still listed by v2, and files 1..8 by every snapshot.
  EXPECT_TRUE(fs::exists(tmp_.path() + "/main/t/" + v1.files[9].path));
  for (size_t i = 1; i < 9; i++) EXPECT_TRUE(Paths(Current()).count(v1.files[i].path));
  EXPECT_EQ(DataFiles(tmp_.path() + "/main/t"), 11u);  // 10 of v3 + v1's file 9
  // A reopened warehouse reads the kept files.
  session_.reset();
  Session reopened(Settings{}, tmp_.path());
  EXPECT_EQ(Query(reopened, "select count(*), sum(id) from t"),
            std::vector<std::string>{"20478|209684950"});
}

TEST(CopyOnWriteStoreTest, PlanRewriteChoosesFilesByStatistics) {
  TempDir tmp;
  auto store = FileTableStore::Create(tmp.path() + "/t", "t", IdColumn(), Ids(0, 5000), {}, 1000);
  const TableRewrite rewrite = store->PlanRewrite(IdEquals(*store, 2500));
  EXPECT_FALSE(rewrite.whole);
  EXPECT_EQ(rewrite.version, 1);
  ASSERT_EQ(rewrite.files.size(), 1u);
  EXPECT_EQ(rewrite.files[0], store->Current().files[2].path);
  EXPECT_EQ(rewrite.source->EstimatedRows(), 1000);
  EXPECT_EQ(store->PlanRewrite({}).files.size(), 5u);
  EXPECT_TRUE(store->PlanRewrite(IdEquals(*store, 9999)).files.empty());
  // Rewrite: file 2 replaced by its rows without 2500; the others kept.
  std::vector<Batch> rows = Ids(2000, 2500);
  for (auto& b : Ids(2501, 3000)) rows.push_back(std::move(b));
  store->Rewrite(rewrite, rows);
  const Snapshot after = store->Current();
  EXPECT_EQ(after.row_count, 4999);
  EXPECT_EQ(Minus(Paths(after), {rewrite.files[0]}).size(), 5u);
}

TEST(CopyOnWriteStoreTest, StaleRewriteConflictsAndWritesNothing) {
  TempDir tmp;
  const std::string dir = tmp.path() + "/t";
  FileTableStore::Create(dir, "t", IdColumn(), Ids(0, 3000), {}, 1000);
  auto a = FileTableStore::Open(dir, "t", 1000);
  auto b = FileTableStore::Open(dir, "t", 1000);
  // a's statement reads snapshot 1; another process then appends.
  const TableRewrite rewrite = a->PlanRewrite(IdEquals(*a, 10));
  b->Append(Ids(3000, 3100));
  EXPECT_THROW(a->Rewrite(rewrite, Ids(11, 1000)), WriteConflictError);
  EXPECT_EQ(DataFiles(dir), 4u);  // a's new file was removed
  auto reopened = FileTableStore::Open(dir, "t");
  EXPECT_EQ(reopened->Current().version, 2);
  EXPECT_EQ(reopened->Current().row_count, 3100);
  // Within one process too: a commit after the statement read its snapshot.
  const TableRewrite stale = reopened->PlanRewrite(IdEquals(*reopened, 10));
  reopened->Append(Ids(5000, 5001));
  EXPECT_THROW(reopened->Rewrite(stale, Ids(11, 1000)), WriteConflictError);
  EXPECT_EQ(reopened->Current().row_count, 3101);
  // A rewrite from the current snapshot commits (file 0 without id 10).
  std::vector<Batch> kept = Ids(0, 10);
  for (auto& b : Ids(11, 1000)) kept.push_back(std::move(b));
  reopened->Rewrite(reopened->PlanRewrite(IdEquals(*reopened, 10)), kept);
  EXPECT_EQ(reopened->Current().row_count, 3100);
}

TEST(CopyOnWriteStoreTest, CrashedRewriteLeavesNothingAfterReopen) {
  TempDir tmp;
  const std::string dir = tmp.path() + "/t";
  FileTableStore::Create(dir, "t", IdColumn(), Ids(0, 3000), {}, 1000);
  // A rewrite that crashed before its commit: a finished data file and a stale marker.
  std::ofstream(dir + "/data/part-crashed.parquet") << "PAR1";
  std::ofstream(dir + "/data/part-crashed.pending");
  fs::last_write_time(dir + "/data/part-crashed.pending",
                      fs::file_time_type::clock::now() - std::chrono::hours(2));
  auto store = FileTableStore::Open(dir, "t");
  EXPECT_FALSE(fs::exists(dir + "/data/part-crashed.parquet"));
  EXPECT_FALSE(fs::exists(dir + "/data/part-crashed.pending"));
  EXPECT_EQ(DataFiles(dir), 3u);
  EXPECT_EQ(store->Current().row_count, 3000);
}

TEST_F(CopyOnWriteTest, BucketedTableRewritesOnlyFilesOfTheKeysBucket) {
  Query(*session_,
        "create table b clustered by (k) into 4 buckets as "
        "select range % 50 as k, range as x from range(40000)");
  const Snapshot before = Current("b");
  ASSERT_GT(before.files.size(), 4u);
  Query(*session_, "delete from b where k = 7");
  const Snapshot after = Current("b");
  std::set<int> changed_buckets;
  const auto removed = Minus(Paths(before), Paths(after));
  const auto added = Minus(Paths(after), Paths(before));
  for (const auto& f : before.files) {
    if (removed.count(f.path)) changed_buckets.insert(f.bucket);
  }
  for (const auto& f : after.files) {
    if (added.count(f.path)) changed_buckets.insert(f.bucket);
    EXPECT_GE(f.bucket, 0);
  }
  // `k = 7` names one bucket: only its files are rewritten.
  EXPECT_EQ(changed_buckets.size(), 1u);
  EXPECT_FALSE(removed.empty());
  EXPECT_LT(removed.size(), before.files.size());
  EXPECT_EQ(after.buckets, before.buckets);
  Session memory;
  Query(memory,
        "create table b clustered by (k) into 4 buckets as "
        "select range % 50 as k, range as x from range(40000); delete from b where k = 7");
  const std::string check = "select k, count(*), sum(x) from b group by k";
  EXPECT_EQ(Query(*session_, check), Query(memory, check));
  // The table is still scanned one task per bucket: a GROUP BY k needs no exchange.
  EXPECT_EQ(Query(*session_, "select count(*) from b where k = 7"), std::vector<std::string>{"0"});
}

TEST(ParallelWriteTest, WritesToDifferentTablesRunSideBySide) {
  TempDir tmp;
  Warehouse warehouse(tmp.path());
  warehouse.SetTargetFileRows(1000);
  std::vector<std::thread> writers;
  std::atomic<int> created = 0;
  for (int w = 0; w < 4; w++) {
    writers.emplace_back([&, w] {
      const CatalogName name{"main", "t" + std::to_string(w)};
      warehouse.CreateTable(name, IdColumn(), Ids(0, 5000));
      for (int i = 0; i < 5; i++)
        warehouse.Append(name, Ids(10000 * (i + 1), 10000 * (i + 1) + 100));
      // And the same new table from every thread: one commit creates it; a replace that
      // started from a snapshot another thread has replaced since is a conflict.
      try {
        warehouse.CreateTable({"main", "shared"}, IdColumn(), Ids(0, 10 * (w + 1)));
        created++;
      } catch (const WriteConflictError&) {
      }
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_GE(created.load(), 1);
  for (int w = 0; w < 4; w++) {
    const Snapshot s = warehouse.FindTable({"main", "t" + std::to_string(w)})->Current();
    EXPECT_EQ(s.row_count, 5500);
    EXPECT_EQ(s.files.size(), 10u);
  }
  const Snapshot shared = warehouse.FindTable({"main", "shared"})->Current();
  EXPECT_EQ(shared.version, created.load());
  EXPECT_EQ(shared.row_count % 10, 0);
  EXPECT_GT(shared.row_count, 0);
}

// True when a thread of this process waits for an flock (a "->" line of /proc/locks).
bool ThisProcessWaitsForAnFlock() {
  std::ifstream locks("/proc/locks");
  const std::string pid = " " + std::to_string(::getpid()) + " ";
  std::string line;
  while (std::getline(locks, line)) {
    if (line.find("-> FLOCK") != std::string::npos && line.find(pid) != std::string::npos) {
      return true;
    }
  }
  return false;
}

TEST(ParallelWriteTest, AWriteWaitingForItsTableLeavesTheWarehouseUsable) {
  TempDir tmp;
  Warehouse warehouse(tmp.path());
  const CatalogName a{"main", "a"}, b{"main", "b"};
  warehouse.CreateTable(a, IdColumn(), Ids(0, 10));
  warehouse.CreateTable(b, IdColumn(), Ids(0, 10));
  // Another process holds a's lock (a long commit): a's writer waits for it, and must not
  // hold the warehouse meanwhile.
  const int fd = ::open((tmp.path() + "/main/a").c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  auto writer_a = std::async(std::launch::async, [&] { warehouse.Append(a, Ids(10, 20)); });
  while (!ThisProcessWaitsForAnFlock() &&
         writer_a.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
    std::this_thread::yield();
  }
  // Before writes ran outside the warehouse lock, this blocked until a's lock was released
  // (never: the test hung).
  warehouse.Append(b, Ids(10, 30));
  warehouse.CreateTable({"main", "c"}, IdColumn(), Ids(0, 5));
  EXPECT_EQ(warehouse.FindTable(b)->Current().row_count, 30);
  EXPECT_EQ(writer_a.wait_for(std::chrono::seconds(0)), std::future_status::timeout);
  ::close(fd);
  writer_a.get();
  EXPECT_EQ(warehouse.FindTable(a)->Current().row_count, 20);
}

}  // namespace
}  // namespace sluice
