// Node selection (`sluice ls --select ...`) over the jaffle sample project.
#include <unistd.h>

#include <algorithm>

#include "dbt_test_util.h"

namespace sluice::dbt {
namespace {

class SelectionTest : public ::testing::Test {
 protected:
  std::vector<std::string> List(std::vector<std::string> select,
                                std::vector<std::string> exclude = {}) {
    DbtOptions options;
    options.project_dir = SLUICE_JAFFLE_DIR;
    options.target_path = dir_.Sub("target");
    options.select = std::move(select);
    options.exclude = std::move(exclude);
    std::vector<std::string> ids = RunDbt(session_, DbtCommand::kList, options).listed;
    std::vector<std::string> models;
    for (const auto& id : ids) {
      if (id.rfind("test.", 0) != 0) models.push_back(id.substr(id.rfind('.') + 1));
    }
    std::sort(models.begin(), models.end());
    return models;
  }
  using Names = std::vector<std::string>;

  TempDir dir_;
  Session session_;
};

TEST_F(SelectionTest, NameAndGraphOperators) {
  EXPECT_EQ(List({"customers"}), (Names{"customers"}));
  EXPECT_EQ(List({"+customers"}), (Names{"customers", "raw_customers", "raw_orders", "raw_payments",
                                         "stg_customers", "stg_orders", "stg_payments"}));
  EXPECT_EQ(List({"1+customers"}), (Names{"customers", "stg_customers", "stg_orders", "stg_payments"}));
  EXPECT_EQ(List({"stg_payments+"}), (Names{"customers", "order_payments", "orders", "stg_payments"}));
  EXPECT_EQ(List({"stg_payments+1"}), (Names{"customers", "order_payments", "stg_payments"}));
  EXPECT_EQ(List({"@order_payments"}),
            (Names{"order_payments", "orders", "raw_orders", "raw_payments", "stg_orders",
                   "stg_payments"}));
}

TEST_F(SelectionTest, MethodsUnionsIntersectionsAndExclude) {
  EXPECT_EQ(List({"tag:finance"}), (Names{"orders"}));
  EXPECT_EQ(List({"path:models/staging"}),
            (Names{"order_payments", "stg_customers", "stg_orders", "stg_payments"}));
  EXPECT_EQ(List({"resource_type:seed"}), (Names{"raw_customers", "raw_orders", "raw_payments"}));
  EXPECT_EQ(List({"customers orders"}), (Names{"customers", "orders"}));
  EXPECT_EQ(List({"tag:marts,config.materialized:incremental"}), (Names{"order_log"}));
  EXPECT_EQ(List({"tag:staging"}, {"stg_orders stg_payments"}),
            (Names{"order_payments", "stg_customers"}));
}

TEST_F(SelectionTest, TestsFollowTheirModels) {
  DbtOptions options;
  options.project_dir = SLUICE_JAFFLE_DIR;
  options.target_path = dir_.Sub("target");
  options.select = {"stg_customers"};
  const auto ids = RunDbt(session_, DbtCommand::kList, options).listed;
  EXPECT_NE(std::find(ids.begin(), ids.end(), "test.jaffle.unique_stg_customers_customer_id"), ids.end());
  // The relationships test from stg_orders to stg_customers is selected too (eager).
  EXPECT_NE(std::find(ids.begin(), ids.end(),
                      "test.jaffle.relationships_stg_orders_customer_id__customer_id__ref_stg_customers_"),
            ids.end());
}

}  // namespace
}  // namespace sluice::dbt
