// Subqueries as plan values: binding leaves them in the plan, and the resolver runs each one
// once (through the runner the session gives it) and puts its value in its place.
#include <gtest/gtest.h>

#include <map>

#include "common/error.h"
#include "io/memory_table.h"
#include "plan/subquery.h"
#include "tests/support/row_batches.h"

namespace sluice {
namespace {

using test_support::MakeBatch;
using test_support::Row;

const std::vector<LogicalType> kBigInt = {TypeId::kBigInt};

LogicalPlanPtr Numbers(std::vector<int64_t> values) {
  std::vector<Row> rows;
  for (int64_t v : values) rows.push_back({Value::BigInt(v)});
  Schema schema({Field{"n", LogicalType(TypeId::kBigInt), true, ""}});
  return MakeScan(std::make_shared<MemoryTable>(schema, std::vector<Batch>{MakeBatch(kBigInt, rows)}));
}

// Serves each subquery's rows from a table keyed by label, counting the runs, and checks the
// limit the resolver put on top (a scalar needs 2 rows to detect a second, EXISTS needs 1).
class FakeRunner {
 public:
  void Serve(const std::string& label, std::vector<int64_t> values) { rows_[label] = values; }
  std::vector<Batch> Run(const LogicalPlan& plan, const SubqueryRef& ref) {
    runs[ref.label]++;
    last_limit[ref.label] = plan.kind == LogicalKind::kLimit ? plan.limit : -1;
    std::vector<Row> rows;
    for (int64_t v : rows_.at(ref.label)) rows.push_back({Value::BigInt(v)});
    return {MakeBatch(kBigInt, rows)};
  }
  SubqueryRunner AsRunner() {
    return [this](const LogicalPlan& plan, const SubqueryRef& ref) { return Run(plan, ref); };
  }
  std::map<std::string, int> runs;
  std::map<std::string, int64_t> last_limit;

