// What an incremental run writes: a merge or delete+insert that only adds rows keeps the
// table's data files and appends one; a table or full refresh commits once, without a temp table; a full refresh
// with duplicate unique keys fails and leaves the table as it was.
#include <set>

#include "catalog/warehouse.h"
#include "dbt_test_util.h"

namespace sluice::dbt {
namespace {

class IncrementalFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    project_.Write("dbt_project.yml", "name: p\nprofile: p\n");
    project_.Write("models/inc.sql",
                   "{{ config(materialized='incremental', unique_key='id', "
                   "incremental_strategy='merge', "
                   "incremental_predicates=['DBT_INTERNAL_DEST.ts >= 100']) }}\n"
                   "select id, ts, v from src\n"
                   "{% if is_incremental() %}where ts > (select max(ts) from {{ this }}){% endif %}");
    RunSqlScript(session_, "create table src as select range as id, range as ts, 'a' as v "
                           "from range(1000)");
  }
  DbtReport Run(bool full_refresh = false) {
    DbtOptions options;
    options.project_dir = project_.path();
    options.full_refresh = full_refresh;
    return RunDbt(session_, DbtCommand::kRun, options);
  }
  std::set<std::string> DataFiles(const std::string& table) {
    std::set<std::string> files;
    for (const auto& f : session_.warehouse().FindTable(ParseCatalogName(table))->Current().files) {
      files.insert(f.path);
    }
    return files;
  }
  std::string Sql(const std::string& sql) { return QueryCsv(session_, sql); }

  TempDir project_;
  TempDir db_;
  Session session_{Settings{}, db_.path()};
};

TEST_F(IncrementalFilesTest, MergeOfNewRowsKeepsTheDataFiles) {
  ASSERT_TRUE(Run().success);
  const std::set<std::string> before = DataFiles("inc");
  ASSERT_EQ(before.size(), 1u);
  RunSqlScript(session_, "insert into src select range, range, 'b' from range(1000, 1010)");
  const DbtReport report = Run();
  ASSERT_TRUE(report.success) << report.results[0].message;
  const std::set<std::string> after = DataFiles("inc");
  EXPECT_EQ(after.size(), 2u);
  EXPECT_TRUE(after.count(*before.begin())) << "the old data file was rewritten";
  EXPECT_EQ(Sql("select count(*) as n, count(distinct id) as k, max(id) as m from inc"),
            "n,k,m\n1010,1010,1009\n");
  EXPECT_FALSE(session_.HasTable("inc__dbt_tmp"));
}

TEST_F(IncrementalFilesTest, DeleteInsertOfNewRowsKeepsTheDataFiles) {
  project_.Write("models/inc.sql",
                 "{{ config(materialized='incremental', unique_key='id', "
                 "incremental_strategy='delete+insert') }}\n"
                 "select id, ts, v from src\n"
                 "{% if is_incremental() %}where ts > (select max(ts) from {{ this }}){% endif %}");
  ASSERT_TRUE(Run().success);
  const std::set<std::string> before = DataFiles("inc");
  RunSqlScript(session_, "insert into src select range, range, 'b' from range(1000, 1010)");
  ASSERT_TRUE(Run().success);
  const std::set<std::string> after = DataFiles("inc");
  EXPECT_EQ(after.size(), 2u);
  EXPECT_TRUE(after.count(*before.begin())) << "the old data file was rewritten";
  // A key that exists is deleted and inserted again.
  RunSqlScript(session_, "insert into src values (3, 5000, 'again')");
  ASSERT_TRUE(Run().success);
  EXPECT_EQ(Sql("select count(*) as n, max(v) as v from inc where id = 3"), "n,v\n1,again\n");
  EXPECT_EQ(Sql("select count(*) as n from inc"), "n\n1010\n");
}

TEST_F(IncrementalFilesTest, MergeThatUpdatesRowsRewritesThem) {
  ASSERT_TRUE(Run().success);
  // A correction of row 500 (inside the predicate) and one of row 5 (outside it: the merge
  // does not see the old row 5, so the correction lands beside it, as in dbt).
  RunSqlScript(session_, "insert into src values (500, 2000, 'fixed'), (5, 2001, 'late')");
  RunSqlScript(session_, "delete from src where (id = 500 and ts = 500) or (id = 5 and ts = 5)");
  const DbtReport report = Run();
  ASSERT_TRUE(report.success) << report.results[0].message;
  EXPECT_EQ(Sql("select id, ts, v from inc where id in (5, 500) order by id, ts"),
            "id,ts,v\n5,5,a\n5,2001,late\n500,2000,fixed\n");
  EXPECT_EQ(Sql("select count(*) as n from inc"), "n\n1001\n");
}

// A full refresh builds the table from the SELECT as dbt does, rows repeating the unique_key
// included; a full refresh whose query fails keeps the old table.
TEST_F(IncrementalFilesTest, FullRefreshKeepsRepeatedKeysAndAFailedOneKeepsTheTable) {
  ASSERT_TRUE(Run().success);
  RunSqlScript(session_, "insert into src values (7, 3000, 'dup')");
  DbtReport report = Run(/*full_refresh=*/true);
  ASSERT_TRUE(report.success) << report.results[0].message;
  EXPECT_EQ(Sql("select count(*) as n, count(distinct id) as ids from inc"), "n,ids\n1001,1000\n");

  project_.Write("models/inc.sql",
                 "{{ config(materialized='incremental', unique_key='id') }}\n"
                 "select id, ts, cast(v as integer) as v from src");
  report = Run(/*full_refresh=*/true);
  EXPECT_FALSE(report.success);
  EXPECT_NE(report.results[0].message.find("Could not convert"), std::string::npos)
      << report.results[0].message;
  EXPECT_EQ(Sql("select count(*) as n, max(v) as v from inc"), "n,v\n1001,dup\n");
  EXPECT_FALSE(session_.HasTable("inc__dbt_tmp"));
}

TEST_F(IncrementalFilesTest, TableModelReplacesViewAndTable) {
  project_.Write("models/m.sql", "{{ config(materialized='view') }}\nselect 1 as x");
  ASSERT_TRUE(Run().success);
  project_.Write("models/m.sql", "{{ config(materialized='table') }}\nselect 2 as x");
  DbtReport report = Run();
  ASSERT_TRUE(report.success) << report.Find("model.p.m")->message;
  EXPECT_TRUE(session_.IsTable("m"));
  EXPECT_EQ(Sql("select x from m"), "x\n2\n");
  // A failing rebuild of a table leaves its rows.
  project_.Write("models/m.sql", "{{ config(materialized='table') }}\nselect no_such as x");
  report = Run();
  EXPECT_EQ(report.Find("model.p.m")->status, "error");
  EXPECT_EQ(Sql("select x from m"), "x\n2\n");
  EXPECT_FALSE(session_.HasTable("m__dbt_tmp"));
}

}  // namespace
}  // namespace sluice::dbt
