// Iceberg's statements: time travel in FROM, ALTER TABLE tags / branches / properties, CALL.
#include <gtest/gtest.h>

#include "sql/parser.h"
#include "test_util.h"

namespace sluice::sql {
namespace {

using testing::ParseErrorText;
using testing::RoundTrips;
using testing::StatementText;

TEST(IcebergStatementTest, TimeTravel) {
  EXPECT_EQ(StatementText("select * from t for version as of 123 x"),
            "SELECT * FROM t FOR VERSION AS OF 123 AS x");
  EXPECT_EQ(StatementText("select * from s.t version as of 'tag'"),
            "SELECT * FROM s.t FOR VERSION AS OF 'tag'");
  EXPECT_EQ(StatementText("select * from t for system_time as of timestamp '2024-01-01' as y"),
            "SELECT * FROM t FOR TIMESTAMP AS OF CAST('2024-01-01' AS TIMESTAMP) AS y");
  EXPECT_EQ(StatementText("select * from iceberg_scan('p') for version as of 7"),
            "SELECT * FROM iceberg_scan('p') FOR VERSION AS OF 7");
  EXPECT_TRUE(
      RoundTrips("select a from t for timestamp as of now() - interval 1 day join u on true"));
  // An alias named like the keywords still works without AS OF after it.
  EXPECT_EQ(StatementText("select version.a from t version"), "SELECT version.a FROM t AS version");
  EXPECT_NE(ParseErrorText("select * from t for update").find("expected VERSION AS OF"),
            std::string::npos);
  const auto statement = ParseStatement("select * from t for version as of 5");
  const auto& from = *statement->As<SelectStatement>().query;
  EXPECT_NE(from.ToString().find("VERSION AS OF 5"), std::string::npos);
}

TEST(IcebergStatementTest, AlterRefsAndProperties) {
  EXPECT_EQ(StatementText("alter table t create tag v1"), "ALTER TABLE t CREATE TAG v1");
  EXPECT_EQ(
      StatementText("alter table t create or replace branch b as of version 12 retain 7 days"),
      "ALTER TABLE t CREATE OR REPLACE BRANCH b AS OF VERSION 12 RETAIN 10080 MINUTES");
  EXPECT_EQ(StatementText("alter table t create tag if not exists v1 retain 2 hours"),
            "ALTER TABLE t CREATE TAG IF NOT EXISTS v1 RETAIN 120 MINUTES");
  EXPECT_EQ(StatementText("alter table t replace tag v1 as of version 3"),
            "ALTER TABLE t REPLACE TAG v1 AS OF VERSION 3");
  EXPECT_EQ(StatementText("alter table t drop branch if exists b"),
            "ALTER TABLE t DROP BRANCH IF EXISTS b");
  EXPECT_EQ(StatementText("alter table t set tblproperties ('a' = 'x', 'b.c' = 3)"),
            "ALTER TABLE t SET TBLPROPERTIES ('a' = 'x', 'b.c' = '3')");
  EXPECT_EQ(StatementText("alter table t unset tblproperties if exists ('a')"),
            "ALTER TABLE t UNSET TBLPROPERTIES IF EXISTS ('a')");
  // DROP tag / DROP branch with nothing after are columns named so.
  EXPECT_EQ(StatementText("alter table t drop tag"), "ALTER TABLE t DROP COLUMN tag");
  EXPECT_EQ(StatementText("alter table t drop column branch"), "ALTER TABLE t DROP COLUMN branch");
  EXPECT_NE(ParseErrorText("alter table t create tag v retain 3 weeks").find("expected DAYS"),
            std::string::npos);
  EXPECT_NE(ParseErrorText("alter table t set tblproperties (a = 'b')").find("property name"),
            std::string::npos);
}

TEST(IcebergStatementTest, Call) {
  const auto statement =
      ParseStatement("call catalog.system.expire_snapshots('t', retain_last => 2)");
  ASSERT_EQ(statement->kind, StatementKind::kCall);
  const auto& call = statement->As<CallStatement>();
  EXPECT_EQ(call.procedure.parts,
            (std::vector<std::string>{"catalog", "system", "expire_snapshots"}));
  EXPECT_EQ(call.arg_names, (std::vector<std::string>{"", "retain_last"}));
  EXPECT_EQ(statement->ToString(), "CALL catalog.system.expire_snapshots('t', retain_last => 2)");
  EXPECT_EQ(StatementText("call rollback_to_snapshot(table => 't', snapshot_id => 1)"),
            "CALL rollback_to_snapshot(\"table\" => 't', snapshot_id => 1)");
  EXPECT_EQ(StatementText("CALL p()"), "CALL p()");
  EXPECT_TRUE(RoundTrips("call p(older_than => timestamp '2024-01-01 00:00:00', 'x')"));
  EXPECT_NE(ParseErrorText("call p").find("syntax error"), std::string::npos);
}

}  // namespace
}  // namespace sluice::sql
