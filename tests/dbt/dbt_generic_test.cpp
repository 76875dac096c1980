// Custom generic tests: `{% test %}` definitions in macros/ and tests/generic/, used from
// YAML `tests:` / `data_tests:` with arguments (inline and `arguments:`), with severity,
// where, warn_if / error_if, fail_calc and limit; a project override of a built-in test.
#include "dbt/project.h"
#include "dbt_test_util.h"

namespace sluice::dbt {
namespace {

class GenericTestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    project_.Write("dbt_project.yml", "name: p\nconfig-version: 2\n");
    project_.Write("seeds/nums.csv", "n\n1\n2\n3\n4\n4\n");
    project_.Write("macros/tests.sql",
                   "{% test is_odd_free(model, column_name) %}\n"
                   "select {{ column_name }} from {{ model }} where {{ column_name }} % 2 = 1\n"
                   "{% endtest %}\n"
                   "{% test at_most(model, column_name, max=10) %}\n"
                   "select {{ column_name }} from {{ model }} where {{ column_name }} > {{ max }}\n"
                   "{% endtest %}\n");
    project_.Write(
        "tests/generic/row_count.sql",
        "{% test row_count_at_least(model, min_rows=1) %}\n"
        "select count(*) as row_count from {{ model }} having count(*) < {{ min_rows }}\n"
        "{% endtest %}\n");
    // Overrides the built-in unique test; the extra column shows which one ran.
    project_.Write("tests/generic/unique.sql",
                   "{% test unique(model, column_name) %}\n"
                   "select {{ column_name }}, 'project override' as via from {{ model }}\n"
                   "group by {{ column_name }} having count(*) > 1\n"
                   "{% endtest %}\n");
  }

  DbtReport Build(const std::string& properties) {
    project_.Write("seeds/properties.yml", properties);
    DbtOptions options;
    options.project_dir = project_.path();
    options.target_path = project_.Sub("target");
    return RunDbt(session_, DbtCommand::kBuild, options);
  }

  // "status failures" of a test.
  static std::string Outcome(const DbtReport& report, const std::string& name) {
    const NodeResult* r = report.Find("test.p." + name);
    if (r == nullptr) return "missing";
    return r->status + " " + std::to_string(r->failures);
  }

  TempDir project_;
  Session session_;
};

TEST_F(GenericTestTest, RunsProjectDefinedTestsWithArgumentsAndConfig) {
  const DbtReport report = Build(R"yml(version: 2
seeds:
  - name: nums
    tests:
      - row_count_at_least:
          name: enough_rows
          min_rows: 5
      - row_count_at_least:
          name: too_few_rows
          arguments: {min_rows: 6}
    columns:
      - name: n
        tests:
          - is_odd_free:
              name: odd_warn
              config: {severity: warn}
          - is_odd_free:
              name: odd_where
              config: {where: "n > 2 and 'it''s' = 'it''s'"}
        data_tests:
          - at_most:
              name: at_most_3
              max: 3
          - at_most:
              name: at_most_4_arguments
              arguments:
                max: 4
          - at_most:
              name: at_most_default
          - is_odd_free:
              name: odd_thresholds_pass
              config: {warn_if: ">5", error_if: ">10"}
          - is_odd_free:
              name: odd_thresholds_warn
              config: {warn_if: ">1", error_if: ">=3"}
          - is_odd_free:
              name: odd_error_if
              config: {error_if: ">1"}
          - at_most:
              name: at_most_fail_calc
              max: 1
              config: {fail_calc: "sum(n)"}
          - at_most:
              name: at_most_limit
              max: 1
              config: {limit: 2}
          - unique
)yml");
  EXPECT_EQ(Outcome(report, "enough_rows"), "pass 0");
  EXPECT_EQ(Outcome(report, "too_few_rows"), "fail 1");
  EXPECT_EQ(Outcome(report, "odd_warn"), "warn 2");
  EXPECT_EQ(Outcome(report, "odd_where"), "fail 1");
  EXPECT_EQ(Outcome(report, "at_most_3"), "fail 2");
  EXPECT_EQ(Outcome(report, "at_most_4_arguments"), "pass 0");
  EXPECT_EQ(Outcome(report, "at_most_default"), "pass 0");
  EXPECT_EQ(Outcome(report, "odd_thresholds_pass"), "pass 2");
  EXPECT_EQ(Outcome(report, "odd_thresholds_warn"), "warn 2");
  EXPECT_EQ(Outcome(report, "odd_error_if"), "fail 2");
  EXPECT_EQ(Outcome(report, "at_most_fail_calc"), "fail 13");
  EXPECT_EQ(Outcome(report, "at_most_limit"), "fail 2");
  EXPECT_EQ(Outcome(report, "unique_nums_n"), "fail 1");
  const NodeResult* unique = report.Find("test.p.unique_nums_n");
  ASSERT_NE(unique, nullptr);
  EXPECT_NE(unique->message.find("project override"), std::string::npos) << unique->message;
  EXPECT_FALSE(report.success);
}

