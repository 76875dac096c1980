// Snapshots (SCD type 2) with the timestamp and check strategies.
#include <unistd.h>

#include "dbt/project.h"
#include "dbt_test_util.h"

namespace sluice::dbt {
namespace {

class SnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    project_.Write("dbt_project.yml", "name: p\nprofile: p\n");
    project_.Write("snapshots/orders.sql",
                   "{% snapshot orders_ts %}\n"
                   "{{ config(target_schema='snapshots', unique_key='id', strategy='timestamp', "
                   "updated_at='updated_at') }}\n"
                   "select * from src\n"
                   "{% endsnapshot %}\n"
                   "{%- snapshot orders_check -%}\n"
                   "{{ config(target_schema='snapshots', unique_key=['id'], strategy='check', "
                   "check_cols=['status']) }}\n"
                   "select id, status from src\n"
                   "{%- endsnapshot %}\n");
    project_.Write("models/current_orders.sql",
                   "select id, status from {{ ref('orders_ts') }} where dbt_valid_to is null");
    RunSqlScript(session_,
                 "create table src (id integer, status varchar, updated_at timestamp); "
                 "insert into src values (1, 'placed', timestamp '2024-01-01 00:00:00'), "
                 "(2, 'placed', timestamp '2024-01-02 00:00:00')");
  }
  DbtReport Run(DbtCommand command) {
    DbtOptions options;
    options.project_dir = project_.path();
    options.threads = 2;
    return RunDbt(session_, command, options);
  }
  std::string Sql(const std::string& sql) { return QueryCsv(session_, sql); }

  TempDir project_;
  TempDir db_;
  Session session_{Settings{}, db_.path()};
};

TEST_F(SnapshotTest, TimestampStrategyClosesTheOldVersion) {
  DbtReport report = Run(DbtCommand::kSnapshot);
  ASSERT_TRUE(report.success) << report.results[0].message;
  EXPECT_EQ(report.results.size(), 2u);
  EXPECT_EQ(
      Sql("select id, status, dbt_valid_from, dbt_valid_to from snapshots.orders_ts order by id"),
      "id,status,dbt_valid_from,dbt_valid_to\n1,placed,2024-01-01 00:00:00,\n"
      "2,placed,2024-01-02 00:00:00,\n");
  RunSqlScript(session_,
               "update src set status = 'shipped', updated_at = timestamp "
               "'2024-01-05 00:00:00' where id = 1; insert into src values "
               "(3, 'placed', timestamp '2024-01-06 00:00:00')");
  // Twice: the second run finds nothing new.
  ASSERT_TRUE(Run(DbtCommand::kSnapshot).success);
  report = Run(DbtCommand::kSnapshot);
  ASSERT_TRUE(report.success);
  EXPECT_EQ(report.Find("snapshot.p.orders_ts")->rows_affected, 0);
  EXPECT_EQ(Sql("select id, status, dbt_valid_from, dbt_valid_to, dbt_updated_at from "
                "snapshots.orders_ts order by id, dbt_valid_from"),
            "id,status,dbt_valid_from,dbt_valid_to,dbt_updated_at\n"
            "1,placed,2024-01-01 00:00:00,2024-01-05 00:00:00,2024-01-01 00:00:00\n"
            "1,shipped,2024-01-05 00:00:00,,2024-01-05 00:00:00\n"
            "2,placed,2024-01-02 00:00:00,,2024-01-02 00:00:00\n"
            "3,placed,2024-01-06 00:00:00,,2024-01-06 00:00:00\n");
  EXPECT_EQ(Sql("select count(*) as n from (select id from snapshots.orders_ts where "
                "dbt_valid_to is null group by id having count(*) > 1) t"),
            "n\n0\n");
  EXPECT_EQ(Sql("select count(distinct dbt_scd_id) as n from snapshots.orders_ts"), "n\n4\n");
  // Models ref() snapshots.
  ASSERT_TRUE(Run(DbtCommand::kRun).success);
  EXPECT_EQ(Sql("select id, status from current_orders order by id"),
            "id,status\n1,shipped\n2,placed\n3,placed\n");
}

TEST_F(SnapshotTest, CheckStrategyComparesCheckCols) {
  ASSERT_TRUE(Run(DbtCommand::kSnapshot).success);
  // A new updated_at alone is no change for check_cols=['status'].
  RunSqlScript(session_, "update src set updated_at = timestamp '2024-02-01 00:00:00'");
  ASSERT_TRUE(Run(DbtCommand::kSnapshot).success);
  EXPECT_EQ(Sql("select count(*) as n from snapshots.orders_check"), "n\n2\n");
  RunSqlScript(session_, "update src set status = 'returned' where id = 2");
  ASSERT_TRUE(Run(DbtCommand::kSnapshot).success);
  ASSERT_TRUE(Run(DbtCommand::kSnapshot).success);
  EXPECT_EQ(Sql("select id, status, dbt_valid_to is null as current from snapshots.orders_check "
                "order by id, dbt_valid_from"),
            "id,status,current\n1,placed,true\n2,placed,false\n2,returned,true\n");
  EXPECT_EQ(Sql("select count(*) as n from snapshots.orders_check o join snapshots.orders_check c "
                "on o.id = c.id and o.dbt_valid_to = c.dbt_valid_from"),
            "n\n1\n");
}

TEST_F(SnapshotTest, DuplicateKeyIsReportedAndSnapshotKept) {
  ASSERT_TRUE(Run(DbtCommand::kSnapshot).success);
  RunSqlScript(session_, "insert into src values (2, 'dup', timestamp '2024-03-01 00:00:00')");
  const DbtReport report = Run(DbtCommand::kSnapshot);
  EXPECT_FALSE(report.success);
  EXPECT_NE(report.Find("snapshot.p.orders_ts")->message.find("id=2"), std::string::npos)
      << report.Find("snapshot.p.orders_ts")->message;
  EXPECT_EQ(Sql("select count(*) as n from snapshots.orders_ts"), "n\n2\n");
  EXPECT_FALSE(session_.HasTable("snapshots.orders_ts__dbt_tmp"));
}

}  // namespace
}  // namespace sluice::dbt
