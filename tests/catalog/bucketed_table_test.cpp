// Bucketed tables: the layout is stored with the table (snapshot metadata under --db, where
// bucketing by one column is the Iceberg partition field bucket[n](k)) and survives
// reopening; every bucket holds exactly the rows a hash Exchange on the bucket columns would
// send to that partition (Iceberg's bucket transform for warehouse tables); writes keep the
// layout; the DataFrame writer saves bucketed tables; answers do not depend on the thread
// count.
#include <gtest/gtest.h>

#include <memory>
#include <mutex>

#include "api/dataframe.h"
#include "catalog/bucketing.h"
#include "catalog/snapshot.h"
#include "catalog/warehouse.h"
#include "catalog_test_util.h"
#include "common/error.h"
#include "io/parquet_reader.h"
#include "vector/iceberg_hash.h"

namespace sluice {
namespace {

using testing::Query;
using testing::SortedRows;
using testing::TempDir;

Settings TestSettings(int threads = 2) {
  Settings s;
  s.set_threads(threads);
  s.set_progress_bar(false);
  // Adaptive coalescing would merge the small partitions these tests compare one by one.
  s.set_adaptive(false);
  return s;
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string Explain(Session& s, const std::string& sql) {
  std::string out;
  const auto results = RunSqlScript(s, "EXPLAIN " + sql);
  for (const auto& b : results.back().batches) {
    for (size_t r = 0; r < b.num_rows(); r++) out += b.GetRow(r)[0].ToString();
  }
  return out;
}

// The rows of each final partition of `df`, sorted within the partition.
std::vector<std::vector<std::string>> RowsPerPartition(Session& s, const DataFrame& df) {
  std::mutex mutex;
  std::vector<std::vector<std::string>> parts;
  s.ExecuteParallel(*df.plan(), [&](int partition, BatchStream& stream) {
    std::vector<Batch> batches;
    Batch b;
    while (stream.Next(&b)) batches.push_back(b);
    std::lock_guard lock(mutex);
    if (parts.size() <= static_cast<size_t>(partition)) parts.resize(partition + 1);
    parts[partition] = SortedRows(batches);
  });
  return parts;
}

// The rows of `df` in each of n Iceberg buckets of column 0 (NULLs in bucket 0), sorted
// within the bucket: the partitions of a warehouse table bucketed by that column.
std::vector<std::vector<std::string>> RowsPerIcebergBucket(const DataFrame& df, int n) {
  const Schema schema = df.schema();
  std::vector<std::vector<Batch>> buckets(static_cast<size_t>(n));
  for (const Batch& batch : df.Collect()) {
    std::vector<std::vector<uint32_t>> selections(static_cast<size_t>(n));
    SelectIcebergBuckets(batch, 0, &selections);
    for (int b = 0; b < n; b++) {
      const auto& sel = selections[static_cast<size_t>(b)];
      BatchBuilder builder(schema);
      builder.AppendSelected(batch, sel.data(), sel.size());
      buckets[static_cast<size_t>(b)].push_back(builder.Finish());
    }
  }
  std::vector<std::vector<std::string>> out;
  for (const auto& rows : buckets) out.push_back(SortedRows(rows));
  return out;
}

// The layout of a warehouse table CLUSTERED BY (k) INTO 4 BUCKETS.
const BucketSpec kIcebergBuckets{{}, 0, {{"k", "bucket[4]"}}};

const char* kCreateTables =
    "CREATE TABLE a CLUSTERED BY (k) INTO 4 BUCKETS AS SELECT CASE WHEN range % 31 = 0 THEN "
    "NULL ELSE range % 200 END AS k, range AS v FROM range(5000);"
    "CREATE TABLE b CLUSTERED BY (k) INTO 4 BUCKETS AS SELECT range AS k, 'w' || range AS w "
    "FROM range(0, 300, 7);"
    "CREATE TABLE a0 AS SELECT * FROM a;"
    "CREATE TABLE b0 AS SELECT * FROM b;";

TEST(BucketedTableTest, LayoutSurvivesReopeningTheWarehouse) {
  TempDir tmp;
  const std::string db = tmp.path() + "/db";
  {
    Session s(TestSettings(), db);
    RunSqlScript(s, kCreateTables);
    RunSqlScript(s,
                 "INSERT INTO a SELECT range, -range FROM range(300);"
                 "INSERT INTO a0 SELECT range, -range FROM range(300);");
  }
  Session s(TestSettings(), db);
  const Snapshot snapshot = s.warehouse().FindTable(ParseCatalogName("a"))->Current();
  EXPECT_EQ(snapshot.buckets, kIcebergBuckets);
  EXPECT_GE(snapshot.files.size(), 4u);
  // Every data file holds one bucket, and its rows really are in that Iceberg bucket.
  for (const auto& f : snapshot.files) {
    ASSERT_GE(f.bucket, 0);
    ASSERT_LT(f.bucket, 4);
    auto file = ParquetSource::Open(db + "/main/a/" + f.path);
    std::vector<Batch> rows;
    for (int split = 0; split < file->num_splits(); split++) {
      auto stream = file->Open(split, {0, 1});
      Batch b;
      while (stream->Next(&b)) rows.push_back(b);
    }
    int64_t in_own_bucket = 0;
    for (const auto& batch : rows) {
      std::vector<std::vector<uint32_t>> selections(4);
      SelectIcebergBuckets(batch, 0, &selections);
      in_own_bucket += static_cast<int64_t>(selections[static_cast<size_t>(f.bucket)].size());
    }
    EXPECT_EQ(in_own_bucket, f.rows) << f.path;
    ASSERT_EQ(f.partition.size(), 1u);
    EXPECT_EQ(f.partition[0].is_null() ? 0 : f.partition[0].GetInt(), f.bucket) << f.path;
  }
  const std::string plan = Explain(s, "SELECT a.k, v, w FROM a JOIN b ON a.k = b.k");
  EXPECT_TRUE(Has(plan,
                  "co-partitioned hash join: both inputs hash-partitioned on the keys (4 "
                  "partitions): no exchange"))
      << plan;
  EXPECT_FALSE(Has(plan, "Exchange")) << plan;
  EXPECT_TRUE(Has(plan, "table a (5300 rows, 4 Iceberg buckets by (k))")) << plan;
  EXPECT_EQ(Query(s, "SELECT a.k, v, w FROM a JOIN b ON a.k = b.k"),
            Query(s, "SELECT a0.k, v, w FROM a0 JOIN b0 ON a0.k = b0.k"));
  EXPECT_EQ(Query(s, "SELECT count(*) FROM a JOIN b ON a.k = b.k"),
            Query(s, "SELECT count(*) FROM a0 JOIN b0 ON a0.k = b0.k"));
}

TEST(BucketedTableTest, BucketsAreTheHashExchangePartitions) {
  for (const bool persistent : {false, true}) {
    TempDir tmp;
    auto session = persistent ? std::make_unique<Session>(TestSettings(), tmp.path() + "/db")
                              : std::make_unique<Session>(TestSettings());
    Session& s = *session;
    RunSqlScript(s, kCreateTables);
    const auto buckets = RowsPerPartition(s, s.Table("a"));
    const auto exchanged = persistent
                               ? RowsPerIcebergBucket(s.Table("a0"), 4)
                               : RowsPerPartition(s, s.Table("a0").Repartition(4, {Col("k")}));
    ASSERT_EQ(buckets.size(), 4u);
    EXPECT_EQ(buckets, exchanged) << (persistent ? "file store" : "memory store");
    size_t rows = 0;
    for (const auto& p : buckets) rows += p.size();
    EXPECT_EQ(rows, 5000u);
  }
}

TEST(BucketedTableTest, WritesKeepTheLayout) {
  TempDir tmp;
  Session s(TestSettings(), tmp.path() + "/db");
  RunSqlScript(s, kCreateTables);
  const std::string same_writes =
      "INSERT INTO {t} SELECT range % 50, 9000 + range FROM range(100);"
      "UPDATE {t} SET k = k + 3 WHERE v % 4 = 0;"
      "DELETE FROM {t} WHERE v % 9 = 0;"
      "MERGE INTO {t} USING (SELECT range AS k, range AS v FROM range(190, 260)) src "
      "ON {t}.v = src.v WHEN MATCHED THEN UPDATE SET k = src.k + 1000 "
      "WHEN NOT MATCHED THEN INSERT VALUES (src.k, src.v);";
  for (const std::string t : {"a", "a0"}) {
    std::string sql = same_writes;
    for (size_t at = sql.find("{t}"); at != std::string::npos; at = sql.find("{t}")) {
      sql.replace(at, 3, t);
    }
    RunSqlScript(s, sql);
  }
  EXPECT_EQ(s.warehouse().FindTable(ParseCatalogName("a"))->Current().buckets, kIcebergBuckets);
  EXPECT_EQ(RowsPerPartition(s, s.Table("a")), RowsPerIcebergBucket(s.Table("a0"), 4));
  EXPECT_EQ(Query(s, "SELECT a.k, v, w FROM a JOIN b ON a.k = b.k"),
            Query(s, "SELECT a0.k, v, w FROM a0 JOIN b0 ON a0.k = b0.k"));
  EXPECT_EQ(Query(s, "SELECT k, count(*), sum(v) FROM a GROUP BY k"),
            Query(s, "SELECT k, count(*), sum(v) FROM a0 GROUP BY k"));
}

TEST(BucketedTableTest, DataFrameWriterSavesABucketedTable) {
  TempDir tmp;
  const std::string db = tmp.path() + "/db";
  {
    Session s(TestSettings(), db);
    RunSqlScript(s, kCreateTables);
    s.Table("a0").Write().BucketBy(4, {"k"}).SaveAsTable("fa");
    s.Table("b0").Write().BucketBy(4, {"K"}).SaveAsTable("fb");
    EXPECT_THROW(s.Table("b0").Write().BucketBy(4, {"k"}).SaveAsTable("fb"), InvalidInputError);
    s.Table("b0").Write().BucketBy(4, {"k"}).SaveAsTable("fb", /*replace=*/true);
  }
  Session s(TestSettings(), db);
  EXPECT_EQ(s.warehouse().FindTable(ParseCatalogName("fb"))->Current().buckets, kIcebergBuckets);
  const DataFrame joined = s.Table("fa").Join(s.Table("fb"), std::vector<std::string>{"k"});
  const std::string plan = joined.Explain();
  EXPECT_TRUE(Has(plan, "co-partitioned hash join")) << plan;
  EXPECT_FALSE(Has(plan, "Exchange")) << plan;
  EXPECT_EQ(std::vector<std::string>{std::to_string(joined.Count())},
            Query(s, "SELECT count(*) FROM a0 JOIN b0 ON a0.k = b0.k"));
  const DataFrame grouped =
      s.Table("fa").GroupBy(std::vector<std::string>{"k"}).Agg({Alias(CountStar(), "n")});
  EXPECT_FALSE(Has(grouped.Explain(), "Exchange")) << grouped.Explain();
  EXPECT_EQ(SortedRows(grouped.Collect()), Query(s, "SELECT k, count(*) FROM a0 GROUP BY k"));
}

TEST(BucketedTableTest, BadLayoutsAreRefusedBeforeAnythingRuns) {
  Session s(TestSettings());
  RunSqlScript(s, kCreateTables);
  try {
    s.Table("a0").Write().BucketBy(4, {"nope"}).SaveAsTable("x");
    FAIL() << "an unknown bucket column was accepted";
  } catch (const BindError& e) {
    EXPECT_TRUE(Has(e.message(), "bucket column \"nope\" is not a column of table \"x\""))
        << e.message();
  }
  EXPECT_THROW(s.Table("a0").Write().BucketBy(0, {"k"}).SaveAsTable("x"), InvalidInputError);
  EXPECT_THROW(s.Table("a0").Write().BucketBy(kMaxBuckets + 1, {"k"}).SaveAsTable("x"),
               InvalidInputError);
  EXPECT_THROW(s.Table("a0").Write().BucketBy(4, {}).SaveAsTable("x"), InvalidInputError);
  EXPECT_THROW(s.Table("a0").Write().BucketBy(4, {"k"}).Csv("/tmp/never.csv"), InvalidInputError);
  EXPECT_THROW(s.Table("a0").Write().PartitionBy({"k"}).SaveAsTable("x"), InvalidInputError);
  EXPECT_FALSE(s.HasTable("x"));
}

TEST(BucketedTableTest, SameAnswersWithOneAndEightThreads) {
  TempDir tmp;
  const std::string db = tmp.path() + "/db";
  {
    Session s(TestSettings(), db);
    RunSqlScript(s, kCreateTables);
  }
  // Unsorted rows: the order must not depend on the thread count either.
  auto run = [&](int threads) {
    Session s(TestSettings(threads), db);
    std::vector<std::string> out;
    for (const char* sql : {"SELECT a.k, v, w FROM a JOIN b ON a.k = b.k",
                            "SELECT k, count(*), sum(v) FROM a GROUP BY k",
                            "SELECT a.k, v FROM a JOIN b0 ON a.k = b0.k"}) {
      const auto results = RunSqlScript(s, sql);
      for (const auto& b : results.back().batches) {
        for (size_t r = 0; r < b.num_rows(); r++) {
          std::string line;
          for (const auto& v : b.GetRow(r)) line += v.ToString() + "|";
          out.push_back(line);
        }
      }
    }
    return out;
  };
  const auto one = run(1);
  EXPECT_GT(one.size(), 1000u);
  EXPECT_EQ(one, run(8));
}

TEST(BucketedTableTest, SnapshotRoundTripsTheLayout) {
  Snapshot s;
  s.version = 3;
  s.schema.Add(Field{"k", TypeId::kBigInt, true, ""});
  s.buckets = BucketSpec{{"k"}, 8, {}};
  s.files = {{"data/part-1.parquet", 10, 0}, {"data/part-2.parquet", 5, 7}};
  s.row_count = 15;
  const Snapshot back = ParseSnapshot(SnapshotToJson(s), "test");
  EXPECT_EQ(back.buckets, s.buckets);
  ASSERT_EQ(back.files.size(), 2u);
  EXPECT_EQ(back.files[1].bucket, 7);
  s.files[1].bucket = 8;  // out of range
  EXPECT_THROW(ParseSnapshot(SnapshotToJson(s), "test"), IOError);
}

}  // namespace
}  // namespace sluice