// dbt's precedence for a generic test: its YAML properties, then config() in its
// definition, then dbt_project.yml.
TEST_F(GenericTestTest, ConfigPrecedence) {
  project_.Write("dbt_project.yml",
                 "name: p\nconfig-version: 2\ndata_tests:\n  p:\n    +severity: warn\n");
  project_.Write("macros/strict.sql",
                 "{% test strict_odd_free(model, column_name) %}\n"
                 "{{ config(severity='error') }}\n"
                 "select {{ column_name }} from {{ model }} where {{ column_name }} % 2 = 1\n"
                 "{% endtest %}\n");
  const DbtReport report = Build(R"yml(version: 2
seeds:
  - name: nums
    columns:
      - name: n
        data_tests:
          - is_odd_free:
              name: project_severity
          - strict_odd_free:
              name: definition_beats_project
          - strict_odd_free:
              name: properties_beat_definition
              config: {severity: warn}
)yml");
  EXPECT_EQ(Outcome(report, "project_severity"), "warn 2");
  EXPECT_EQ(Outcome(report, "definition_beats_project"), "fail 2");
  EXPECT_EQ(Outcome(report, "properties_beat_definition"), "warn 2");
}

TEST_F(GenericTestTest, UnknownTestNamesTheFileAndLine) {
  try {
    Build(
        "version: 2\nseeds:\n  - name: nums\n    columns:\n      - name: n\n        tests:\n"
        "          - no_such_test\n");
    FAIL() << "expected an error";
  } catch (const DbtError& e) {
    EXPECT_NE(std::string(e.what()).find("seeds/properties.yml:7: unknown generic test "
                                         "'no_such_test'"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(GenericTestTest, BadThresholdIsAnErrorOfTheTest) {
  const DbtReport report = Build(
      "version: 2\nseeds:\n  - name: nums\n    columns:\n      - name: n\n        tests:\n"
      "          - is_odd_free:\n              config: {warn_if: \"lots\"}\n");
  const NodeResult* r = report.Find("test.p.is_odd_free_nums_n");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->status, "error");
  EXPECT_NE(r->message.find("warn_if 'lots' is not a comparison"), std::string::npos) << r->message;
}

// dbt's names: <kind>_<model>_<argument values sorted by argument name>, cleaned; a name of
// 64 characters or more keeps it, and its compiled file and manifest alias use the short
// name (jaffle_shop's accepted_values test on orders.status is dbt's own example).
TEST_F(GenericTestTest, NamesAndShortNamesAsDbtMakesThem) {
  project_.Write("seeds/orders.csv", "id,status,n\n1,placed,1\n2,shipped,2\n");
  const DbtReport report = Build(R"yml(version: 2
seeds:
  - name: orders
    columns:
      - name: status
        tests:
          - accepted_values:
              values: ['placed', 'shipped', 'completed', 'return_pending', 'returned']
      - name: n
        tests:
          - relationships:
              to: ref('nums')
              field: n
          - accepted_values:
              values: [1, 2]
              quote: false
)yml");
  const std::string long_name =
      "accepted_values_orders_status__placed__shipped__completed__return_pending__returned";
  EXPECT_EQ(Outcome(report, long_name), "pass 0");
  EXPECT_EQ(Outcome(report, "relationships_orders_n__n__ref_nums_"), "pass 0");
  EXPECT_EQ(Outcome(report, "accepted_values_orders_n__False__1__2"), "pass 0");
  const std::string compiled = project_.Sub("target") +
                               "/compiled/p/seeds/properties.yml/"
                               "accepted_values_orders_1ce6ab157c285f7cd2ac656013faf758.sql";
  EXPECT_TRUE(std::filesystem::exists(compiled)) << compiled;
  EXPECT_TRUE(std::filesystem::exists(project_.Sub("target") +
                                      "/compiled/p/seeds/properties.yml/"
                                      "relationships_orders_n__n__ref_nums_.sql"));
  std::ifstream in(project_.Sub("target") + "/manifest.json");
  const std::string manifest((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(manifest.find("\"alias\":\"accepted_values_orders_1ce6ab157c285f7cd2ac656013faf758\""),
            std::string::npos);
}

}  // namespace
}  // namespace sluice::dbt
