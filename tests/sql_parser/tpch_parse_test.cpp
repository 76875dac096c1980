#include <gtest/gtest.h>

#include "sql/parser.h"
#include "tpch_queries.h"

namespace sluice::sql {
namespace {

using testing::kTpchQueries;

std::string ScriptText(const std::vector<StatementPtr>& statements) {
  std::string out;
  for (const StatementPtr& statement : statements) out += statement->ToString() + ";\n";
  return out;
}

TEST(TpchParseTest, AllQueriesParseAndRoundTrip) {
  for (size_t i = 0; i < kTpchQueries.size(); ++i) {
    SCOPED_TRACE("Q" + std::to_string(i + 1));
    std::vector<StatementPtr> statements;
    ASSERT_NO_THROW(statements = ParseScript(kTpchQueries[i]));
    ASSERT_EQ(statements.size(), i == 14 ? 3u : 1u);
    std::string canonical = ScriptText(statements);
    std::vector<StatementPtr> reparsed;
    ASSERT_NO_THROW(reparsed = ParseScript(canonical)) << canonical;
    EXPECT_EQ(ScriptText(reparsed), canonical);
  }
}

TEST(TpchParseTest, Q1Structure) {
  std::vector<StatementPtr> statements = ParseScript(kTpchQueries[0]);
  const auto& select = statements[0]->As<SelectStatement>().query->As<SelectNode>();
  ASSERT_EQ(select.select_list.size(), 10u);
  EXPECT_EQ(select.select_list[9].alias, "count_order");
  EXPECT_EQ(select.select_list[9].expr->ToString(), "count_star()");
  EXPECT_EQ(select.select_list[2].source_text, "sum(l_quantity)");
  EXPECT_EQ(select.where->ToString(),
            "(l_shipdate <= (CAST('1998-12-01' AS DATE) - INTERVAL '90' DAY))");
  EXPECT_EQ(select.group_by.elements.size(), 2u);
  EXPECT_EQ(select.order_by.size(), 2u);
  EXPECT_EQ(select.order_by[0].expr->ToString(), "l_returnflag");
}

TEST(TpchParseTest, Q13DerivedColumnAliases) {
  std::vector<StatementPtr> statements = ParseScript(kTpchQueries[12]);
  const auto& select = statements[0]->As<SelectStatement>().query->As<SelectNode>();
  ASSERT_EQ(select.from->kind, TableRefKind::kSubquery);
  EXPECT_EQ(select.from->alias, "c_orders");
  EXPECT_EQ(select.from->column_aliases, (std::vector<std::string>{"c_custkey", "c_count"}));
  const auto& inner = select.from->query->As<SelectNode>();
  EXPECT_EQ(inner.from->join_type, TableRef::JoinType::kLeft);
}

TEST(TpchParseTest, Q15ScriptSourceTexts) {
  std::vector<StatementPtr> statements = ParseScript(kTpchQueries[14]);
  ASSERT_EQ(statements.size(), 3u);
  EXPECT_EQ(statements[0]->kind, StatementKind::kCreateView);
  EXPECT_EQ(statements[1]->kind, StatementKind::kSelect);
  EXPECT_EQ(statements[2]->source_text, "drop view revenue0");
  EXPECT_EQ(statements[1]->line, 7);
}

}  // namespace
}  // namespace sluice::sql
