// `sluice docs generate`: the static page with the lineage SVG, SQL, columns and tests.
#include <unistd.h>

#include "dbt/compiler.h"
#include "dbt/project.h"
#include "dbt_test_util.h"

namespace sluice::dbt {
namespace {

size_t CountOf(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(DocsTest, JafflePageHasOneBoxPerNodeAndOneCurvePerEdge) {
  TempDir dir;
  Session session{Settings{}, dir.Sub("db")};
  DbtOptions options;
  options.project_dir = SLUICE_JAFFLE_DIR;
  options.target_path = dir.Sub("target");
  options.exclude = {"tag:known_failure"};
  ASSERT_TRUE(RunDbt(session, DbtCommand::kBuild, options).success);
  options.exclude.clear();
  RunDbt(session, DbtCommand::kDocs, options);
  std::ifstream in(dir.Sub("target/index.html"));
  const std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_NE(html.find("<svg"), std::string::npos);

  Project project = LoadProject(SLUICE_JAFFLE_DIR);
  Compiler compiler(project, Target{}, WarehouseHooks{});
  compiler.Parse();
  size_t boxes = 0, edges = 0;
  for (const auto& node : project.nodes) {
    if (node.type == ResourceType::kTest) continue;
    ++boxes;
    for (const auto& parent : node.depends_on)
      edges += project.Find(parent)->type != ResourceType::kTest;
  }
  EXPECT_EQ(CountOf(html, "class=\"node\""), boxes);
  EXPECT_EQ(CountOf(html, "class=\"edge\""), edges);
  EXPECT_NE(html.find("data-from=\"model.jaffle.stg_orders\" data-to=\"model.jaffle.customers\""),
            std::string::npos);
  EXPECT_NE(html.find("data-from=\"seed.jaffle.raw_orders\" data-to=\"model.jaffle.stg_orders\""),
            std::string::npos);
  // Compiled SQL, warehouse columns with types, and tests per node.
  EXPECT_NE(html.find("from main_staging.stg_orders"), std::string::npos);
  EXPECT_NE(html.find("<td>customer_lifetime_value</td>"), std::string::npos);
  EXPECT_NE(html.find("class=\"test\">unique_customers_customer_id"), std::string::npos) << html;
}

TEST(DocsTest, DocBlocksFillDescriptionsAndEdgesMatchRefs) {
  TempDir project;
  project.Write("dbt_project.yml", "name: p\n");
  project.Write("models/a.sql", "select 1 as x");
  project.Write("models/b.sql", "select x from {{ ref('a') }}");
  project.Write("models/c.sql",
                "select a.x from {{ ref('a') }} a join {{ ref('b') }} b on a.x = b.x");
  project.Write("models/docs.md", "{% docs x_doc %}\nThe x of <everything>.\n{% enddocs %}\n");
  project.Write(
      "models/schema.yml",
      "version: 2\nmodels:\n  - name: a\n    description: 'Model a: {{ doc(\"x_doc\") }}'\n"
      "    columns:\n      - name: x\n        description: '{{ doc(\"x_doc\") }}'\n"
      "        tests: [not_null]\n");
  TempDir db;
  Session session{Settings{}, db.path()};
  DbtOptions options;
  options.project_dir = project.path();
  RunDbt(session, DbtCommand::kDocs, options);
  std::ifstream in(project.Sub("target/index.html"));
  const std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(CountOf(html, "class=\"node\""), 3u);
  EXPECT_EQ(CountOf(html, "class=\"edge\""), 3u);  // a->b, a->c, b->c
  EXPECT_NE(html.find("Model a: The x of &lt;everything&gt;."), std::string::npos) << html;
  EXPECT_NE(html.find("<td>x</td><td></td><td>The x of &lt;everything&gt;.</td>"),
            std::string::npos);
  EXPECT_NE(html.find("class=\"test\">not_null_a_x"), std::string::npos);
}

}  // namespace
}  // namespace sluice::dbt
