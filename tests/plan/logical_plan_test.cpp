// The logical plan builders: each binds its expressions against its child's schema, derives
// the output schema, and rejects what cannot be planned with a BindError naming the cause.
#include <gtest/gtest.h>

#include "common/error.h"
#include "io/memory_table.h"
#include "plan/logical_plan.h"
#include "tests/support/row_batches.h"

namespace sluice {
namespace {

using test_support::MakeBatch;
using test_support::Row;

Field F(const std::string& name, TypeId type, const std::string& qualifier = "") {
  return Field{name, LogicalType(type), false, qualifier};
}

LogicalPlanPtr Orders() {
  Schema schema({F("id", TypeId::kBigInt, "o"), F("amount", TypeId::kDouble, "o")});
  return MakeScan(std::make_shared<MemoryTable>(schema, std::vector<Batch>{}));
}

LogicalPlanPtr Customers() {
  Schema schema({F("id", TypeId::kInteger, "c"), F("name", TypeId::kVarchar, "c")});
  return MakeScan(std::make_shared<MemoryTable>(schema, std::vector<Batch>{}));
}

template <typename Fn>
std::string BindErrorOf(Fn fn) {
  try {
    fn();
  } catch (const BindError& e) {
    return e.what();
  }
  return "no BindError";
}

TEST(LogicalPlanTest, ProjectNamesAndTypesItsColumns) {
  auto p = MakeProject(Orders(), {Col("id", "o"), Alias(Call("+", {Col("amount"), Lit(Value::Double(1))}),
                                                   "plus_one")});
  ASSERT_EQ(p->schema.size(), 2u);
  EXPECT_EQ(p->schema.field(0).name, "id");
  EXPECT_EQ(p->schema.field(0).qualifier, "o");  // a qualified column keeps its table
  EXPECT_EQ(p->schema.field(1).name, "plus_one");
  EXPECT_EQ(p->schema.field(1).type.id(), TypeId::kDouble);
  EXPECT_EQ(p->schema.field(1).qualifier, "");
}

TEST(LogicalPlanTest, StarExpandsToEveryChildColumn) {
  auto p = MakeProject(Orders(), {Star(), Lit(Value::Integer(7))});
  ASSERT_EQ(p->schema.size(), 3u);
  EXPECT_EQ(p->schema.field(1).name, "amount");
  EXPECT_EQ(p->exprs.size(), 3u);
}

TEST(LogicalPlanTest, UnknownColumnIsABindErrorWithASuggestion) {
  const std::string err = BindErrorOf([] { MakeProject(Orders(), {Col("amout")}); });
  EXPECT_NE(err.find("amout"), std::string::npos) << err;
  EXPECT_NE(err.find("amount"), std::string::npos) << err;
}

TEST(LogicalPlanTest, FilterConditionMustBeBoolean) {
  const std::string err = BindErrorOf([] { MakeFilter(Orders(), Col("amount")); });
  EXPECT_NE(err.find("must be BOOLEAN"), std::string::npos) << err;
  EXPECT_NO_THROW(MakeFilter(Orders(), Call(">", {Col("amount"), Lit(Value::Double(0))})));
}

TEST(LogicalPlanTest, OuterJoinsMakeTheOtherSideNullable) {
  auto on = Call("=", {Col("id", "o"), Col("id", "c")});
  auto left = MakeJoin(Orders(), Customers(), JoinKind::kLeft, on);
  ASSERT_EQ(left->schema.size(), 4u);
  EXPECT_FALSE(left->schema.field(0).nullable);
  EXPECT_TRUE(left->schema.field(2).nullable);
  auto full = MakeJoin(Orders(), Customers(), JoinKind::kFull, on);
  EXPECT_TRUE(full->schema.field(0).nullable);
  EXPECT_TRUE(full->schema.field(3).nullable);
  auto semi = MakeJoin(Orders(), Customers(), JoinKind::kSemi, on);
  EXPECT_EQ(semi->schema.size(), 2u);  // only the left side's columns
}

TEST(LogicalPlanTest, OnlyInnerAndCrossJoinsMayOmitTheCondition) {
  EXPECT_NO_THROW(MakeJoin(Orders(), Customers(), JoinKind::kCross, nullptr));
  const std::string err =
      BindErrorOf([] { MakeJoin(Orders(), Customers(), JoinKind::kLeft, nullptr); });
  EXPECT_NE(err.find("left join needs a join condition"), std::string::npos) << err;
}

TEST(LogicalPlanTest, UnionCastsBothSidesToTheCommonType) {
  auto u = MakeUnion(MakeProject(Orders(), {Col("id")}), MakeProject(Customers(), {Col("id")}));
  ASSERT_EQ(u->schema.size(), 1u);
  EXPECT_EQ(u->schema.field(0).type.id(), TypeId::kBigInt);
  // The INTEGER side got a cast projection; the BIGINT side is unchanged.
  EXPECT_EQ(u->child(0).kind, LogicalKind::kProject);
  EXPECT_EQ(u->child(0).child().kind, LogicalKind::kScan);
  ASSERT_EQ(u->child(1).kind, LogicalKind::kProject);
  EXPECT_EQ(u->child(1).exprs[0]->type.id(), TypeId::kBigInt);
  const std::string err = BindErrorOf([] { MakeUnion(Orders(), MakeProject(Orders(), {Col("id")})); });
  EXPECT_NE(err.find("same number of columns"), std::string::npos) << err;
}

TEST(LogicalPlanTest, AggregateRejectsANonAggregate) {
  auto a = MakeAggregate(Orders(), {Col("id")}, {Aggregate("sum", {Col("amount")})});
  ASSERT_EQ(a->schema.size(), 2u);
  EXPECT_EQ(a->schema.field(1).type.id(), TypeId::kDouble);
  const std::string err = BindErrorOf([] { MakeAggregate(Orders(), {}, {Col("amount")}); });
  EXPECT_NE(err.find("is not an aggregate function call"), std::string::npos) << err;
}

TEST(LogicalPlanTest, LimitAndPartitionCountsAreValidated) {
  EXPECT_THROW(MakeLimit(Orders(), -5, 0), InvalidInputError);
  EXPECT_THROW(MakeLimit(Orders(), 1, -1), InvalidInputError);
  EXPECT_THROW(MakeRepartition(Orders(), 0, {}), InvalidInputError);
  EXPECT_THROW(MakeCoalesce(Orders(), 0), InvalidInputError);
  EXPECT_EQ(MakeRepartition(Orders(), 8, {Col("id")})->exprs.size(), 1u);
}

TEST(LogicalPlanTest, HintsAreTaggedDownToTheRelation) {
  auto filtered = MakeFilter(Orders(), Call(">", {Col("amount"), Lit(Value::Double(0))}));
  auto hinted = WithJoinHint(filtered, "broadcast");
  EXPECT_EQ(hinted->join_hint, "broadcast");
  EXPECT_EQ(hinted->child().join_hint, "broadcast");
  EXPECT_EQ(filtered->join_hint, "");  // the original plan is not changed
  auto skewed = WithSkewKey(filtered, "id", 4);
  EXPECT_EQ(skewed->child().skew_key, "id");
  EXPECT_EQ(skewed->child().skew_buckets, 4);
}

// A target that records nothing: the plan only holds it and names it.
class NamedTarget : public DataTarget {
 public:
  std::unique_ptr<DataWriter> Begin() const override {
    ADD_FAILURE() << "planning began a write";
    return nullptr;
  }
  std::string Describe() const override { return "INSERT INTO audit"; }
};

TEST(LogicalPlanTest, WriteOutputsACountAndPrintsItsTarget) {
  auto w = MakeWrite(Orders(), std::make_shared<NamedTarget>());
  ASSERT_EQ(w->schema.size(), 1u);
  EXPECT_EQ(w->schema.field(0).name, "count");
  EXPECT_EQ(w->schema.field(0).type.id(), TypeId::kBigInt);
  const std::string text = w->ToString();
  EXPECT_EQ(text.rfind("Write INSERT INTO audit\n  Scan ", 0), 0u) << text;
}

TEST(LogicalPlanTest, ValuesKeepTheirRows) {
  const std::vector<LogicalType> types = {TypeId::kInteger};
  auto v = MakeValues(test_support::MakeSchema(types),
                      {MakeBatch(types, {Row{Value::Integer(1)}, Row{Value::Integer(2)}})});
  ASSERT_EQ(v->rows->size(), 1u);
  EXPECT_EQ((*v->rows)[0].num_rows(), 2u);
  EXPECT_EQ(v->ToString(), "Values\n");
}

TEST(LogicalPlanTest, JoinKindsParseFromTheirSparkNames) {
  EXPECT_EQ(ParseJoinKind("left_outer"), JoinKind::kLeft);
  EXPECT_EQ(ParseJoinKind("FULL"), JoinKind::kFull);
  EXPECT_EQ(ParseJoinKind("leftanti"), JoinKind::kAnti);
  try {
    ParseJoinKind("innr");
    FAIL() << "no error";
  } catch (const InvalidInputError& e) {
    EXPECT_NE(std::string(e.what()).find("inner"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace sluice
