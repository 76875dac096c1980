// `state:` selection against a previous manifest (--state DIR).
#include <unistd.h>

#include "dbt/project.h"
#include "dbt_test_util.h"

namespace sluice::dbt {
namespace {

TEST(StateSelectionTest, ModifiedAndNewNodesAgainstPreviousManifest) {
  TempDir project;
  project.Write("dbt_project.yml", "name: p\n");
  project.Write("models/a.sql", "select 1 as x");
  project.Write("models/b.sql", "select x from {{ ref('a') }}");
  project.Write("models/c.sql", "select 2 as y");
  project.Write("models/e.sql", "select x from {{ ref('b') }}");
  project.Write("seeds/s.csv", "k\n1\n");
  Session session;
  DbtOptions options;
  options.project_dir = project.path();
  RunDbt(session, DbtCommand::kList, options);
  const std::string state = project.Sub("prev");
  std::filesystem::create_directories(state);
  std::filesystem::copy_file(project.Sub("target/manifest.json"), state + "/manifest.json");

  options.state_dir = state;
  options.select = {"state:modified"};
  EXPECT_TRUE(RunDbt(session, DbtCommand::kList, options).listed.empty());

  project.Write("models/b.sql", "select x + 1 as x from {{ ref('a') }}");              // body
  project.Write("models/c.sql", "{{ config(materialized='table') }}\nselect 2 as y");  // config
  project.Write("models/d.sql", "select 3 as z");                                      // new
  project.Write("seeds/s.csv", "k\n2\n");  // seed contents
  EXPECT_EQ(RunDbt(session, DbtCommand::kList, options).listed,
            (std::vector<std::string>{"model.p.b", "model.p.c", "model.p.d", "seed.p.s"}));
  options.select = {"state:modified+"};
  EXPECT_EQ(
      RunDbt(session, DbtCommand::kList, options).listed,
      (std::vector<std::string>{"model.p.b", "model.p.c", "model.p.d", "model.p.e", "seed.p.s"}));
  options.select = {"state:new"};
  EXPECT_EQ(RunDbt(session, DbtCommand::kList, options).listed,
            (std::vector<std::string>{"model.p.d"}));

  options.state_dir.clear();
  EXPECT_THROW(RunDbt(session, DbtCommand::kList, options), DbtError);
}

}  // namespace
}  // namespace sluice::dbt
