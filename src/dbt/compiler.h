#pragma once

#include <functional>
#include <memory>
#include <string>

#include "dbt/project.h"
#include "jinja/jinja_environment.h"

namespace sluice::dbt {

// dbt's `target`: where models build by default.
struct Target {
  std::string name = "dev";
  std::string schema = "main";
  int threads = 1;
};

// The database-facing parts of the Jinja context, supplied by the runner. Both may be called
// from several threads at once.
struct WarehouseHooks {
  // The result of `run_query(sql)`: a table-like value (.rows, .column_names).
  std::function<jinja::Value(const std::string& sql)> run_query;
};

// Renders models, tests and hooks with dbt's Jinja context: ref, source, config, this,
// is_incremental, var, env_var, target, log, run_query, adapter.dispatch, exceptions.
//
// Thread-safety: Parse runs alone; afterwards Compile and RenderHook may run concurrently.
class Compiler {
 public:
  Compiler(Project& project, Target target, WarehouseHooks hooks);
  ~Compiler();

  // The parse phase: renders every model and test once with `execute` false, merges their
  // config() calls into the node configs, records depends_on and computes each node's schema
  // and relation. Throws JinjaError / DbtError naming the file and line.
  void Parse();

  // The SQL a node runs, rendered with `execute` true. References to ephemeral models are
  // inlined as CTEs named __dbt__cte__<model>.
  std::string Compile(const Node& node, bool is_incremental) const;
  // Renders a pre_hook / post_hook in the node's context.
  std::string RenderHook(const Node& node, const std::string& hook, bool is_incremental) const;

  const Target& target() const { return target_; }

 private:
  struct RenderState;
  std::string Render(const Node& node, const std::string& template_name, RenderState& state) const;
  jinja::Context MakeContext(const Node& node, RenderState& state) const;
  std::string TemplateName(const Node& node) const;
  void RegisterGlobals();

  Project& project_;
  Target target_;
  WarehouseHooks hooks_;
  std::unique_ptr<jinja::JinjaEnvironment> env_;
};

// Prepends `ctes` ("name as (sql)", in dependency order) to `sql`, merging with a leading
// WITH clause when the query has one.
std::string InjectCtes(const std::string& sql, const std::vector<std::string>& ctes);

}  // namespace sluice::dbt
