// Random truncations and mutations of valid SQL must either parse or throw ParseError: never
// crash, hang or throw anything else. Run under the sanitizer build to catch memory errors.

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "sql/parser.h"
#include "tpch_queries.h"

namespace sluice::sql {
namespace {

std::vector<std::string> Corpus() {
  std::vector<std::string> corpus(testing::kTpchQueries.begin(), testing::kTpchQueries.end());
  corpus.insert(
      corpus.end(),
      {
          "select /*+ BROADCAST(t) */ a, count(*) over (partition by b order by c rows between "
          "1 preceding and unbounded following) from t qualify a > 1",
          "with recursive r (n) as (select 1 union all select n + 1 from r where n < 10) "
          "select * from r",
          "merge into t as x using s on x.k = s.k when matched and s.d then delete "
          "when not matched then insert (k) values (s.k)",
          "copy (select * from 'a.csv') to 'b' (format csv, partition_by (a, b))",
          "create or replace table t (a int not null, b decimal(10,2)) clustered by (a) into 4 "
          "buckets",
          "select * exclude (a) from read_csv('x', header := true) natural join ((select 1) s "
          "cross join u)",
          "explain (format json) select cast(a as int)::text, try_cast(b as date), interval 3 day",
          "select a from t group by grouping sets ((a), ()), rollup (b) having count(*) > 1",
          "update t set a = case when b then 1 else 2 end from s where t.k = s.k",
          "select 1 union select 2 intersect select 3 except (select 4 order by 1 limit 1)",
      });
  return corpus;
}

// Returns success if parsing finished normally or with a ParseError, and if every statement
// that parsed prints canonical text that re-parses to the same text.
::testing::AssertionResult ParsesOrFailsCleanly(const std::string& sql) {
  std::vector<StatementPtr> statements;
  try {
    statements = ParseScript(sql);
  } catch (const ParseError&) {
    return ::testing::AssertionSuccess();
  }
  for (const StatementPtr& statement : statements) {
    std::string canonical = statement->ToString();
    try {
      std::string again = ParseStatement(canonical)->ToString();
      if (again != canonical) {
        return ::testing::AssertionFailure() << "unstable: " << canonical << " vs " << again;
      }
    } catch (const ParseError& error) {
      return ::testing::AssertionFailure() << canonical << " does not re-parse: " << error.what();
    }
  }
  return ::testing::AssertionSuccess();
}

TEST(ParserRobustnessTest, TruncationsNeverCrash) {
  int cases = 0;
  for (const std::string& sql : Corpus()) {
    for (size_t length = 0; length <= sql.size(); ++length) {
      ASSERT_TRUE(ParsesOrFailsCleanly(sql.substr(0, length))) << sql.substr(0, length);
      ++cases;
    }
  }
  EXPECT_GT(cases, 5000);
}

TEST(ParserRobustnessTest, RandomMutationsNeverCrash) {
  static const std::vector<std::string> kFragments = {
      "(",      ")",       ",",     ";",      "'",        "\"",       "select",   "from",
      "where",  "*",       "::",    "--",     "/*",       "*/",       "/*+",      "not",
      "in",     "between", "and",   "or",     "case",     "end",      "over",     "join",
      "on",     "1",       "1e",    ".",      "[",        "]",        "interval", "date",
      "values", "with",    "union", "exists", "\xc3",     "\n",       "\t",       "||",
      "=",      "null",    "cast",  "as",     "order by", "group by", "limit",
  };
  std::mt19937 rng(12345);
  std::vector<std::string> corpus = Corpus();
  int cases = 0;
  for (int iteration = 0; iteration < 6000; ++iteration) {
    std::string sql = corpus[rng() % corpus.size()];
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !sql.empty(); ++e) {
      size_t at = rng() % sql.size();
      switch (rng() % 4) {
        case 0:  // delete a span
          sql.erase(at, 1 + rng() % 8);
          break;
        case 1:  // insert a fragment
          sql.insert(at, " " + kFragments[rng() % kFragments.size()] + " ");
          break;
        case 2:  // replace one byte
          sql[at] = static_cast<char>(rng() % 256);
          break;
        case 3:  // duplicate a span
          sql.insert(at, sql.substr(rng() % sql.size(), 1 + rng() % 16));
          break;
      }
    }
    ASSERT_TRUE(ParsesOrFailsCleanly(sql)) << sql;
    ++cases;
  }
  EXPECT_EQ(cases, 6000);
}

}  // namespace
}  // namespace sluice::sql
