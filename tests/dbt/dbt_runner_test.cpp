// The dbt runner end to end through the C++ API: the jaffle sample project and small
// projects written per test (cycles, failure isolation, incremental strategies).
#include <unistd.h>

#include "dbt/project.h"
#include "dbt_test_util.h"

namespace sluice::dbt {
namespace {

class JaffleTest : public ::testing::Test {
 protected:
  DbtOptions Options() const {
    DbtOptions options;
    options.project_dir = SLUICE_JAFFLE_DIR;
    options.target_path = dir_.Sub("target");
    options.threads = 2;
    return options;
  }
  DbtReport Build() {
    DbtOptions options = Options();
    options.exclude = {"tag:known_failure"};
    return RunDbt(session_, DbtCommand::kBuild, options);
  }

  TempDir dir_;
  Session session_{Settings{}, dir_.Sub("db")};
};

TEST_F(JaffleTest, BuildCreatesSeedsModelsAndPassesTests) {
  const DbtReport report = Build();
  EXPECT_TRUE(report.success);
  for (const auto& r : report.results) {
    EXPECT_TRUE(r.status == "success" || r.status == "pass") << r.unique_id << ": " << r.message;
  }
  EXPECT_EQ(QueryCsv(session_,
                     "select customer_id, number_of_orders, credit_card_amount, coupon_amount, "
                     "customer_lifetime_value from customers order by customer_id"),
            "customer_id,number_of_orders,credit_card_amount,coupon_amount,customer_lifetime_value\n"
            "1,2,10.0,26.0,36.0\n2,2,23.0,0.0,48.0\n3,2,20.0,0.0,36.0\n4,1,17.0,0.0,17.0\n5,1,0.0,0.0,6.0\n");
  // Staging models are views in the custom schema main_staging.
  EXPECT_TRUE(session_.HasTable("main_staging.stg_orders"));
  EXPECT_FALSE(session_.IsTable("main_staging.stg_orders"));
  // The ephemeral model is not created; its SQL is inlined into orders.
  EXPECT_FALSE(session_.HasTable("main_staging.order_payments"));
  std::ifstream compiled(dir_.Sub("target/compiled/jaffle/models/marts/orders.sql"));
  std::string text((std::istreambuf_iterator<char>(compiled)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("__dbt__cte__order_payments as ("), std::string::npos) << text;
  EXPECT_TRUE(std::filesystem::exists(dir_.Sub("target/manifest.json")));
  EXPECT_TRUE(std::filesystem::exists(dir_.Sub("target/run_results.json")));
}

TEST_F(JaffleTest, FailingTestReportsSampleRows) {
  ASSERT_TRUE(Build().success);
  DbtOptions options = Options();
  options.select = {"tag:known_failure"};
  const DbtReport report = RunDbt(session_, DbtCommand::kTest, options);
  EXPECT_FALSE(report.success);
  ASSERT_EQ(report.results.size(), 1u);
  EXPECT_EQ(report.results[0].status, "fail");
  EXPECT_EQ(report.results[0].failures, 2);
  EXPECT_NE(report.results[0].message.find("return_pending"), std::string::npos);
}

TEST_F(JaffleTest, FailingTestInBuildSkipsDescendants) {
  const DbtReport report = RunDbt(session_, DbtCommand::kBuild, Options());
  EXPECT_FALSE(report.success);
  EXPECT_EQ(report.Find("test.jaffle.known_failure_status_values")->status, "fail");
  EXPECT_EQ(report.Find("model.jaffle.customers")->status, "skipped");
  EXPECT_EQ(report.Find("model.jaffle.stg_orders")->status, "success");
}

TEST_F(JaffleTest, IncrementalRunProcessesOnlyNewRows) {
  ASSERT_TRUE(Build().success);
  RunSqlScript(session_, "insert into raw_orders values (9, 4, date '2018-01-11', 'placed'), "
                         "(10, 5, date '2018-01-12', 'placed')");
  DbtOptions options = Options();
  options.select = {"order_log"};
  DbtReport report = RunDbt(session_, DbtCommand::kRun, options);
  ASSERT_TRUE(report.success) << report.results[0].message;
  EXPECT_EQ(report.Find("model.jaffle.order_log")->rows_affected, 2);
  EXPECT_EQ(QueryCsv(session_, "select count(*) as n, max(order_id) as m from order_log"),
            "n,m\n10,10\n");
  options.full_refresh = true;
  report = RunDbt(session_, DbtCommand::kRun, options);
  EXPECT_EQ(report.Find("model.jaffle.order_log")->rows_affected, 10);
}

TEST_F(JaffleTest, CompileRendersWithoutTouchingTheWarehouse) {
  DbtOptions options = Options();
  options.select = {"customers"};
  const DbtReport report = RunDbt(session_, DbtCommand::kCompile, options);
  ASSERT_NE(report.Find("model.jaffle.customers"), nullptr);
  EXPECT_FALSE(session_.HasTable("customers"));
  std::ifstream compiled(dir_.Sub("target/compiled/jaffle/models/marts/customers.sql"));
  std::string text((std::istreambuf_iterator<char>(compiled)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("as gift_card_amount"), std::string::npos) << text;
  EXPECT_NE(text.find("from main_staging.stg_orders"), std::string::npos) << text;
}

// A small project in a temp directory.
class SmallProjectTest : public ::testing::Test {
 protected:
  void SetUp() override { project_.Write("dbt_project.yml", "name: p\nprofile: p\n"); }
  DbtReport Run(DbtCommand command, std::vector<std::string> select = {}) {
    DbtOptions options;
    options.project_dir = project_.path();
    options.select = std::move(select);
    options.threads = 2;
    return RunDbt(session_, command, options);
  }

  TempDir project_;
  TempDir db_;
  Session session_{Settings{}, db_.path()};
};

TEST_F(SmallProjectTest, CycleIsReportedWithItsPath) {
  project_.Write("models/a.sql", "select * from {{ ref('b') }}");
  project_.Write("models/b.sql", "select * from {{ ref('c') }}");
  project_.Write("models/c.sql", "-- depends_on: {{ ref('a') }}\nselect 1 as x");
  try {
    Run(DbtCommand::kRun);
    FAIL() << "expected a cycle error";
  } catch (const DbtError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("cycle"), std::string::npos) << message;
    EXPECT_NE(message.find("model.p.c -> model.p.b -> model.p.a -> model.p.c"), std::string::npos)
        << message;
  }
}

TEST_F(SmallProjectTest, FailingModelKeepsOldDataAndSkipsDescendants) {
  project_.Write("models/base.sql", "{{ config(materialized='table') }}\nselect 1 as x");
  project_.Write("models/child.sql", "{{ config(materialized='table') }}\nselect x + 1 as y from {{ ref('base') }}");
  project_.Write("models/grandchild.sql", "select y from {{ ref('child') }}");
  project_.Write("models/other.sql", "{{ config(materialized='table') }}\nselect 7 as z");
  ASSERT_TRUE(Run(DbtCommand::kRun).success);
  project_.Write("models/base.sql", "{{ config(materialized='table') }}\nselect no_such_column from {{ ref('other') }}");
  project_.Write("models/other.sql", "{{ config(materialized='table') }}\nselect 8 as z");
  const DbtReport report = Run(DbtCommand::kRun);
  EXPECT_FALSE(report.success);
  EXPECT_EQ(report.Find("model.p.base")->status, "error");
  EXPECT_NE(report.Find("model.p.base")->message.find("no_such_column"), std::string::npos);
  EXPECT_EQ(report.Find("model.p.child")->status, "skipped");
  EXPECT_EQ(report.Find("model.p.grandchild")->status, "skipped");
  EXPECT_EQ(report.Find("model.p.other")->status, "success");
  EXPECT_EQ(QueryCsv(session_, "select x from base"), "x\n1\n");
  EXPECT_EQ(QueryCsv(session_, "select z from other"), "z\n8\n");
  EXPECT_FALSE(session_.HasTable("base__dbt_tmp"));
}

TEST_F(SmallProjectTest, IncrementalStrategiesAndDuplicateKeys) {
  RunSqlScript(session_, "create table src as select 1 as id, 'a' as v union all select 2, 'b'");
  const char* model =
      "{{ config(materialized='incremental', unique_key=['id'], incremental_strategy='%s') }}\n"
      "select id, v from src";
  for (const std::string strategy : {"merge", "delete+insert"}) {
    char text[512];
    std::snprintf(text, sizeof(text), model, strategy.c_str());
    project_.Write("models/inc.sql", text);
    RunSqlScript(session_, "drop table if exists inc; delete from src where id > 2; "
                           "update src set v = 'a' where id = 1");
    ASSERT_TRUE(Run(DbtCommand::kRun).success);
    RunSqlScript(session_, "update src set v = 'changed' where id = 1; insert into src values (3, 'c')");
    const DbtReport report = Run(DbtCommand::kRun);
    ASSERT_TRUE(report.success) << strategy << ": " << report.results[0].message;
    EXPECT_EQ(QueryCsv(session_, "select id, v from inc order by id"),
              "id,v\n1,changed\n2,b\n3,c\n")
        << strategy;
  }
  RunSqlScript(session_, "insert into src values (3, 'dup')");
  const DbtReport report = Run(DbtCommand::kRun);
  EXPECT_FALSE(report.success);
  EXPECT_NE(report.results[0].message.find("id=3"), std::string::npos) << report.results[0].message;
  EXPECT_EQ(QueryCsv(session_, "select count(*) as n from inc"), "n\n3\n");
}

// As in dbt: the first run (and --full-refresh) of an incremental model builds the table from
// its SELECT even when rows repeat the unique_key; only merging new rows needs unique keys.
TEST_F(SmallProjectTest, FirstRunOfIncrementalKeepsRepeatedKeys) {
  RunSqlScript(session_, "create table src as select 1 as id, 'a' as v union all select 1, 'b'");
  project_.Write("models/inc.sql",
                 "{{ config(materialized='incremental', unique_key='id') }}\nselect id, v from src");
  const DbtReport first = Run(DbtCommand::kRun);
  ASSERT_TRUE(first.success) << first.results[0].message;
  EXPECT_EQ(QueryCsv(session_, "select id, v from inc order by v"), "id,v\n1,a\n1,b\n");
  RunSqlScript(session_, "insert into src values (1, 'c')");
  DbtOptions full;
  full.project_dir = project_.path();
  full.full_refresh = true;
  const DbtReport refreshed = RunDbt(session_, DbtCommand::kRun, full);
  ASSERT_TRUE(refreshed.success) << refreshed.results[0].message;
  EXPECT_EQ(QueryCsv(session_, "select count(*) as n from inc"), "n\n3\n");
}

TEST_F(SmallProjectTest, UnknownRefNamesFileAndLine) {
  project_.Write("models/a.sql", "select 1 as x\nfrom {{ ref('missing') }}");
  try {
    Run(DbtCommand::kCompile);
    FAIL() << "expected an error";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("models/a.sql:2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("missing"), std::string::npos) << e.what();
  }
}

TEST_F(SmallProjectTest, BadYamlNamesFileAndLine) {
  project_.Write("models/a.sql", "select 1 as x");
  project_.Write("models/schema.yml", "version: 2\nmodels:\n  - name: a\n    columns: [\n");
  EXPECT_THROW(Run(DbtCommand::kCompile), DbtError);
  project_.Write("models/schema.yml", "version: 2\nmodels:\n  - name: nope\n");
  try {
    Run(DbtCommand::kCompile);
    FAIL() << "expected an error";
  } catch (const DbtError& e) {
    EXPECT_NE(std::string(e.what()).find("models/schema.yml:3"), std::string::npos) << e.what();
  }
}

TEST_F(SmallProjectTest, RunQueryAndSources) {
  RunSqlScript(session_, "create schema raw; create table raw.events as select 1 as id union all select 2");
  project_.Write("models/sources.yml",
                 "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: events\n"
                 "        columns:\n          - name: id\n            tests: [not_null]\n");
  project_.Write("models/ids.sql",
                 "{% set result = run_query('select max(id) as m from raw.events') %}\n"
                 "{% if execute %}{% set m = result.rows[0][0] %}{% else %}{% set m = 0 %}{% endif %}\n"
                 "{{ config(materialized='table') }}\n"
                 "select id, {{ m }} as max_id from {{ source('raw', 'events') }}");
  DbtReport report = Run(DbtCommand::kBuild);
  ASSERT_TRUE(report.success) << report.results[0].message;
  EXPECT_EQ(QueryCsv(session_, "select id, max_id from ids order by id"), "id,max_id\n1,2\n2,2\n");
  report = Run(DbtCommand::kList, {"source:raw+"});
  EXPECT_EQ(report.listed, (std::vector<std::string>{"source.p.raw.events", "model.p.ids",
                                                     "test.p.source_not_null_raw_events_id"}));
}

}  // namespace
}  // namespace sluice::dbt
