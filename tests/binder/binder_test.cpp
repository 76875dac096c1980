// The binder against a fake CatalogReader: no Session, nothing that could run a plan is
// linked, and the fake's tables fail the test if anything reads them.
#include <gtest/gtest.h>

#include <map>

#include "binder/sql_binder.h"
#include "common/strings.h"
#include "sql/parser.h"

namespace sluice {
namespace {

// A table whose rows must never be read: binding only looks at its schema.
class UnreadableSource : public DataSource {
 public:
  explicit UnreadableSource(Schema schema) : schema_(std::move(schema)) {}
  const Schema& schema() const override { return schema_; }
  int num_splits() const override { return 1; }
  std::unique_ptr<BatchStream> Open(int, const std::vector<int>&) const override {
    ADD_FAILURE() << "the binder read a table";
    return std::make_unique<EmptyStream>();
  }
  std::string Describe() const override { return "unreadable"; }
  int64_t EstimatedBytes() const override { return 1 << 30; }

 private:
  Schema schema_;
};

class FakeCatalog : public CatalogReader {
 public:
  void Add(const std::string& name, Schema schema) {
    tables_[ToLower(name)] = MakeScan(std::make_shared<UnreadableSource>(std::move(schema)));
  }
  LogicalPlanPtr FindRelation(const std::string& name) override {
    lookups_++;
    auto it = tables_.find(ToLower(name));
    return it == tables_.end() ? nullptr : it->second;
  }
  std::vector<std::string> TableNames() const override {
    std::vector<std::string> names;
    for (const auto& [n, p] : tables_) names.push_back(n);
    return names;
  }
  int lookups_ = 0;

 private:
  std::map<std::string, LogicalPlanPtr> tables_;
};

Field F(const std::string& name, TypeId type) { return Field{name, LogicalType(type), true, ""}; }

class BinderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_.Add("events", Schema({F("id", TypeId::kBigInt), F("ts", TypeId::kBigInt),
                                   F("kind", TypeId::kVarchar)}));
    catalog_.Add("kinds", Schema({F("kind", TypeId::kVarchar), F("label", TypeId::kVarchar)}));
  }
  LogicalPlanPtr Bind(const std::string& sql) {
    sql_ = sql;
    SqlBinder binder(catalog_, sql_);
    return binder.BindQuery(*sql::ParseQuery(sql_));
  }
  // Every kSubquery expression of `plan`'s nodes (not inside the subqueries).
  static std::vector<ExprPtr> Subqueries(const LogicalPlanPtr& plan) {
    std::vector<ExprPtr> found;
    MapSubqueries(plan, [&](const ExprPtr& e) {
      found.push_back(e);
      return e;
    });
    return found;
  }

  FakeCatalog catalog_;
  std::string sql_;
};

TEST_F(BinderTest, BindsTablesOfTheCatalog) {
  LogicalPlanPtr plan =
      Bind("select e.id, k.label from events e join kinds k on e.kind = k.kind where e.ts > 10");
  ASSERT_EQ(plan->schema.size(), 2u);
  EXPECT_EQ(plan->schema.field(0).name, "id");
  EXPECT_EQ(plan->schema.field(0).type.id(), TypeId::kBigInt);
  EXPECT_EQ(plan->schema.field(1).name, "label");
  EXPECT_EQ(catalog_.lookups_, 2);
  EXPECT_FALSE(ContainsSubquery(*plan));
}

TEST_F(BinderTest, UnknownTableSuggestsACatalogName) {
  try {
    Bind("select * from event");
    FAIL() << "bound an unknown table";
  } catch (const BindError& e) {
    EXPECT_NE(e.message().find("Table with name event does not exist!"), std::string::npos)
        << e.message();
    EXPECT_NE(e.message().find("Did you mean \"events\""), std::string::npos) << e.message();
  }
}

TEST_F(BinderTest, UncorrelatedScalarSubqueryInWhereIsAValueNotAJoin) {
  LogicalPlanPtr plan = Bind("select id from events where ts > (select max(ts) from events)");
  const std::vector<ExprPtr> subqueries = Subqueries(plan);
  ASSERT_EQ(subqueries.size(), 1u);
  const Expr& s = *subqueries[0];
  EXPECT_EQ(s.subquery->kind, SubqueryKind::kScalar);
  EXPECT_EQ(s.type.id(), TypeId::kBigInt);
  EXPECT_EQ(s.subquery->plan->schema.size(), 1u);
  // Its error for a second row points at the subquery in the SQL.
  EXPECT_NE(s.subquery->too_many_rows.find("More than one row"), std::string::npos);
  EXPECT_NE(s.subquery->too_many_rows.find("^"), std::string::npos);
}

