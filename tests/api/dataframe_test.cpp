#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "api/dataframe.h"
#include "api/result_format.h"
#include "api/session.h"
#include "common/error.h"

namespace sluice {
namespace {

Settings WithThreads(int threads, int partitions = 16) {
  Settings s;
  s.set_threads(threads);
  s.set_shuffle_partitions(partitions);
  s.set_progress_bar(false);
  return s;
}

// Rows as strings, for readable comparisons.
std::vector<std::string> Rows(const DataFrame& df) {
  std::vector<std::string> out;
  for (const auto& row : df.CollectRows()) {
    std::string line;
    for (size_t i = 0; i < row.size(); i++) line += (i ? "|" : "") + row[i].ToString();
    out.push_back(line);
  }
  return out;
}

DataFrame Sales(Session& s, int64_t n) {
  ExprPtr id = Col("range");
  return s.Range(0, n).Select({Alias(id, "id"), Alias(Call("%", {id, Lit(int64_t{7})}), "k"),
                               Alias(Call("%", {id * Lit(int64_t{13}), Lit(int64_t{100})}), "v")});
}

TEST(DataFrame, NothingRunsBeforeAnAction) {
  Session s(WithThreads(2));
  // A bad column is reported when the transformation is made...
  EXPECT_THROW(s.Range(0, 10).Select({Col("nope")}), BindError);
  // ...and a valid pipeline is only a plan until an action.
  DataFrame df = Sales(s, 10).Filter(Gt(Col("v"), Lit(50)));
  EXPECT_EQ(df.schema().size(), 3u);
  EXPECT_EQ(df.Count(), 4);
}

TEST(DataFrame, GroupByAggregates) {
  Session s(WithThreads(2));
  DataFrame agg = Sales(s, 2049)
                      .GroupBy(std::vector<std::string>{"k"})
                      .Agg({Alias(CountStar(), "n"), Alias(Sum(Col("v")), "total"),
                            Alias(Min(Col("id")), "first_id")})
                      .OrderBy({Asc(Col("k"))});
  auto rows = agg.CollectRows();
  ASSERT_EQ(rows.size(), 7u);
  int64_t count = 0;
  for (const auto& r : rows) count += r[1].GetInt();
  EXPECT_EQ(count, 2049);
  EXPECT_EQ(rows[0][0].GetInt(), 0);
  EXPECT_EQ(rows[0][3].GetInt(), 0);
  EXPECT_EQ(rows[6][3].GetInt(), 6);
  // Over all rows, and over no rows at all.
  auto total = Sales(s, 100).Agg({Alias(Sum(Col("id")), "s")}).CollectRows();
  ASSERT_EQ(total.size(), 1u);
  EXPECT_EQ(total[0][0].GetInt(), 4950);
  auto none = Sales(s, 100).Filter(Lt(Col("id"), Lit(0))).Agg({CountStar(), Sum(Col("id"))}).CollectRows();
  ASSERT_EQ(none.size(), 1u);
  EXPECT_EQ(none[0][0].GetInt(), 0);
  EXPECT_TRUE(none[0][1].is_null());
}

TEST(DataFrame, JoinsOnKeys) {
  Session s(WithThreads(2));
  DataFrame left = Sales(s, 20);
  DataFrame right = s.Range(0, 5).Select({Alias(Col("range"), "k"),
                                          Alias(Col("range") * Lit(int64_t{10}), "w")});
  EXPECT_EQ(left.Join(right, std::vector<std::string>{"k"}).Count(), 15);     // k in 0..4
  EXPECT_EQ(left.Join(right, std::vector<std::string>{"k"}, "left").Count(), 20);
  EXPECT_EQ(left.Join(right, std::vector<std::string>{"k"}, "anti").Count(), 5);
  EXPECT_EQ(left.Join(right, std::vector<std::string>{"k"}, "semi").Count(), 15);
  auto cols = left.Join(right, std::vector<std::string>{"k"}).columns();
  EXPECT_EQ(cols, (std::vector<std::string>{"id", "k", "v", "w"}));
  // Force a shuffled join: same answer.
  Session shuffled(WithThreads(2));
  shuffled.Set("broadcast_threshold", "-1");
  DataFrame l2 = Sales(shuffled, 20);
  DataFrame r2 = shuffled.Range(0, 5).Select({Alias(Col("range"), "k")});
  EXPECT_EQ(l2.Join(r2, std::vector<std::string>{"k"}, "right").Count(), 15);
  EXPECT_EQ(l2.Join(r2, std::vector<std::string>{"k"}, "full").Count(), 20);
}

TEST(DataFrame, ColumnOperations) {
  Session s(WithThreads(2));
  DataFrame df = Sales(s, 3).WithColumn("double_v", Col("v") * Lit(2)).WithColumnRenamed("id", "key")
                     .Drop({"k"});
  EXPECT_EQ(df.columns(), (std::vector<std::string>{"key", "v", "double_v"}));
  EXPECT_EQ(Rows(df.OrderBy({Desc(Col("key"))})),
            (std::vector<std::string>{"2|26|52", "1|13|26", "0|0|0"}));
  // Replacing a column keeps its position.
  EXPECT_EQ(df.WithColumn("v", Lit(1)).columns(), (std::vector<std::string>{"key", "v", "double_v"}));
}

TEST(DataFrame, SetOperationsAndLimits) {
  Session s(WithThreads(2));
  DataFrame a = Sales(s, 10).Select(std::vector<std::string>{"k"});
  EXPECT_EQ(a.Union(a).Count(), 20);
  EXPECT_EQ(a.Distinct().Count(), 7);
  EXPECT_EQ(Sales(s, 10).DropDuplicates({"k"}).Count(), 7);
  EXPECT_EQ(Sales(s, 100).Limit(5).Count(), 5);
  EXPECT_EQ(Rows(Sales(s, 100).OrderBy({Desc(Col("id"))}).Limit(2, 1).Select(std::vector<std::string>{"id"})),
            (std::vector<std::string>{"98", "97"}));
}

TEST(DataFrame, RepartitionCoalesceAndCache) {
  Session s(WithThreads(2));
  DataFrame df = Sales(s, 5000).Repartition(8, {Col("k")});
  EXPECT_EQ(df.Count(), 5000);
  EXPECT_EQ(df.Coalesce(3).Count(), 5000);
  DataFrame cached = df.Filter(Gt(Col("v"), Lit(10))).Cache();
  const int64_t first = cached.Count();
  EXPECT_EQ(cached.Count(), first);
  EXPECT_NE(cached.Explain().find("InMemoryScan"), std::string::npos);
}

TEST(DataFrame, ExplainShowsStagesAndExchanges) {
  Session s(WithThreads(2));
  s.Set("broadcast_threshold", "-1");
  DataFrame df = Sales(s, 3000000)
                     .GroupBy(std::vector<std::string>{"k"})
                     .Agg({Alias(Sum(Col("v")), "total")});
  const std::string plan = df.Explain();
  EXPECT_NE(plan.find("Stage 2"), std::string::npos) << plan;
  EXPECT_NE(plan.find("Exchange hash("), std::string::npos) << plan;
  EXPECT_NE(plan.find("[WIDE]"), std::string::npos) << plan;
  EXPECT_NE(plan.find("[NARROW]"), std::string::npos) << plan;
  const std::string analyzed = df.Explain(true);
  EXPECT_NE(analyzed.find("rows="), std::string::npos) << analyzed;
}

// The same query gives the same rows in the same order whatever the thread count.
TEST(DataFrame, DeterministicAcrossThreadCounts) {
  std::vector<std::string> expected;
  for (int threads : {1, 2, 8}) {
    Session s(WithThreads(threads));
    DataFrame df = Sales(s, 30000)
                       .Filter(Gt(Col("v"), Lit(3)))
                       .GroupBy(std::vector<std::string>{"v"})
                       .Agg({Alias(CountStar(), "n"), Alias(Sum(Col("id")), "s")})
                       .Join(s.Range(0, 50).Select({Alias(Col("range"), "v")}),
                             std::vector<std::string>{"v"});
    auto rows = Rows(df);
    if (expected.empty()) {
      expected = rows;
      EXPECT_FALSE(expected.empty());
    } else {
      EXPECT_EQ(rows, expected) << "threads=" << threads;
    }
  }
}

// Sorted results agree whatever the number of shuffle partitions.
TEST(DataFrame, SameAnswerForAnyPartitionCount) {
  std::vector<std::string> expected;
  for (int partitions : {1, 3, 16, 64}) {
    Session s(WithThreads(2, partitions));
    s.Set("broadcast_threshold", "-1");
    DataFrame df = Sales(s, 10000)
                       .GroupBy(std::vector<std::string>{"k"})
                       .Agg({Alias(Sum(Col("v")), "total")})
                       .OrderBy({Asc(Col("k"))});
    auto rows = Rows(df);
    if (expected.empty()) {
      expected = rows;
    } else {
      EXPECT_EQ(rows, expected) << "partitions=" << partitions;
    }
  }
}

TEST(DataFrame, CsvRoundTrip) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "sluice_df_csv_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  Session s(WithThreads(2));
  Sales(s, 2049).Write().Csv((dir / "sales.csv").string());
  DataFrame back = s.ReadCsv((dir / "sales.csv").string());
  EXPECT_EQ(back.Count(), 2049);
  EXPECT_EQ(back.columns(), (std::vector<std::string>{"id", "k", "v"}));
  auto total = back.Agg({Sum(Col("v"))}).CollectRows();
  auto expected = Sales(s, 2049).Agg({Sum(Col("v"))}).CollectRows();
  EXPECT_EQ(total[0][0].ToString(), expected[0][0].ToString());
  // A directory write makes one part file per partition.
  Sales(s, 5000).Repartition(4).Write().Csv((dir / "parts").string());
  EXPECT_EQ(s.ReadCsv((dir / "parts").string()).Count(), 5000);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sluice
