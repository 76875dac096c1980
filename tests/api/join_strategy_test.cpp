// The join decision tree as EXPLAIN shows it, hints, EXPLAIN formats, and identical answers
// whatever strategy runs a join.
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "api/dataframe.h"
#include "api/session.h"
#include "api/sql_runner.h"

namespace sluice {
namespace {

Settings TestSettings() {
  Settings s;
  s.set_threads(2);
  s.set_shuffle_partitions(4);
  s.set_progress_bar(false);
  return s;
}

class JoinStrategyTest : public ::testing::Test {
 protected:
  JoinStrategyTest() : session_(TestSettings()) {
    Run("CREATE TABLE fact AS SELECT range AS id, range % 1000 AS k, range % 7 AS v "
        "FROM range(50000);"
        "CREATE TABLE dim AS SELECT range AS k, 'name' || range AS name, range % 5 AS w "
        "FROM range(0, 1200, 2);"
        "CREATE TABLE nk AS SELECT * FROM (VALUES (NULL, 'n', 1), (2, 'two', 2)) v(k, name, w);");
  }
  std::vector<StatementResult> Run(const std::string& sql) { return RunSqlScript(session_, sql); }
  std::string Text(const std::string& sql) {
    const auto result = Run(sql).back();
    std::string out;
    for (const auto& b : result.batches) {
      for (size_t i = 0; i < b.num_rows(); i++) out += b.GetRow(i)[0].ToString();
    }
    return out;
  }
  std::vector<std::string> SortedRows(const std::string& sql) {
    std::vector<std::string> out;
    const StatementResult result = Run(sql).back();
    for (const auto& b : result.batches) {
      for (size_t i = 0; i < b.num_rows(); i++) {
        std::string line;
        for (const auto& v : b.GetRow(i)) line += v.ToString() + "|";
        out.push_back(line);
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  void NoBroadcast() {
    Run("SET broadcast_threshold = -1; SET prefer_in_process_broadcast = false");
  }

  Session session_;
};

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(JoinStrategyTest, SmallDimensionIsBroadcast) {
  const std::string plan = Text("EXPLAIN SELECT * FROM fact JOIN dim ON fact.k = dim.k");
  EXPECT_TRUE(Has(plan, "broadcast hash join: build right")) << plan;
  EXPECT_TRUE(Has(plan, "<= broadcast_threshold 10.0 MiB")) << plan;
  EXPECT_TRUE(Has(plan, "Exchange broadcast")) << plan;
}

TEST_F(JoinStrategyTest, InnerJoinBroadcastsTheSmallerSideEvenOnTheLeft) {
  const std::string plan = Text("EXPLAIN SELECT * FROM dim JOIN fact ON fact.k = dim.k");
  // The optimizer may already have put dim on the right; either way dim is built.
  EXPECT_TRUE(Has(plan, "broadcast hash join")) << plan;
}

TEST_F(JoinStrategyTest, RightJoinBroadcastsTheLeftSideAsASwappedLeftJoin) {
  const std::string plan =
      Text("EXPLAIN SELECT * FROM dim RIGHT JOIN fact ON fact.k = dim.k");
  EXPECT_TRUE(Has(plan, "HashJoin [WIDE] LEFT broadcast")) << plan;
  EXPECT_TRUE(Has(plan, "build left")) << plan;
}

TEST_F(JoinStrategyTest, InProcessBroadcastIsAnExplicitBranch) {
  Run("SET broadcast_threshold = '1KB'");
  std::string plan = Text("EXPLAIN SELECT * FROM fact JOIN dim ON fact.k = dim.k");
  EXPECT_TRUE(Has(plan, "broadcast hash join: in-process broadcast")) << plan;
  Run("SET prefer_in_process_broadcast = false");
  plan = Text("EXPLAIN SELECT * FROM fact JOIN dim ON fact.k = dim.k");
  EXPECT_TRUE(Has(plan, "shuffled hash join")) << plan;
}

TEST_F(JoinStrategyTest, NoBroadcastGivesShuffledHashOrSortMerge) {
  NoBroadcast();
  std::string plan = Text("EXPLAIN SELECT * FROM fact JOIN dim ON fact.k = dim.k");
  EXPECT_TRUE(Has(plan, "shuffled hash join: build")) << plan;
  EXPECT_TRUE(Has(plan, "memory_limit/(2 x threads)")) << plan;
  EXPECT_TRUE(Has(plan, "Exchange hash")) << plan;
  Run("SET prefer_sort_merge_join = true");
  plan = Text("EXPLAIN SELECT * FROM fact JOIN dim ON fact.k = dim.k");
  EXPECT_TRUE(Has(plan, "SortMergeJoin [WIDE] INNER")) << plan;
  EXPECT_TRUE(Has(plan, "Sort [WIDE]")) << plan;
}

TEST_F(JoinStrategyTest, SortMergeWhenTheBuildSideDoesNotFitPerPartition) {
  NoBroadcast();
  Run("SET memory_limit = '8KB'");
  const std::string plan = Text("EXPLAIN SELECT * FROM fact JOIN dim ON fact.k = dim.k");
  EXPECT_TRUE(Has(plan, "sort-merge join: build")) << plan;
  Run("SET memory_limit = '1GB'");
}

// A broadcast build cannot spill: under a small memory_limit the threshold is capped at an
// eighth of it (regression: a forced sort-merge join at 4MB was planned as a broadcast hash
// join of a 3 MB side and failed with "hash table needs ... more").
TEST_F(JoinStrategyTest, BroadcastBuildIsBoundedByTheMemoryLimit) {
  Run("SET prefer_in_process_broadcast = false; SET memory_limit = '1MB'");
  std::string plan = Text("EXPLAIN SELECT * FROM fact JOIN dim ON fact.k = dim.k");
  EXPECT_TRUE(Has(plan, "broadcast hash join: build right")) << plan;
  EXPECT_TRUE(Has(plan, "<= memory_limit/8")) << plan;
  Run("SET memory_limit = '16KB'");
  plan = Text("EXPLAIN SELECT * FROM fact JOIN dim ON fact.k = dim.k");
  EXPECT_FALSE(Has(plan, "broadcast hash join")) << plan;
  EXPECT_TRUE(Has(plan, "Exchange hash")) << plan;
}

TEST_F(JoinStrategyTest, HintsOverrideTheTree) {
  std::string plan =
      Text("EXPLAIN SELECT /*+ MERGE(d) */ * FROM fact f JOIN dim d ON f.k = d.k");
  EXPECT_TRUE(Has(plan, "sort-merge join: MERGE hint")) << plan;
  // On a subquery alias: the hint survives the optimizer replacing the subquery's projection.
  plan = Text("EXPLAIN SELECT /*+ MERGE(s) */ * FROM fact JOIN (SELECT k, name FROM dim) s "
              "ON fact.k = s.k");
  EXPECT_TRUE(Has(plan, "sort-merge join: MERGE hint")) << plan;
  plan = Text("EXPLAIN SELECT /*+ SHUFFLE_HASH(dim) */ * FROM fact JOIN dim ON fact.k = dim.k");
  EXPECT_TRUE(Has(plan, "shuffled hash join: SHUFFLE_HASH hint")) << plan;
  NoBroadcast();
  plan = Text("EXPLAIN SELECT /*+ BROADCAST(dim) */ * FROM fact LEFT JOIN dim ON fact.k = dim.k");
  EXPECT_TRUE(Has(plan, "broadcast hash join: BROADCAST hint on the right input")) << plan;
}

TEST_F(JoinStrategyTest, FullOuterJoinNeverBroadcasts) {
  std::string plan = Text("EXPLAIN SELECT * FROM fact FULL JOIN dim ON fact.k = dim.k");
  EXPECT_FALSE(Has(plan, "broadcast hash join")) << plan;
  EXPECT_TRUE(Has(plan, "FULL join never broadcasts")) << plan;
  plan = Text("EXPLAIN SELECT /*+ BROADCAST(dim) */ * FROM fact FULL JOIN dim ON fact.k = dim.k");
  EXPECT_TRUE(Has(plan, "BROADCAST hint ignored: a FULL join cannot broadcast")) << plan;
  EXPECT_FALSE(Has(plan, "broadcast hash join")) << plan;
}

TEST_F(JoinStrategyTest, CoPartitionedInputsNeedNoExchange) {
  NoBroadcast();
  // Both inputs hash-partitioned on k into 3 partitions (as bucketed tables would be).
  DataFrame fact = session_.Table("fact").Repartition(3, {Col("k")});
  DataFrame dim = session_.Table("dim").Repartition(3, {Col("k")});
  const DataFrame joined = fact.Join(dim, std::vector<std::string>{"k"});
  const std::string plan = joined.Explain();
  EXPECT_TRUE(Has(plan, "co-partitioned hash join: both inputs hash-partitioned on the keys (3 "
                        "partitions): no exchange")) << plan;
  EXPECT_FALSE(Has(plan, "; 4) <- Stage")) << plan;  // no exchange into the 4 shuffle partitions
  EXPECT_EQ(joined.Count(), 25000);
}

// EXPLAIN names join keys, exchange keys and sort keys by their columns, not positions.
TEST_F(JoinStrategyTest, ExplainNamesKeysByColumn) {
  NoBroadcast();
  const std::string plan =
      Text("EXPLAIN SELECT f.id, d.name FROM fact f JOIN dim d ON f.k = d.k");
  EXPECT_TRUE(Has(plan, "[f.k] = [d.k]")) << plan;
  EXPECT_TRUE(Has(plan, "Exchange hash(f.k; 4)")) << plan;
  EXPECT_TRUE(Has(plan, "Exchange hash(d.k; 4)")) << plan;
  EXPECT_FALSE(Has(plan, "[#")) << plan;
  Run("SET prefer_sort_merge_join = true");
  const std::string merge = Text("EXPLAIN SELECT f.id FROM fact f JOIN dim d ON f.k = d.k");
  EXPECT_TRUE(Has(merge, "SortMergeJoin")) << merge;
  EXPECT_TRUE(Has(merge, "[f.k] = [d.k]")) << merge;
}

TEST_F(JoinStrategyTest, SameAnswersWhateverTheStrategy) {
  const std::vector<std::string> queries = {
      "SELECT f.id, d.name FROM fact f JOIN dim d ON f.k = d.k AND f.v < d.w",
      "SELECT f.id, d.name FROM fact f LEFT JOIN dim d ON f.k = d.k",
      "SELECT d.name, f.id FROM dim d RIGHT JOIN fact f ON f.k = d.k",
      "SELECT f.id, d.name FROM fact f FULL JOIN dim d ON f.k + 1 = d.k",
      "SELECT f.id FROM fact f WHERE EXISTS (SELECT 1 FROM dim d WHERE d.k = f.k AND d.w > f.v)",
      "SELECT f.id FROM fact f WHERE NOT EXISTS (SELECT 1 FROM dim d WHERE d.k = f.k)",
      "SELECT n.name, d.name FROM nk n FULL JOIN dim d ON n.k = d.k",
  };
  const std::vector<std::string> configs = {
      "SET broadcast_threshold = '10MB'; SET prefer_in_process_broadcast = true; "
      "SET prefer_sort_merge_join = false",
      "SET broadcast_threshold = -1; SET prefer_in_process_broadcast = false; "
      "SET prefer_sort_merge_join = false",
      "SET broadcast_threshold = -1; SET prefer_in_process_broadcast = false; "
      "SET prefer_sort_merge_join = true",
  };
  for (const auto& q : queries) {
    std::vector<std::vector<std::string>> answers;
    for (const auto& c : configs) {
      Run(c);
      answers.push_back(SortedRows(q));
    }
    EXPECT_FALSE(answers[0].empty()) << q;
    EXPECT_EQ(answers[0], answers[1]) << q;
    EXPECT_EQ(answers[0], answers[2]) << q;
  }
}

TEST_F(JoinStrategyTest, DataFrameHint) {
  DataFrame fact = session_.Table("fact");
  DataFrame dim = session_.Table("dim");
  const std::string merge = fact.Join(dim.Hint("merge"), std::vector<std::string>{"k"}).Explain();
  EXPECT_TRUE(Has(merge, "SortMergeJoin")) << merge;
  EXPECT_TRUE(Has(merge, "MERGE hint")) << merge;
  const std::string hash =
      fact.Join(dim.Hint("shuffle_hash"), std::vector<std::string>{"k"}).Explain();
  EXPECT_TRUE(Has(hash, "SHUFFLE_HASH hint")) << hash;
  EXPECT_EQ(fact.Join(dim.Hint("merge"), std::vector<std::string>{"k"}).Count(),
            fact.Join(dim, std::vector<std::string>{"k"}).Count());
  EXPECT_THROW(dim.Hint("nested_loop"), UserError);
}

TEST_F(JoinStrategyTest, ExplainFormatJson) {
  NoBroadcast();
  const std::string text =
      Text("EXPLAIN (FORMAT json) SELECT * FROM fact JOIN dim ON fact.k = dim.k");
  const auto json = nlohmann::json::parse(text);
  ASSERT_TRUE(json.contains("stages"));
  ASSERT_TRUE(json.contains("exchanges"));
  EXPECT_EQ(json["exchanges"].size(), 2u);
  EXPECT_EQ(json["exchanges"][0]["partitioning"].get<std::string>().rfind("hash", 0), 0u);
  bool found_join = false;
  for (const auto& stage : json["stages"]) {
    for (const auto& op : stage["operators"]) {
      if (op["name"] == "HashJoin") {
        found_join = true;
        EXPECT_TRUE(Has(op["strategy"].get<std::string>(), "shuffled hash join"));
      }
    }
  }
  EXPECT_TRUE(found_join) << text;

  const std::string analyzed =
      Text("EXPLAIN (ANALYZE, FORMAT json) SELECT * FROM fact JOIN dim ON fact.k = dim.k");
  const auto run = nlohmann::json::parse(analyzed);
  for (const auto& ex : run["exchanges"]) {
    EXPECT_TRUE(ex.contains("stats"));
    EXPECT_GT(ex["task_stats"]["tasks"].get<int>(), 0);
  }
  int64_t join_rows = -1;
  for (const auto& stage : run["stages"]) {
    for (const auto& op : stage["operators"]) {
      if (op["name"] == "HashJoin") join_rows = op["metrics"]["rows"].get<int64_t>();
    }
  }
  EXPECT_EQ(join_rows, 25000);  // 50 rows per k in 0..999; dim holds the even keys
}

TEST_F(JoinStrategyTest, ExplainFormatDot) {
  const std::string dot =
      Text("EXPLAIN (FORMAT dot) SELECT * FROM fact FULL JOIN dim ON fact.k = dim.k");
  EXPECT_EQ(dot.rfind("digraph plan {", 0), 0u) << dot;
  EXPECT_TRUE(Has(dot, "subgraph cluster_stage1")) << dot;
  EXPECT_TRUE(Has(dot, "style=dashed, label=\"Exchange hash")) << dot;
  EXPECT_EQ(dot.back(), '\n');
  EXPECT_EQ(std::count(dot.begin(), dot.end(), '{'), std::count(dot.begin(), dot.end(), '}'));
}

TEST_F(JoinStrategyTest, ExplainAnalyzeShowsTaskSkew) {
  NoBroadcast();
  const std::string text =
      Text("EXPLAIN ANALYZE SELECT * FROM fact JOIN dim ON fact.k = dim.k");
  EXPECT_TRUE(Has(text, "task time max=")) << text;
  EXPECT_TRUE(Has(text, "task rows max=")) << text;
}

}  // namespace
}  // namespace sluice
