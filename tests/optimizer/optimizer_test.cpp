// Plan shapes after optimization, and results equal to the unoptimized plan's.
#include "optimizer/optimizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "api/dataframe.h"
#include "api/session.h"
#include "api/sql_runner.h"
#include "common/thread_pool.h"
#include "exec/scheduler.h"
#include "physical/planner.h"
#include "plan/subquery.h"

namespace sluice {
namespace {

Settings TestSettings() {
  Settings s;
  s.set_threads(2);
  s.set_shuffle_partitions(4);
  s.set_progress_bar(false);
  return s;
}

std::vector<std::string> SortedRows(const std::vector<Batch>& batches) {
  std::vector<std::string> out;
  for (const auto& b : batches) {
    for (size_t i = 0; i < b.num_rows(); i++) {
      std::string line;
      auto row = b.GetRow(i);
      for (size_t c = 0; c < row.size(); c++) line += (c ? "|" : "") + row[c].ToString();
      out.push_back(line);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The first node of `kind` in pre-order, or null.
const LogicalPlan* Find(const LogicalPlan& plan, LogicalKind kind) {
  if (plan.kind == kind) return &plan;
  for (const auto& c : plan.children) {
    if (const LogicalPlan* found = Find(*c, kind)) return found;
  }
  return nullptr;
}

void ForEach(const LogicalPlan& plan, const std::function<void(const LogicalPlan&)>& f) {
  f(plan);
  for (const auto& c : plan.children) ForEach(*c, f);
}

class OptimizerTest : public ::testing::Test {
 protected:
  OptimizerTest() : session_(TestSettings()) {
    Run("CREATE TABLE big AS SELECT range AS id, range % 50 AS k, range % 7 AS g, "
        "range * 3 AS v, 'x' || range AS s FROM range(5000)");
    Run("CREATE TABLE mid AS SELECT range AS k, range % 5 AS c, 'm' || range AS name "
        "FROM range(50)");
    Run("CREATE TABLE small AS SELECT range AS c, 'c' || range AS label FROM range(5)");
    Run("CREATE TABLE n AS SELECT * FROM (VALUES (1, 10), (2, NULL), (NULL, 30), (4, 40)) "
        "t(a, b)");
  }

  void Run(const std::string& sql) { RunSqlScript(session_, sql); }
  LogicalPlanPtr Bound(const std::string& sql) { return SqlQuery(session_, sql).plan(); }
  LogicalPlanPtr Optimized(const std::string& sql) {
    return Optimize(Bound(sql), session_.settings());
  }

  // Runs a plan without the optimizer (Session::Execute optimizes), its subqueries first.
  std::vector<Batch> RunUnoptimized(const LogicalPlan& plan) {
    SubqueryResolver resolver(
        [this](const LogicalPlan& p, const SubqueryRef&) { return RunUnoptimized(p); });
    LogicalPlanPtr ready = resolver.Resolve(LogicalPlanPtr(LogicalPlanPtr(), &plan));
    PhysicalPlanner planner(session_.settings());
    PhysicalOperatorPtr root = planner.Plan(*ready);
    ExecContext ctx(session_.settings(), &session_.memory(), &pool_);
    return Scheduler::Collect(root, ctx);
  }

  void ExpectSameResults(const std::string& sql) {
    LogicalPlanPtr plan = Bound(sql);
    EXPECT_EQ(SortedRows(session_.Execute(*plan)), SortedRows(RunUnoptimized(*plan))) << sql;
  }

  Session session_;
  ThreadPool pool_{2};
};

TEST_F(OptimizerTest, FilterReachesScanThroughProjectionAndSubquery) {
  LogicalPlanPtr plan =
      Optimized("SELECT y FROM (SELECT id + 1 AS y, v FROM big) t WHERE y > 10 AND v < 300");
  const LogicalPlan* filter = Find(*plan, LogicalKind::kFilter);
  ASSERT_NE(filter, nullptr) << plan->ToString();
  EXPECT_EQ(filter->child().kind, LogicalKind::kScan) << plan->ToString();
  // Both conjuncts merged into one filter over the scan.
  EXPECT_EQ(filter->predicate->kind, ExprKind::kAnd) << plan->ToString();
  int filters = 0;
  ForEach(*plan, [&](const LogicalPlan& n) { filters += n.kind == LogicalKind::kFilter; });
  EXPECT_EQ(filters, 1);
}

TEST_F(OptimizerTest, ScanColumnsPruned) {
  LogicalPlanPtr plan = Optimized("SELECT sum(v) FROM big WHERE k = 3");
  const LogicalPlan* scan = Find(*plan, LogicalKind::kScan);
  ASSERT_NE(scan, nullptr);
  EXPECT_EQ(scan->scan_columns, (std::vector<int>{1, 3})) << plan->ToString();
  EXPECT_EQ(scan->schema.size(), 2u);
}

TEST_F(OptimizerTest, UnusedAggregatesAndProjectionsDropped) {
  LogicalPlanPtr plan = Optimized("SELECT g FROM (SELECT g, sum(v) AS sv, max(s) AS ms FROM big "
                                  "GROUP BY g) t");
  const LogicalPlan* agg = Find(*plan, LogicalKind::kAggregate);
  ASSERT_NE(agg, nullptr);
  EXPECT_TRUE(agg->aggregates.empty()) << plan->ToString();
  EXPECT_EQ(Find(*plan, LogicalKind::kScan)->scan_columns, (std::vector<int>{2}));
}

TEST_F(OptimizerTest, FilterOnGroupKeyGoesBelowAggregate) {
  LogicalPlanPtr plan = Optimized("SELECT * FROM (SELECT g, sum(v) AS sv FROM big GROUP BY g) t "
                                  "WHERE g = 2 AND sv > 0");
  const LogicalPlan* agg = Find(*plan, LogicalKind::kAggregate);
  ASSERT_NE(agg, nullptr);
  // sv > 0 stays above the aggregate, g = 2 goes below it.
  EXPECT_NE(Find(*plan, LogicalKind::kFilter), nullptr);
  const LogicalPlan* below = Find(agg->child(), LogicalKind::kFilter);
  ASSERT_NE(below, nullptr) << plan->ToString();
  EXPECT_EQ(below->child().kind, LogicalKind::kScan);
}

TEST_F(OptimizerTest, ConstantsFolded) {
  LogicalPlanPtr plan = Optimized("SELECT id FROM big WHERE id < 2 + 3 AND (1 = 1 OR id > 7)");
  const LogicalPlan* filter = Find(*plan, LogicalKind::kFilter);
  ASSERT_NE(filter, nullptr);
  EXPECT_EQ(filter->predicate->ToString(), "(big.id < 5)") << plan->ToString();
  LogicalPlanPtr none = Optimized("SELECT id FROM big WHERE 1 = 0 AND id > 3");
  EXPECT_EQ(Find(*none, LogicalKind::kScan), nullptr) << none->ToString();
  EXPECT_EQ(SortedRows(session_.Execute(*Bound("SELECT count(*) FROM big WHERE 1 = 0"))),
            std::vector<std::string>{"0"});
}

TEST_F(OptimizerTest, CrossJoinWithWhereBecomesInnerJoin) {
  // The DataFrame API builds a cross join and a filter above it.
  DataFrame df = session_.Table("big")
                     .Alias("big")
                     .CrossJoin(session_.Table("mid").Alias("mid"))
                     .Filter(Call("=", {Col("k", "big"), Col("k", "mid")}));
  LogicalPlanPtr plan = Optimize(df.plan(), session_.settings());
  const LogicalPlan* join = Find(*plan, LogicalKind::kJoin);
  ASSERT_NE(join, nullptr);
  EXPECT_EQ(join->join_kind, JoinKind::kInner) << plan->ToString();
  EXPECT_EQ(Find(*plan, LogicalKind::kFilter), nullptr) << plan->ToString();
}

TEST_F(OptimizerTest, JoinOrderProbesLargestBuildsSmaller) {
  // FROM order small, mid, big: the optimizer starts from big and builds the smaller ones.
  LogicalPlanPtr plan = Optimized(
      "SELECT label, count(*) FROM small JOIN mid ON small.c = mid.c JOIN big ON big.k = mid.k "
      "GROUP BY label");
  std::vector<const LogicalPlan*> joins;
  ForEach(*plan, [&](const LogicalPlan& n) {
    if (n.kind == LogicalKind::kJoin) joins.push_back(&n);
  });
  ASSERT_EQ(joins.size(), 2u) << plan->ToString();
  // Left-deep: the lower join probes big and builds mid; the upper one builds small.
  const LogicalPlan* scan_of_lower_left = Find(joins[1]->child(0), LogicalKind::kScan);
  EXPECT_EQ(scan_of_lower_left->source->EstimatedRows(), 5000) << plan->ToString();
  EXPECT_EQ(Find(joins[1]->child(1), LogicalKind::kScan)->source->EstimatedRows(), 50);
  EXPECT_EQ(Find(joins[0]->child(1), LogicalKind::kScan)->source->EstimatedRows(), 5);
}

TEST_F(OptimizerTest, TwoWayJoinSwapsToBuildSmallerSide) {
  LogicalPlanPtr plan = Optimized("SELECT * FROM small JOIN big ON small.c = big.g");
  const LogicalPlan* join = Find(*plan, LogicalKind::kJoin);
  ASSERT_NE(join, nullptr);
  EXPECT_EQ(Find(join->child(1), LogicalKind::kScan)->source->EstimatedRows(), 5);
  // The output columns keep the query's order.
  EXPECT_EQ(plan->schema.field(0).name, "c");
  EXPECT_EQ(plan->schema.field(1).name, "label");
  ExpectSameResults("SELECT * FROM small JOIN big ON small.c = big.g");
}

TEST_F(OptimizerTest, ImpliedJoinKey) {
  // small.c = mid.c and mid.c = big.g: joining big and small first uses big.g = small.c.
  LogicalPlanPtr plan = Optimized(
      "SELECT count(*) FROM big, mid, small WHERE big.g = mid.c AND mid.c = small.c");
  int keyless = 0;
  ForEach(*plan, [&](const LogicalPlan& n) {
    if (n.kind == LogicalKind::kJoin && n.join_kind == JoinKind::kCross) keyless++;
  });
  EXPECT_EQ(keyless, 0) << plan->ToString();
  ExpectSameResults("SELECT count(*) FROM big, mid, small WHERE big.g = mid.c AND mid.c = small.c");
}

TEST_F(OptimizerTest, OuterJoinFiltersOnlyIntoPreservedSide) {
  LogicalPlanPtr plan = Optimized(
      "SELECT * FROM mid LEFT JOIN small ON mid.c = small.c WHERE mid.k < 10 AND small.label IS NULL");
  const LogicalPlan* join = Find(*plan, LogicalKind::kJoin);
  ASSERT_NE(join, nullptr);
  EXPECT_EQ(join->child(0).kind, LogicalKind::kFilter) << plan->ToString();
  EXPECT_NE(join->child(1).kind, LogicalKind::kFilter) << plan->ToString();
  ExpectSameResults(
      "SELECT * FROM mid LEFT JOIN small ON mid.c = small.c AND small.c > 1 WHERE mid.k < 10 "
      "AND small.label IS NULL");
}

TEST_F(OptimizerTest, ExplainShowsFilterAboveScan) {
  const std::string text = session_.Explain(*Bound("SELECT s FROM big WHERE k = 7"));
  const size_t filter = text.find("Filter");
  ASSERT_NE(filter, std::string::npos) << text;
  EXPECT_NE(text.find("Scan", filter), std::string::npos) << text;
  EXPECT_EQ(text.find("Project", filter), std::string::npos) << text;
}

TEST_F(OptimizerTest, ResultsMatchUnoptimized) {
  for (const char* sql : {
           "SELECT g, sum(v), count(*) FROM big WHERE k < 20 AND v % 2 = 0 GROUP BY g",
           "SELECT * FROM (SELECT g, sum(v) AS sv FROM big GROUP BY g) t WHERE g > 2 AND sv > 0",
           "SELECT name, label FROM big JOIN mid ON big.k = mid.k JOIN small ON mid.c = small.c "
           "WHERE big.id < 100",
           "SELECT * FROM small FULL JOIN n ON small.c = n.a WHERE small.c IS NULL OR n.b > 5",
           "SELECT * FROM n RIGHT JOIN small ON small.c = n.a WHERE small.c < 3",
           "SELECT k FROM mid WHERE k < 3 UNION ALL SELECT g FROM big WHERE id < 3",
           "SELECT * FROM (SELECT k FROM mid UNION ALL SELECT g FROM big) t WHERE k = 4",
           "SELECT DISTINCT g FROM big WHERE g > 3",
           "SELECT a, b FROM n WHERE a IS NOT NULL AND b IS NULL",
           "SELECT count(*) FROM big, small",
           "SELECT mid.k, small.c FROM mid, small WHERE mid.c = small.c AND mid.k + small.c > 40",
           "SELECT id FROM big WHERE id IN (SELECT k FROM mid WHERE c = 2) AND g = 1",
           "SELECT k FROM mid WHERE EXISTS (SELECT 1 FROM big WHERE big.k = mid.k AND big.g = 3)",
           "SELECT * FROM (SELECT id, v FROM big ORDER BY id LIMIT 10) t WHERE v > 6",
       }) {
    ExpectSameResults(sql);
  }
}

}  // namespace
}  // namespace sluice
