// Adaptive coalescing of small shuffle partitions: fewer tasks, the same answer.
#include <gtest/gtest.h>

#include "api/session.h"
#include "api/sql_runner.h"
#include "sql_test_util.h"
#include "physical/adaptive_planner.h"

namespace sluice {
namespace {

Settings TestSettings(bool adaptive) {
  Settings s;
  s.set_threads(2);
  s.set_shuffle_partitions(16);
  s.set_progress_bar(false);
  s.set_adaptive(adaptive);
  return s;
}

std::string Text(Session& session, const std::string& sql) {
  return testing::ResultText(session, sql);
}

TEST(CoalescePartitionGroupsTest, GroupsAdjacentPartitionsUpToTheTarget) {
  EXPECT_EQ(CoalescePartitionGroups({10, 10, 10, 10}, 25), (std::vector<int>{0, 2}));
  EXPECT_EQ(CoalescePartitionGroups({10, 10, 10, 10}, 100), (std::vector<int>{0}));
  // A partition over the target stays alone; empty ones join their neighbours.
  EXPECT_EQ(CoalescePartitionGroups({5, 50, 0, 5, 0}, 20), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(CoalescePartitionGroups({0, 0, 0}, 1), (std::vector<int>{0}));
  EXPECT_TRUE(CoalescePartitionGroups({}, 1).empty());
}

// Queries whose final stage reads one hash exchange (coalescible) and one that joins.
const char* const kQueries[] = {
    "SELECT range % 1000 AS k, count(*), sum(range) FROM range(2000000) GROUP BY k",
    "SELECT k, count(DISTINCT v) FROM (SELECT range % 37 AS k, range % 11 AS v "
    "FROM range(100000)) GROUP BY k ORDER BY k",
    "SELECT a.k, count(*) FROM (SELECT range % 50 AS k FROM range(10000)) a "
    "JOIN (SELECT range AS k FROM range(100)) b ON a.k = b.k GROUP BY a.k",
};

TEST(AdaptiveCoalesceTest, SameBytesWithAndWithoutCoalescing) {
  Session on(TestSettings(true));
  Session off(TestSettings(false));
  for (const char* q : kQueries) EXPECT_EQ(Text(on, q), Text(off, q)) << q;
  // A small target makes several groups: still the same answer.
  RunSqlScript(on, "SET target_partition_bytes = '4KB'");
  for (const char* q : kQueries) EXPECT_EQ(Text(on, q), Text(off, q)) << q;
}

TEST(AdaptiveCoalesceTest, ExplainAnalyzeShowsCoalescedPartitions) {
  Session on(TestSettings(true));
  const std::string q =
      "EXPLAIN ANALYZE SELECT range % 1000 AS k, count(*) FROM range(2000000) GROUP BY k";
  const std::string plan = Text(on, q);
  EXPECT_NE(plan.find("coalesced 16 -> 1 partitions"), std::string::npos) << plan;
  EXPECT_NE(plan.find("(1 task, coalesced from 16)"), std::string::npos) << plan;

  // The exchange holds 2000 partial rows of (BIGINT, BIGINT), 32 KB of data (ExchangeStats
  // counts the rows' bytes, not their buffers): a 4 KB target makes several groups.
  RunSqlScript(on, "SET target_partition_bytes = '4KB'");
  const std::string several = Text(on, q);
  EXPECT_NE(several.find("coalesced 16 -> "), std::string::npos) << several;
  EXPECT_EQ(several.find("coalesced 16 -> 1 partitions"), std::string::npos) << several;

  Session off(TestSettings(false));
  const std::string plain = Text(off, q);
  EXPECT_EQ(plain.find("coalesced"), std::string::npos) << plain;
}

}  // namespace
}  // namespace sluice
