// Salted count(DISTINCT x): (keys, hash(x) % buckets) first, then keys; same answers.
#include <gtest/gtest.h>

#include "api/session.h"
#include "api/sql_runner.h"
#include "sql_test_util.h"

namespace sluice {
namespace {

Settings TestSettings(int buckets) {
  Settings s;
  s.set_threads(2);
  s.set_shuffle_partitions(8);
  s.set_progress_bar(false);
  s.set_skew_salt_buckets(buckets);
  return s;
}

std::string Text(Session& session, const std::string& sql) {
  return testing::ResultText(session, sql);
}

// 80% of the rows have key 0 (a hot key); v has NULLs and repeats.
constexpr const char* kData =
    "(SELECT CASE WHEN range % 10 < 8 THEN 0 ELSE range % 5 END AS k, "
    "CASE WHEN range % 97 = 0 THEN NULL ELSE range % 1000 END AS v, "
    "'s' || (range % 300) AS s FROM range(2000000))";

TEST(SkewSaltingTest, SaltedCountDistinctGivesTheSameAnswer) {
  Session plain(TestSettings(0));
  Session salted(TestSettings(8));
  const std::string queries[] = {
      std::string("SELECT k, count(DISTINCT v) FROM ") + kData + " GROUP BY k ORDER BY k",
      std::string("SELECT k, count(DISTINCT s) AS a, count(DISTINCT s) AS b FROM ") + kData +
          " GROUP BY k ORDER BY k",
      // Not salted (mixed aggregates), still right.
      std::string("SELECT k, count(DISTINCT v), count(*) FROM ") + kData + " GROUP BY k ORDER BY k",
  };
  for (const auto& q : queries) EXPECT_EQ(Text(salted, q), Text(plain, q)) << q;
  EXPECT_EQ(Text(salted, queries[0]), "0|800|\n3|100|\n4|100|\n");
}

TEST(SkewSaltingTest, ExplainShowsTheSaltedPlan) {
  Session salted(TestSettings(8));
  const std::string q = std::string("EXPLAIN SELECT k, count(DISTINCT v) FROM ") + kData +
                        " GROUP BY k";
  const std::string plan = Text(salted, q);
  EXPECT_NE(plan.find("% 8)"), std::string::npos) << plan;
  EXPECT_NE(plan.find("sum(__distinct_0)"), std::string::npos) << plan;
  Session plain(TestSettings(0));
  EXPECT_EQ(Text(plain, q).find("__distinct_0"), std::string::npos);
}

}  // namespace
}  // namespace sluice
