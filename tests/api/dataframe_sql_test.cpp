#include <gtest/gtest.h>

#include "api/dataframe.h"
#include "api/dataframe_sql.h"
#include "api/session.h"
#include "common/error.h"

namespace sluice {
namespace {

Settings Small() {
  Settings s;
  s.set_threads(2);
  s.set_shuffle_partitions(4);
  s.set_progress_bar(false);
  return s;
}

int64_t Single(const DataFrame& df) { return df.CollectRows().at(0).at(0).GetInt(); }

TEST(SqlOverPlans, NamesStandForTheGivenPlans) {
  Session s(Small());
  DataFrame a = s.Range(0, 10);
  DataFrame b = s.Range(5, 8);
  DataFrame joined = SqlOverPlans(
      s, "SELECT count(*), sum(x.range) FROM l AS x JOIN R AS y ON x.range = y.range",
      {{"l", a.plan()}, {"r", b.plan()}});
  auto row = joined.CollectRows().at(0);
  EXPECT_EQ(row[0].GetInt(), 3);
  EXPECT_EQ(row[1].GetInt(), 5 + 6 + 7);
  // Nothing was registered in the session.
  EXPECT_FALSE(s.HasTable("l"));
}

TEST(SqlOverPlans, HidesTablesOfTheSameNameAndSeesTheOthers) {
  Session s(Small());
  s.CreateTable("t", s.Range(0, 100));
  s.CreateTable("u", s.Range(0, 3));
  DataFrame df = SqlOverPlans(s, "SELECT count(*) FROM t, u", {{"t", s.Range(0, 2).plan()}});
  EXPECT_EQ(Single(df), 2 * 3);
}

TEST(SqlOverPlans, ErrorsArePositionedAndOnlyQueriesAreAllowed) {
  Session s(Small());
  try {
    SqlOverPlans(s, "SELECT nope FROM d", {{"d", s.Range(0, 2).plan()}});
    FAIL() << "expected a BindError";
  } catch (const BindError& e) {
    EXPECT_NE(std::string(e.what()).find("nope"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find('^'), std::string::npos);
  }
  EXPECT_THROW(SqlOverPlans(s, "DROP TABLE d", {{"d", s.Range(0, 2).plan()}}),
               NotImplementedError);
}

TEST(EstimateResultBytes, ScalesWithRowsAndWidth) {
  Session s(Small());
  DataFrame range = s.Range(0, 1000000);
  const int64_t all = EstimateResultBytes(*range.plan());
  EXPECT_EQ(all, 8 * 1000000);
  EXPECT_EQ(EstimateResultBytes(*range.Limit(10).plan()), 80);
  // A count is one row whatever the input.
  EXPECT_EQ(EstimateResultBytes(*range.Agg({CountStar()}).plan()), 8);
  EXPECT_GT(EstimateResultBytes(*range.WithColumn("s", Lit("text")).plan()), all);
}

TEST(MaxCollectBytes, IsASettingWithADefault) {
  Session s(Small());
  EXPECT_GT(s.settings().max_collect_bytes(), 0);
  s.Set("max_collect_bytes", "2MB");
  EXPECT_EQ(s.settings().max_collect_bytes(), 2 * 1000 * 1000);
  s.Set("max_collect_bytes", "0");
  EXPECT_EQ(s.settings().max_collect_bytes(), 0);
  EXPECT_THROW(s.Set("max_collect_bytes", "-5"), InvalidInputError);
}

}  // namespace
}  // namespace sluice
