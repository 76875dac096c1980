// Automatic salting of hot keys (issue 10): the map stage's key summary finds a key with 60%
// of the rows, and the adaptive pass salts the count(DISTINCT) aggregate over it. Answers
// must be the bytes of the unsalted plan for any thread count and partition count, and
// EXPLAIN ANALYZE must say what was salted.
#include <gtest/gtest.h>

#include "api/session.h"
#include "api/sql_runner.h"
#include "sql_test_util.h"

namespace sluice {
namespace {

Settings TestSettings(int threads, int partitions, bool salting) {
  Settings s;
  s.set_threads(threads);
  s.set_shuffle_partitions(partitions);
  s.set_progress_bar(false);
  s.set_auto_salting(salting);
  s.set_skew_hot_key_rows(1000);  // tests use small data
  return s;
}

std::string Text(Session& session, const std::string& sql) {
  return testing::ResultText(session, sql);
}

// Key 7 holds 60% of 600 k rows; v has NULLs and repeats; s is a string. A memory table, so
// that the scan has several splits and the group-by an exchange.
constexpr const char* kData =
    "SELECT CASE WHEN range % 10 < 6 THEN 7 WHEN range % 89 = 0 THEN NULL ELSE range % 3000 "
    "END AS k, CASE WHEN range % 97 = 0 THEN NULL ELSE range % 5003 END AS v, "
    "'s' || (range % 701) AS s, range % 3 AS g FROM range(600000)";

// A session with the table t of kData.
std::unique_ptr<Session> WithData(const Settings& settings) {
  auto session = std::make_unique<Session>(settings);
  RunSqlScript(*session, std::string("CREATE TABLE t AS ") + kData);
  return session;
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::vector<std::string> Queries() {
  const std::string d = "t";
  return {
      "SELECT k, count(DISTINCT v) FROM " + d + " t GROUP BY k ORDER BY k",
      "SELECT k, count(DISTINCT v), count(*), count(v), min(v), max(s) FROM " + d +
          " t GROUP BY k ORDER BY k",
      "SELECT k, g, count(DISTINCT s) AS a, count(DISTINCT s) AS b FROM " + d +
          " t GROUP BY k, g ORDER BY k, g",
      // HAVING above the aggregate; an ORDER BY on the result.
      "SELECT k, count(DISTINCT v) AS n FROM " + d +
          " t GROUP BY k HAVING count(DISTINCT v) > 1 ORDER BY n DESC, k LIMIT 20",
      // Not salted (sum(DISTINCT) does not merge by salt), still right.
      "SELECT k, count(DISTINCT v), sum(DISTINCT v) FROM " + d + " t GROUP BY k ORDER BY k",
  };
}

TEST(AutoSaltingTest, SameBytesWithAndWithoutSaltingForAnyThreadsAndPartitions) {
  auto off = WithData(TestSettings(2, 16, false));
  std::vector<std::string> expected;
  for (const auto& q : Queries()) {
    expected.push_back(Text(*off, q));
    ASSERT_FALSE(expected.back().empty()) << q;
  }
  for (int threads : {1, 2, 4}) {
    for (int partitions : {5, 16}) {
      auto on = WithData(TestSettings(threads, partitions, true));
      for (size_t i = 0; i < expected.size(); i++) {
        EXPECT_EQ(Text(*on, Queries()[i]), expected[i])
            << Queries()[i] << " threads=" << threads << " partitions=" << partitions;
      }
      EXPECT_TRUE(Has(Text(*on, "EXPLAIN ANALYZE " + Queries()[0]), "adaptive: salted"))
          << " threads=" << threads << " partitions=" << partitions;
    }
  }
  const std::string first = expected[0];
  EXPECT_TRUE(Has(first, "7|5003|\n")) << first;
}

TEST(AutoSaltingTest, ExplainAnalyzeShowsTheSaltedKeys) {
  auto on = WithData(TestSettings(2, 5, true));
  const std::string plan = Text(*on, "EXPLAIN ANALYZE " + Queries()[1]);
  EXPECT_TRUE(Has(plan, "salt split from 5")) << plan;
  EXPECT_TRUE(Has(plan, "adaptive: salted 1 hot key (")) << plan;
  EXPECT_TRUE(Has(plan, "4 salts, merged per group")) << plan;
  EXPECT_TRUE(Has(plan, "HotKeySaltFilter")) << plan;

  // Off, or with no key over the fraction, or a non-mergeable aggregate: no salting.
  const std::string explain = "EXPLAIN ANALYZE " + Queries()[1];
  RunSqlScript(*on, "SET auto_salting = false");
  EXPECT_FALSE(Has(Text(*on, explain), "salted"));
  RunSqlScript(*on, "SET auto_salting = true; SET skew_hot_key_fraction = 0.7");
  EXPECT_FALSE(Has(Text(*on, explain), "salted"));
  RunSqlScript(*on, "SET skew_hot_key_fraction = 0.1; SET skew_hot_key_rows = 1000000");
  EXPECT_FALSE(Has(Text(*on, explain), "salted"));
  RunSqlScript(*on, "SET skew_hot_key_rows = 1000");
  EXPECT_TRUE(Has(Text(*on, explain), "salted"));
  EXPECT_FALSE(Has(Text(*on, "EXPLAIN ANALYZE " + Queries()[4]), "salted"));
  // Without adaptive execution the keys are not even summarized.
  RunSqlScript(*on, "SET adaptive = false");
  EXPECT_FALSE(Has(Text(*on, explain), "salted"));
}

TEST(AutoSaltingTest, SkewHintSaltsCountDistinct) {
  auto session = WithData(TestSettings(2, 8, false));
  Session& hinted = *session;
  Session& plain = *session;
  const std::string q =
      "SELECT /*+ SKEW(t, k, 4) */ k, count(DISTINCT v) FROM t GROUP BY k ORDER BY k";
  const std::string plan = Text(hinted, "EXPLAIN " + q);
  EXPECT_TRUE(Has(plan, "salted: SKEW(k), count(DISTINCT) by (keys, salt) in 4 buckets")) << plan;
  EXPECT_TRUE(Has(plan, "% 4)")) << plan;
  EXPECT_EQ(Text(hinted, q),
            Text(plain, "SELECT k, count(DISTINCT v) FROM t GROUP BY k ORDER BY k"));
  // Aggregates it cannot salt: the hint is ignored, and EXPLAIN says why.
  const std::string mixed = Text(
      hinted, "EXPLAIN SELECT /*+ SKEW(t, k) */ k, count(DISTINCT v), count(*) FROM t GROUP BY k");
  EXPECT_TRUE(Has(mixed, "SKEW(k) ignored")) << mixed;
}

// A shuffled join whose fact side has the hot key and whose other side is small: the hot
// partition is split (the adaptive skew split, below skew_threshold), with the same answer.
TEST(AutoSaltingTest, JoinSplitsTheHotKeysPartition) {
  auto on = WithData(TestSettings(2, 5, true));
  RunSqlScript(*on,
               "SET broadcast_threshold = -1; "
               "CREATE TABLE d AS SELECT range AS k, range * 2 AS w FROM range(3000)");
  const std::string q = "SELECT count(*), sum(t.v), sum(d.w) FROM t JOIN d ON t.k = d.k";
  const std::string plan = Text(*on, "EXPLAIN ANALYZE " + q);
  EXPECT_TRUE(Has(plan, "auto salting: 1 partition split for hot keys")) << plan;
  const std::string salted = Text(*on, q);
  RunSqlScript(*on, "SET auto_salting = false");
  EXPECT_FALSE(Has(Text(*on, "EXPLAIN ANALYZE " + q), "skew split"));
  EXPECT_EQ(Text(*on, q), salted);
}

}  // namespace
}  // namespace sluice