 private:
  std::map<std::string, std::vector<int64_t>> rows_;
};

TEST(SubqueryTest, BindingKeepsTheSubqueryInThePlan) {
  auto sub = MakeSubqueryExpr(SubqueryKind::kScalar, Numbers({5}), "$1");
  auto plan = MakeFilter(Numbers({1, 9}), Call(">", {Col("n"), sub}));
  EXPECT_TRUE(ContainsSubquery(*plan));
  EXPECT_FALSE(ContainsSubquery(*Numbers({1})));
}

TEST(SubqueryTest, AScalarSubqueryUsedTwiceRunsOnce) {
  auto sub = MakeSubqueryExpr(SubqueryKind::kScalar, Numbers({}), "$1");
  auto plan = MakeProject(MakeFilter(Numbers({1, 9}), Call(">", {Col("n"), sub})),
                          {Call("+", {Col("n"), sub})});
  FakeRunner runner;
  runner.Serve("$1", {5});
  SubqueryResolver resolver(runner.AsRunner());
  auto resolved = resolver.Resolve(plan);
  EXPECT_FALSE(ContainsSubquery(*resolved));
  EXPECT_EQ(runner.runs["$1"], 1);
  EXPECT_EQ(runner.last_limit["$1"], 2);
  EXPECT_NE(resolved->child().predicate->ToString().find("5"), std::string::npos)
      << resolved->child().predicate->ToString();
  // The original plan is unchanged: it can be explained or resolved again.
  EXPECT_TRUE(ContainsSubquery(*plan));
}

TEST(SubqueryTest, AScalarSubqueryWithTwoRowsIsAnError) {
  auto sub = MakeSubqueryExpr(SubqueryKind::kScalar, Numbers({}), "$1", nullptr, false,
                              "line 1:8: more than one row");
  FakeRunner runner;
  runner.Serve("$1", {1, 2});
  SubqueryResolver resolver(runner.AsRunner());
  try {
    resolver.Resolve(MakeProject(Numbers({1}), {sub}));
    FAIL() << "no error";
  } catch (const InvalidInputError& e) {
    EXPECT_NE(std::string(e.what()).find("line 1:8: more than one row"), std::string::npos)
        << e.what();
  }
}

TEST(SubqueryTest, AnEmptyScalarSubqueryIsNull) {
  auto sub = MakeSubqueryExpr(SubqueryKind::kScalar, Numbers({}), "$1");
  FakeRunner runner;
  runner.Serve("$1", {});
  SubqueryResolver resolver(runner.AsRunner());
  auto resolved = resolver.Resolve(MakeProject(Numbers({1}), {sub}));
  ASSERT_EQ(resolved->exprs[0]->kind, ExprKind::kLiteral);
  EXPECT_TRUE(resolved->exprs[0]->value.is_null());
}

TEST(SubqueryTest, ExistsRunsUnderLimitOne) {
  auto sub = MakeSubqueryExpr(SubqueryKind::kExists, Numbers({}), "$1");
  FakeRunner runner;
  runner.Serve("$1", {3});
  SubqueryResolver resolver(runner.AsRunner());
  auto resolved = resolver.Resolve(MakeFilter(Numbers({1}), sub));
  EXPECT_EQ(runner.last_limit["$1"], 1);
  ASSERT_EQ(resolved->predicate->kind, ExprKind::kLiteral);
  EXPECT_EQ(resolved->predicate->value.ToString(), "true");
}

TEST(SubqueryTest, InAnEmptySetIsFalseAndNotInIsTrue) {
  FakeRunner runner;
  runner.Serve("$1", {});
  runner.Serve("$2", {});
  SubqueryResolver resolver(runner.AsRunner());
  auto in = MakeSubqueryExpr(SubqueryKind::kIn, Numbers({}), "$1", Col("n"));
  auto not_in = MakeSubqueryExpr(SubqueryKind::kIn, Numbers({}), "$2", Col("n"), true);
  auto resolved = resolver.Resolve(MakeProject(Numbers({1}), {in, not_in}));
  EXPECT_EQ(resolved->exprs[0]->value.ToString(), "false");
  EXPECT_EQ(resolved->exprs[1]->value.ToString(), "true");
}

TEST(SubqueryTest, InBecomesAListOfTheValues) {
  FakeRunner runner;
  runner.Serve("$1", {4, 7});
  SubqueryResolver resolver(runner.AsRunner());
  auto in = MakeSubqueryExpr(SubqueryKind::kIn, Numbers({}), "$1", Col("n"));
  auto resolved = resolver.Resolve(MakeFilter(Numbers({1}), in));
  EXPECT_EQ(resolved->predicate->kind, ExprKind::kIn) << resolved->predicate->ToString();
  EXPECT_EQ(resolved->predicate->args.size(), 3u);  // operand + 2 values
}

TEST(SubqueryTest, NestedSubqueriesAreLabelledToRunFirst) {
  auto inner = MakeSubqueryExpr(SubqueryKind::kScalar, Numbers({}), "inner");
  auto outer_plan = MakeFilter(Numbers({}), Call("<", {Col("n"), inner}));
  auto outer = MakeSubqueryExpr(SubqueryKind::kExists, outer_plan, "outer");
  std::vector<LabelledSubquery> labelled;
  auto plan = LabelSubqueries(MakeFilter(Numbers({}), outer), &labelled);
  ASSERT_EQ(labelled.size(), 2u);
  EXPECT_EQ(labelled[0].label, "$1");
  EXPECT_EQ(labelled[0].kind, SubqueryKind::kScalar);  // the nested one runs first
  EXPECT_EQ(labelled[1].label, "$2");
  EXPECT_EQ(labelled[1].kind, SubqueryKind::kExists);
  EXPECT_EQ(plan->predicate->ToString().find("EXISTS($2)") != std::string::npos, true)
      << plan->predicate->ToString();
}

}  // namespace
}  // namespace sluice
