// Skew handling for joins and group-bys (issue 5): the adaptive skew split of shuffled
// partitions, the run-time switch of a sort-merge join to a broadcast join, and salting
// (SQL /*+ SKEW(t, key) */, DataFrame::Salt). Every variant must give the answer of the
// plain plan, for any thread count, and EXPLAIN ANALYZE must say what ran.
#include <gtest/gtest.h>

#include <algorithm>

#include "api/dataframe.h"
#include "api/session.h"
#include "api/sql_runner.h"
#include "common/error.h"
#include "physical/adaptive_planner.h"
#include "sql_test_util.h"

namespace sluice {
namespace {

Settings TestSettings(int threads) {
  Settings s;
  s.set_threads(threads);
  s.set_shuffle_partitions(16);
  s.set_progress_bar(false);
  s.set_broadcast_threshold(-1);  // shuffle every join
  s.set_skew_threshold(1024);     // tests use small data
  return s;
}

std::string Text(Session& session, const std::string& sql) {
  return testing::ResultText(session, sql);
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Key 8 holds 30% of the 400 k fact rows; the dimension has every even key below 100 k.
constexpr const char* kFact =
    "(SELECT CASE WHEN range % 10 < 3 THEN 8 ELSE range % 50000 END AS k, range AS v "
    "FROM range(400000))";
constexpr const char* kDim = "(SELECT range * 2 AS k, range AS w FROM range(40000))";
// The same skew over 3 M rows: three source splits, so group-bys run partial aggregates.
constexpr const char* kBigFact =
    "(SELECT CASE WHEN range % 10 < 3 THEN 8 ELSE range % 50000 END AS k, range AS v "
    "FROM range(3000000))";

std::vector<std::string> JoinQueries() {
  const std::string f = kFact;
  const std::string d = kDim;
  const std::string sums = "SELECT count(*), count(f.v), count(d.w), sum(f.v), sum(d.w) FROM ";
  std::vector<std::string> out;
  for (const char* join : {"JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN"}) {
    out.push_back(sums + f + " f " + join + " " + d + " d ON f.k = d.k");
    out.push_back(sums + d + " d " + join + " " + f + " f ON f.k = d.k");
  }
  out.push_back("SELECT count(*), sum(v) FROM " + f + " f WHERE EXISTS (SELECT 1 FROM " + d +
                " d WHERE d.k = f.k)");
  out.push_back("SELECT count(*), sum(v) FROM " + f + " f WHERE NOT EXISTS (SELECT 1 FROM " + d +
                " d WHERE d.k = f.k)");
  // Both inputs skewed (a self-join), with a residual; grouped output without ORDER BY, so
  // the bytes show that row order does not depend on threads either.
  // A broadcast join above the shuffled one, in the same stage: still split beneath it.
  out.push_back("SELECT /*+ BROADCAST(s) */ count(*), sum(f.v), sum(s.x) FROM " + f + " f JOIN " +
                d + " d ON f.k = d.k JOIN (SELECT range AS k, range * 3 AS x FROM range(1000)) s " +
                "ON d.w % 1000 = s.k");
  const std::string small =
      "(SELECT CASE WHEN range % 10 < 3 THEN 8 ELSE range % 500 END AS k, range AS v "
      "FROM range(10000))";
  out.push_back("SELECT a.k, count(*), sum(a.v - b.v) FROM " + small + " a JOIN " + small +
                " b ON a.k = b.k AND a.v % 5 = b.v % 5 GROUP BY a.k");
  return out;
}

TEST(SkewSplitCountsTest, SplitsOnlyPartitionsOverFactorAndThreshold) {
  // Median 10: 100 is 10x the median -> 10 pieces of the median's size.
  EXPECT_EQ(SkewSplitCounts({10, 10, 100, 10, 9}, 5, 50, 16), (std::vector<int>{1, 1, 10, 1, 1}));
  // Under the threshold: not split, however skewed.
  EXPECT_EQ(SkewSplitCounts({10, 10, 100, 10, 9}, 5, 100, 16), (std::vector<int>{1, 1, 1, 1, 1}));
  // Under factor x median: not split.
  EXPECT_EQ(SkewSplitCounts({10, 10, 40, 10}, 5, 1, 16), (std::vector<int>{1, 1, 1, 1}));
  // Capped at max_splits; an empty median splits in max_splits.
  EXPECT_EQ(SkewSplitCounts({0, 0, 1000, 0}, 5, 1, 4), (std::vector<int>{1, 1, 4, 1}));
  EXPECT_TRUE(SkewSplitCounts({}, 5, 1, 4).empty());
}

TEST(SkewJoinTest, SplitGivesTheSameAnswersForAnyThreadCount) {
  Session off(TestSettings(2));
  RunSqlScript(off, "SET skew_join = false");
  Session one(TestSettings(1));
  Session eight(TestSettings(8));
  Session merge(TestSettings(3));
  RunSqlScript(merge, "SET prefer_sort_merge_join = true");
  for (const auto& q : JoinQueries()) {
    const std::string expected = Text(off, q);
    ASSERT_FALSE(expected.empty()) << q;
    EXPECT_EQ(Text(one, q), expected) << q;
    EXPECT_EQ(Text(eight, q), expected) << q;
    EXPECT_EQ(Text(merge, q), expected) << q;
  }
}

TEST(SkewJoinTest, ExplainAnalyzeShowsTheSplit) {
  Session on(TestSettings(2));
  const std::string q = std::string("EXPLAIN ANALYZE SELECT count(*), sum(f.v + d.w) FROM ") +
                        kFact + " f JOIN " + kDim + " d ON f.k = d.k";
  const std::string plan = Text(on, q);
  EXPECT_TRUE(Has(plan, "skew split from 16")) << plan;
  EXPECT_TRUE(Has(plan, "adaptive: skew split left partition")) << plan;
  EXPECT_TRUE(Has(plan, "sub-partitions")) << plan;
  const std::string above = Text(on, "EXPLAIN ANALYZE " + JoinQueries()[10]);
  EXPECT_TRUE(Has(above, "BROADCAST hint")) << above;
  EXPECT_TRUE(Has(above, "adaptive: skew split left partition")) << above;

  // The preserved side of a LEFT join is the one split; the right side never is.
  const std::string left = Text(on, std::string("EXPLAIN ANALYZE SELECT count(*) FROM ") + kDim +
                                        " d LEFT JOIN " + kFact + " f ON f.k = d.k");
  EXPECT_FALSE(Has(left, "skew split")) << left;
  // FULL joins are never split.
  const std::string full = Text(on, std::string("EXPLAIN ANALYZE SELECT count(*) FROM ") + kFact +
                                        " f FULL JOIN " + kDim + " d ON f.k = d.k");
  EXPECT_FALSE(Has(full, "skew split")) << full;

  RunSqlScript(on, "SET skew_join = false");
  EXPECT_FALSE(Has(Text(on, q), "skew split")) << Text(on, q);
  // Key 8 is hot (30% of the rows): auto salting splits its partition whatever the
  // threshold, unless it is off.
  RunSqlScript(on, "SET skew_join = true; SET skew_threshold = '1GB'");
  EXPECT_TRUE(Has(Text(on, q), "auto salting: 1 partition split for hot keys"));
  RunSqlScript(on, "SET auto_salting = false");
  EXPECT_FALSE(Has(Text(on, q), "skew split"));
  RunSqlScript(on, "SET auto_salting = true; SET skew_threshold = '1KB'; SET adaptive = false");
  EXPECT_FALSE(Has(Text(on, q), "skew split"));
}

// A sort-merge join whose right input is estimated large but filtered down to 4000 rows.
constexpr const char* kSwitchQuery =
    "SELECT count(*), sum(f.v + d.w) FROM (SELECT range % 100000 AS k, range AS v FROM "
    "range(2000000)) f JOIN (SELECT range AS k, range * 2 AS w FROM range(4000000) WHERE "
    "range % 1000 = 0) d ON f.k = d.k";

TEST(AdaptiveJoinSwitchTest, SortMergeJoinBecomesBroadcastWhenASideIsSmall) {
  Settings s = TestSettings(2);
  s.set_prefer_sort_merge_join(true);
  // d is planned at 4M rows x the optimizer's 0.1 for an equality (6.4 MB); 4,000 rows
  // (64 KB) reach the exchange.
  s.set_broadcast_threshold(int64_t{1} << 20);
  s.set_prefer_in_process_broadcast(false);
  Session on(s);
  const std::string plan = Text(on, std::string("EXPLAIN ANALYZE ") + kSwitchQuery);
  // The plan that ran: a broadcast HashJoin in place of the planned merge, no sorts.
  EXPECT_TRUE(Has(plan, "HashJoin [WIDE]")) << plan;
  EXPECT_TRUE(Has(plan, "adaptive: switched to broadcast hash join")) << plan;
  EXPECT_TRUE(Has(plan, "(planned as SortMergeJoin; its sorts dropped)")) << plan;
  EXPECT_FALSE(Has(plan, "SortMergeJoin [")) << plan;
  EXPECT_FALSE(Has(plan, "Sort [")) << plan;
  EXPECT_TRUE(Has(plan, "AdaptiveShuffleRead [NARROW] 16 partitions read as one broadcast build"))
      << plan;
  const std::string answer = Text(on, kSwitchQuery);
  EXPECT_EQ(answer, "2000|2197000000|\n");

  Settings plain = s;
  plain.set_adaptive(false);
  Session off(plain);
  EXPECT_FALSE(Has(Text(off, std::string("EXPLAIN ANALYZE ") + kSwitchQuery), "switched"));
  EXPECT_EQ(Text(off, kSwitchQuery), answer);
  // Outer and anti joins keep their semantics when switched.
  for (const char* join : {"LEFT JOIN", "RIGHT JOIN"}) {
    const std::string q = std::string(
                              "SELECT count(*), count(d.w), sum(f.v) FROM (SELECT range "
                              "% 100000 AS k, range AS v FROM range(2000000)) f ") +
                          join +
                          " (SELECT range AS k, range * 2 AS w FROM range(4000000) "
                          "WHERE range % 1000 = 0) d ON f.k = d.k";
    EXPECT_EQ(Text(on, q), Text(off, q)) << q;
  }
  // A small left input of a RIGHT join is broadcast as a swapped LEFT join; columns keep
  // their order and the residual its meaning.
  const std::string swapped =
      "SELECT count(*), count(d.w), sum(f.v + d.w), sum(d.k * 3 + f.k) FROM (SELECT range AS k, "
      "range * 2 AS w FROM range(4000000) WHERE range % 1000 = 0) d RIGHT JOIN (SELECT range % "
      "100000 AS k, range AS v FROM range(2000000)) f ON f.k = d.k AND f.v % 7 <> d.w % 5";
  const std::string swapped_plan = Text(on, "EXPLAIN ANALYZE " + swapped);
  EXPECT_TRUE(Has(swapped_plan, "switched to broadcast hash join after the map stage, left input"))
      << swapped_plan;
  EXPECT_EQ(Text(on, swapped), Text(off, swapped));
  EXPECT_EQ(Text(on, swapped), "2000000|1714|1883345000|339260000|\n");
  // A MERGE hint is honoured.
  const std::string hinted =
      Text(on,
           "EXPLAIN ANALYZE SELECT /*+ MERGE(d) */ count(*) FROM (SELECT range % 100000 AS k "
           "FROM range(2000000)) f JOIN (SELECT range AS k FROM range(4000000) WHERE "
           "range % 1000 = 0) d ON f.k = d.k");
  EXPECT_FALSE(Has(hinted, "switched")) << hinted;
}

TEST(SaltingTest, SkewHintOnJoinsGivesTheSameAnswers) {
  Session plain(TestSettings(2));
  RunSqlScript(plain, "SET skew_join = false");
  Session salted(TestSettings(8));
  const std::string f = kFact;
  const std::string d = kDim;
  for (const char* join : {"JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN"}) {
    for (const char* hint : {"/*+ SKEW(f, k) */", "/*+ SKEW(f, k, 3) */", "/*+ SKEW(d, k) */"}) {
      const std::string q = std::string("SELECT ") + hint +
                            " count(*), count(f.v), count(d.w), sum(f.v), sum(d.w) FROM " + f +
                            " f " + join + " " + d + " d ON f.k = d.k";
      EXPECT_EQ(Text(salted, q), Text(plain, q)) << q;
    }
  }
  const std::string plan =
      Text(salted, "EXPLAIN ANALYZE SELECT /*+ SKEW(f, k, 4) */ count(*) FROM " + f + " f JOIN " +
                       d + " d ON f.k = d.k");
  EXPECT_TRUE(Has(plan, "SaltColumn [NARROW] buckets=4")) << plan;
  EXPECT_TRUE(Has(plan, "ReplicateSalt [NARROW] x4 salts")) << plan;
  EXPECT_TRUE(Has(plan, "salted: left input skewed on k, 4 buckets")) << plan;
  // A LEFT join cannot replicate its preserved left input: the hint on the right is ignored.
  const std::string ignored = Text(salted, "EXPLAIN SELECT /*+ SKEW(d, k) */ count(*) FROM " + f +
                                               " f LEFT JOIN " + d + " d ON f.k = d.k");
  EXPECT_TRUE(Has(ignored, "SKEW(k) ignored")) << ignored;
  EXPECT_FALSE(Has(ignored, "SaltColumn")) << ignored;
}

TEST(SaltingTest, SkewHintOnGroupByGivesTheSameAnswers) {
  Session plain(TestSettings(1));
  Session salted(TestSettings(8));
  const std::string q = std::string(" k, count(*), sum(v), min(v), max(v), avg(v) FROM ") +
                        kBigFact + " t GROUP BY k ORDER BY k";
  const std::string expected = Text(plain, "SELECT" + q);
  EXPECT_EQ(Text(salted, "SELECT /*+ SKEW(t, k) */" + q), expected);
  EXPECT_EQ(Text(plain, "SELECT /*+ SKEW(t, k, 5) */" + q), expected);
  const std::string plan = Text(salted, "EXPLAIN ANALYZE SELECT /*+ SKEW(t, k) */" + q);
  EXPECT_TRUE(Has(plan, "mode=intermediate groups=[t.k, __salt]")) << plan;
  EXPECT_TRUE(Has(plan, "salted: input skewed on k")) << plan;
  // Output bytes (no ORDER BY) do not depend on the thread count.
  const std::string unordered = std::string("SELECT /*+ SKEW(t, k) */ k, count(*), sum(v) FROM ") +
                                kBigFact + " t GROUP BY k";
  EXPECT_EQ(Text(plain, unordered), Text(salted, unordered));
}

TEST(SaltingTest, BadSkewHintsAreClearErrors) {
  Session s(TestSettings(2));
  try {
    Text(s, std::string("SELECT /*+ SKEW(t, nope) */ count(*) FROM ") + kFact + " t");
    FAIL() << "expected a BindError";
  } catch (const BindError& e) {
    EXPECT_TRUE(Has(e.what(), "SKEW(t, nope)")) << e.what();
  }
  EXPECT_THROW(Text(s, std::string("SELECT /*+ SKEW(t, k, 1) */ count(*) FROM ") + kFact + " t"),
               BindError);
}

TEST(SaltingTest, DataFrameSalt) {
  Session plain(TestSettings(1));
  Session salted(TestSettings(8));
  const std::string f = kFact;
  const std::string d = kDim;
  for (Session* s : {&plain, &salted}) {
    RunSqlScript(*s, "CREATE VIEW fact AS SELECT * FROM " + std::string(kBigFact) +
                         "; CREATE VIEW dim AS SELECT * FROM " + d);
  }
  auto joined = [](Session& s, bool salt) {
    DataFrame fact = s.Table("fact");
    if (salt) fact = fact.Salt("k", 6);
    return fact.Join(s.Table("dim"), std::vector<std::string>{"k"})
        .GroupBy(std::vector<std::string>{"k"})
        .Agg({CountStar()})
        .OrderBy(std::vector<std::string>{"k"});
  };
  const std::string expected = joined(plain, false).ShowString(1000);
  EXPECT_EQ(joined(salted, true).ShowString(1000), expected);
  EXPECT_TRUE(Has(joined(salted, true).Explain(), "ReplicateSalt"))
      << joined(salted, true).Explain();

  auto grouped = [](Session& s, bool salt) {
    DataFrame fact = s.Table("fact");
    if (salt) fact = fact.Salt("k", 6);
    return fact.GroupBy(std::vector<std::string>{"k"})
        .Agg({CountStar(), Sum(Col("v"))})
        .OrderBy(std::vector<std::string>{"k"});
  };
  EXPECT_EQ(grouped(salted, true).ShowString(1000), grouped(plain, false).ShowString(1000));
  EXPECT_TRUE(Has(grouped(salted, true).Explain(), "mode=intermediate"));

  EXPECT_THROW(plain.Table("fact").Salt("nope", 4), BindError);
  EXPECT_THROW(plain.Table("fact").Salt("k", 1), InvalidInputError);
}

}  // namespace
}  // namespace sluice