TEST_F(BinderTest, SubqueriesInTheSelectListAreValues) {
  LogicalPlanPtr plan = Bind(
      "select (select count(*) from kinds) as n, exists (select 1 from kinds) as any_kind, "
      "kind in (select kind from kinds) as known from events");
  const std::vector<ExprPtr> subqueries = Subqueries(plan);
  ASSERT_EQ(subqueries.size(), 3u);
  EXPECT_EQ(subqueries[0]->subquery->kind, SubqueryKind::kScalar);
  EXPECT_EQ(subqueries[1]->subquery->kind, SubqueryKind::kExists);
  EXPECT_EQ(subqueries[2]->subquery->kind, SubqueryKind::kIn);
  EXPECT_EQ(subqueries[2]->args.size(), 1u);  // the IN operand, a column of events
  EXPECT_EQ(plan->schema.field(1).type.id(), TypeId::kBoolean);
}

TEST_F(BinderTest, SubqueryOfTwoColumnsIsABindError) {
  EXPECT_THROW(Bind("select (select id, ts from events)"), BindError);
}

TEST_F(BinderTest, CorrelatedSubqueryStillBecomesAJoin) {
  LogicalPlanPtr plan = Bind(
      "select id from events e where ts > (select max(ts) from events i where i.kind = e.kind)");
  EXPECT_FALSE(ContainsSubquery(*plan));
}

TEST_F(BinderTest, ResolverRunsEachSubqueryOnceAndInlinesItsValue) {
  LogicalPlanPtr plan = Bind(
      "select id from events where ts > (select max(ts) from events) and (kind in "
      "(select kind from kinds) or id = 0)");
  int runs = 0;
  SubqueryResolver resolver([&](const LogicalPlan& p, const SubqueryRef& ref) {
    runs++;
    const LogicalType type = p.schema.field(0).type;
    std::vector<Value> values = ref.kind == SubqueryKind::kScalar
                                    ? std::vector<Value>{Value::BigInt(42)}
                                    : std::vector<Value>{Value::Varchar("a"), Value::Varchar("b")};
    auto column = Column::Make(type, values.size());
    for (size_t i = 0; i < values.size(); i++) column->SetValue(i, values[i]);
    column->set_size(values.size());
    return std::vector<Batch>{Batch({column}, values.size())};
  });
  LogicalPlanPtr resolved = resolver.Resolve(plan);
  EXPECT_EQ(runs, 2);
  EXPECT_FALSE(ContainsSubquery(*resolved));
  const std::string text = resolved->ToString();
  EXPECT_NE(text.find("42"), std::string::npos) << text;
  EXPECT_NE(text.find("IN ('a', 'b')"), std::string::npos) << text;
  EXPECT_TRUE(ContainsSubquery(*plan)) << "the bound plan is not changed";
}

TEST_F(BinderTest, ResolverFailsOnASecondRowOfAScalarSubquery) {
  LogicalPlanPtr plan = Bind("select (select ts from events)");
  SubqueryResolver resolver([](const LogicalPlan& p, const SubqueryRef&) {
    auto column = Column::Make(p.schema.field(0).type, 2);
    column->SetValue(0, Value::BigInt(1));
    column->SetValue(1, Value::BigInt(2));
    column->set_size(2);
    return std::vector<Batch>{Batch({column}, 2)};
  });
  try {
    resolver.Resolve(plan);
    FAIL() << "two rows accepted";
  } catch (const InvalidInputError& e) {
    EXPECT_NE(e.message().find("More than one row returned by a subquery"), std::string::npos);
    EXPECT_NE(e.message().find("line 1, column 8"), std::string::npos) << e.message();
  }
}

TEST_F(BinderTest, EmptyInSubqueryIsFalse) {
  LogicalPlanPtr plan = Bind("select id from events where kind not in (select kind from kinds)");
  SubqueryResolver resolver(
      [](const LogicalPlan&, const SubqueryRef&) { return std::vector<Batch>{}; });
  const std::string text = resolver.Resolve(plan)->ToString();
  EXPECT_EQ(text.find(" IN "), std::string::npos) << text;
}

TEST_F(BinderTest, LabelsNumberNestedSubqueriesFirst) {
  LogicalPlanPtr plan = Bind(
      "select id from events where ts > (select max(ts) from events where id < "
      "(select count(*) from kinds))");
  std::vector<LabelledSubquery> labelled;
  LogicalPlanPtr out = LabelSubqueries(plan, &labelled);
  ASSERT_EQ(labelled.size(), 2u);
  EXPECT_EQ(labelled[0].label, "$1");
  EXPECT_EQ(labelled[1].label, "$2");
  // $2 (the outer one) holds $1 (run first).
  EXPECT_TRUE(ContainsSubquery(*labelled[1].plan));
  EXPECT_FALSE(ContainsSubquery(*labelled[0].plan));
  EXPECT_NE(out->ToString().find("$2"), std::string::npos) << out->ToString();
}

TEST_F(BinderTest, ConstantContextsRejectSubqueries) {
  EXPECT_THROW(Bind("select id from events limit (select 1)"), NotImplementedError);
}

}  // namespace
}  // namespace sluice
