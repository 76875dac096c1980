// Incremental models beyond the basic strategies: on_schema_change, incremental_predicates
// and microbatch, each on a small project written per test.
#include <unistd.h>

#include <cstdio>

#include "dbt/project.h"
#include "dbt_test_util.h"

namespace sluice::dbt {
namespace {

class IncrementalTest : public ::testing::Test {
 protected:
  void SetUp() override { project_.Write("dbt_project.yml", "name: p\nprofile: p\n"); }
  DbtReport Run(DbtOptions options = {}) {
    options.project_dir = project_.path();
    options.threads = 1;
    return RunDbt(session_, DbtCommand::kRun, options);
  }
  std::string Sql(const std::string& sql) { return QueryCsv(session_, sql); }

  TempDir project_;
  TempDir db_;
  Session session_{Settings{}, db_.path()};
};

// Builds `inc` from src(id, v), then gives src a new column w (and, when `drop_v`, drops v)
// with a changed row 2 and a new row 3, and runs again with `mode`.
DbtReport RunSchemaChange(TempDir& project, Session& session, const std::string& mode,
                          bool drop_v) {
  RunSqlScript(session,
               "drop table if exists inc; create or replace table src as "
               "select 1 as id, 'a' as v union all select 2, 'b'");
  char text[512];
  std::snprintf(text, sizeof(text),
                "{{ config(materialized='incremental', unique_key='id', "
                "on_schema_change='%s') }}\nselect * from src",
                mode.c_str());
  project.Write("models/inc.sql", text);
  DbtOptions options;
  options.project_dir = project.path();
  EXPECT_TRUE(RunDbt(session, DbtCommand::kRun, options).success);
  RunSqlScript(session, drop_v ? "create or replace table src as select 2 as id, 20 as w "
                                 "union all select 3, 30"
                               : "create or replace table src as select 2 as id, 'B' as v, 20 as w "
                                 "union all select 3, 'c', 30");
  return RunDbt(session, DbtCommand::kRun, options);
}

TEST_F(IncrementalTest, OnSchemaChangeIgnoreKeepsTargetColumns) {
  const DbtReport report = RunSchemaChange(project_, session_, "ignore", false);
  ASSERT_TRUE(report.success) << report.results[0].message;
  EXPECT_EQ(Sql("select * from inc order by id"), "id,v\n1,a\n2,B\n3,c\n");
}

TEST_F(IncrementalTest, OnSchemaChangeFailNamesColumnsAndKeepsTarget) {
  const DbtReport report = RunSchemaChange(project_, session_, "fail", false);
  EXPECT_FALSE(report.success);
  EXPECT_NE(report.results[0].message.find("new columns: w"), std::string::npos)
      << report.results[0].message;
  EXPECT_EQ(Sql("select * from inc order by id"), "id,v\n1,a\n2,b\n");
  EXPECT_FALSE(session_.HasTable("inc__dbt_tmp"));
}

TEST_F(IncrementalTest, OnSchemaChangeAppendNewColumnsAddsNullsForOldRows) {
  const DbtReport report = RunSchemaChange(project_, session_, "append_new_columns", false);
  ASSERT_TRUE(report.success) << report.results[0].message;
  EXPECT_EQ(Sql("select * from inc order by id"), "id,v,w\n1,a,\n2,B,20\n3,c,30\n");
  // A column gone from the new rows stays, NULL for new rows.
  const DbtReport dropped = RunSchemaChange(project_, session_, "append_new_columns", true);
  ASSERT_TRUE(dropped.success) << dropped.results[0].message;
  EXPECT_EQ(Sql("select * from inc order by id"), "id,v,w\n1,a,\n2,b,20\n3,,30\n");
}

TEST_F(IncrementalTest, OnSchemaChangeSyncAllColumnsAddsAndDrops) {
  const DbtReport report = RunSchemaChange(project_, session_, "sync_all_columns", true);
  ASSERT_TRUE(report.success) << report.results[0].message;
  EXPECT_EQ(Sql("select * from inc order by id"), "id,w\n1,\n2,20\n3,30\n");
}

TEST_F(IncrementalTest, IncrementalPredicatesLimitTheTargetRowsMerged) {
  RunSqlScript(session_, "create table src as select 1 as id, 'a' as v union all select 2, 'b'");
  project_.Write("models/inc.sql",
                 "{{ config(materialized='incremental', unique_key='id', "
                 "incremental_predicates=['DBT_INTERNAL_DEST.id > 1']) }}\nselect * from src");
  ASSERT_TRUE(Run().success);
  RunSqlScript(session_, "update src set v = v || '2'");
  const DbtReport report = Run();
  ASSERT_TRUE(report.success) << report.results[0].message;
  // Row 1 of the target is outside the predicate: the merge does not see it, so the new
  // row 1 is inserted beside it, while row 2 is updated in place.
  EXPECT_EQ(Sql("select id, v from inc order by id, v"), "id,v\n1,a\n1,a2\n2,b2\n");

  project_.Write("models/inc.sql",
                 "{{ config(materialized='incremental', unique_key='id', "
                 "incremental_strategy='delete+insert', "
                 "incremental_predicates=['DBT_INTERNAL_DEST.v = \\'a\\'']) }}\nselect * from src");
  RunSqlScript(session_, "update src set v = v || '3'");
  ASSERT_TRUE(Run().success);
  EXPECT_EQ(Sql("select id, v from inc order by id, v"), "id,v\n1,a2\n1,a23\n2,b2\n2,b23\n");
}

class MicrobatchTest : public IncrementalTest {
 protected:
  void SetUp() override {
    IncrementalTest::SetUp();
    project_.Write("models/events_mb.sql",
                   "{{ config(materialized='incremental', incremental_strategy='microbatch', "
                   "event_time='ts', batch_size='day', begin='2020-01-01', lookback=1) }}\n"
                   "select id, ts, v from events");
  }
  // Adds event `id` at `days_ago` days before today, one hour into that day.
  void AddEvent(int id, int days_ago, const std::string& v) {
    RunSqlScript(session_, "insert into events select " + std::to_string(id) +
                               ", date_trunc('day', now()) - interval '" +
                               std::to_string(days_ago) + " day' + interval '1 hour', '" + v + "'");
  }
};

TEST_F(MicrobatchTest, LateRowsInsideLookbackArePickedUpOthersWaitForBackfill) {
  RunSqlScript(session_, "create table events (id integer, ts timestamp, v varchar)");
  AddEvent(1, 10, "a");
  AddEvent(2, 0, "b");
  DbtReport report = Run();
  ASSERT_TRUE(report.success) << report.results[0].message;
  EXPECT_EQ(Sql("select id, v from events_mb order by id"), "id,v\n1,a\n2,b\n");

  AddEvent(3, 1, "late");      // yesterday: inside the lookback of one batch
  AddEvent(4, 5, "too late");  // outside it
  RunSqlScript(session_, "update events set v = 'b2' where id = 2");
  report = Run();
  ASSERT_TRUE(report.success) << report.results[0].message;
  EXPECT_EQ(report.results[0].rows_affected, 2);  // events 2 and 3: today and yesterday
  EXPECT_EQ(Sql("select id, v from events_mb order by id"), "id,v\n1,a\n2,b2\n3,late\n");

  // Backfill the last week: event 4 arrives, the batches are replaced, not duplicated.
  const std::string start =
      Sql("select cast(date_trunc('day', now()) - interval '7 day' as varchar) as s");
  DbtOptions options;
  options.event_time_start = start.substr(start.find('\n') + 1, 19);
  report = Run(options);
  ASSERT_TRUE(report.success) << report.results[0].message;
  EXPECT_EQ(Sql("select id, v from events_mb order by id"),
            "id,v\n1,a\n2,b2\n3,late\n4,too late\n");

  // A full refresh rebuilds from begin.
  RunSqlScript(session_, "delete from events where id = 1");
  options = {};
  options.full_refresh = true;
  report = Run(options);
  ASSERT_TRUE(report.success) << report.results[0].message;
  EXPECT_EQ(Sql("select id from events_mb order by id"), "id\n2\n3\n4\n");
}

TEST_F(MicrobatchTest, MissingConfigIsReported) {
  RunSqlScript(session_, "create table events (id integer, ts timestamp, v varchar)");
  project_.Write("models/events_mb.sql",
                 "{{ config(materialized='incremental', incremental_strategy='microbatch', "
                 "event_time='ts', batch_size='week') }}\nselect id, ts, v from events");
  const DbtReport report = Run();
  EXPECT_FALSE(report.success);
  EXPECT_NE(report.results[0].message.find("batch_size"), std::string::npos);
}

}  // namespace
}  // namespace sluice::dbt
