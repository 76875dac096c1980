#include "dbt/runner.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <ostream>
#include <thread>

#include <fmt/format.h>

#include "api/session.h"
#include "api/sql_runner.h"
#include "common/uuid.h"
#include "dbt/artifacts.h"
#include "dbt/compiler.h"
#include "dbt/docs_page.h"
#include "dbt/graph.h"
#include "dbt/materialization.h"
#include "dbt/project.h"

namespace sluice::dbt {

namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

const char* CommandName(DbtCommand command) {
  switch (command) {
    case DbtCommand::kRun: return "run";
    case DbtCommand::kTest: return "test";
    case DbtCommand::kBuild: return "build";
    case DbtCommand::kSeed: return "seed";
    case DbtCommand::kCompile: return "compile";
    case DbtCommand::kList: return "ls";
    case DbtCommand::kSnapshot: return "snapshot";
    case DbtCommand::kDocs: return "docs";
  }
  return "?";
}

// A column of a run_query result: .name and .values().
class ResultColumn : public jinja::Object {
 public:
  ResultColumn(std::string name, jinja::Value values) : name_(std::move(name)), values_(std::move(values)) {}
  std::string TypeName() const override { return "Column"; }
  jinja::Value GetAttribute(std::string_view attr) const override {
    if (attr == "name") return jinja::Value(name_);
    if (attr == "values") {
      jinja::Value values = values_;
      return jinja::MakeFunction("values", [values](const jinja::CallArgs&) { return values; });
    }
    return jinja::Value::Undefined("'Column' object has no attribute '" + std::string(attr) + "'");
  }
  std::optional<jinja::List> Iterate() const override { return values_.AsList(); }

 private:
  std::string name_;
  jinja::Value values_;
};

// The result of run_query(): a table with .rows, .column_names and .columns (agate-like).
class ResultTable : public jinja::Object {
 public:
  ResultTable(jinja::Value rows, jinja::Value names, jinja::Value columns)
      : rows_(std::move(rows)), names_(std::move(names)), columns_(std::move(columns)) {}
  std::string TypeName() const override { return "Table"; }
  jinja::Value GetAttribute(std::string_view attr) const override {
    if (attr == "rows") return rows_;
    if (attr == "column_names") return names_;
    if (attr == "columns") return columns_;
    return jinja::Value::Undefined("'Table' object has no attribute '" + std::string(attr) + "'");
  }
  jinja::Value GetItem(const jinja::Value& key) const override {
    if (key.IsInt()) return rows_.AsList().at(key.AsInt());
    return GetAttribute(key.Str());
  }
  std::optional<jinja::List> Iterate() const override { return rows_.AsList(); }
  bool Truthy() const override { return true; }

 private:
  jinja::Value rows_, names_, columns_;
};

jinja::Value ToJinja(const sluice::Value& v) {
  if (v.is_null()) return jinja::Value::None();
  if (v.type().id() == TypeId::kBoolean) return jinja::Value(v.GetBool());
  if (v.type().IsInteger()) return jinja::Value(v.GetInt());
  if (v.type().id() == TypeId::kDouble) return jinja::Value(v.GetDouble());
  return jinja::Value(v.ToString());
}

jinja::Value QueryToJinja(const StatementResult& result) {
  jinja::List rows, names;
  std::vector<jinja::List> columns(result.schema.size());
  for (const auto& batch : result.batches) {
    for (size_t r = 0; r < batch.num_rows(); ++r) {
      jinja::List row;
      for (size_t c = 0; c < result.schema.size(); ++c) {
        row.push_back(ToJinja(batch.column(c)->GetValue(r)));
        columns[c].push_back(row.back());
      }
      rows.push_back(jinja::Value::MakeTuple(std::move(row)));
    }
  }
  jinja::List column_objects;
  for (size_t c = 0; c < result.schema.size(); ++c) {
    names.push_back(jinja::Value(result.schema.field(c).name));
    column_objects.push_back(jinja::Value(std::make_shared<ResultColumn>(
        result.schema.field(c).name, jinja::Value::MakeList(std::move(columns[c])))));
  }
  return jinja::Value(std::make_shared<ResultTable>(jinja::Value::MakeList(std::move(rows)),
                                                    jinja::Value::MakeList(std::move(names)),
                                                    jinja::Value::MakeList(std::move(column_objects))));
}

bool Executes(DbtCommand command, const Node& node) {
  if (command == DbtCommand::kList) return true;
  if (node.type == ResourceType::kModel && ConfigString(node, "materialized") == "ephemeral") {
    return false;
  }
  if (ConfigString(node, "enabled") == "False") return false;
  switch (command) {
    case DbtCommand::kRun: return node.type == ResourceType::kModel;
    case DbtCommand::kTest: return node.type == ResourceType::kTest;
    case DbtCommand::kSeed: return node.type == ResourceType::kSeed;
    case DbtCommand::kSnapshot: return node.type == ResourceType::kSnapshot;
    case DbtCommand::kDocs: return false;
    case DbtCommand::kBuild: return node.type != ResourceType::kSource;
    case DbtCommand::kCompile:
      return node.type == ResourceType::kModel || node.type == ResourceType::kTest ||
             node.type == ResourceType::kSnapshot;
    case DbtCommand::kList: return true;
  }
  return false;
}

std::string Describe(const Node& node) {
  if (node.type == ResourceType::kTest) return "test " + node.name;
  if (node.type == ResourceType::kSeed) return "seed file " + node.relation;
  if (node.type == ResourceType::kSnapshot) return "snapshot " + node.relation;
  return ConfigString(node, "materialized") + " model " + node.relation;
}

// Runs the nodes on a pool of workers in DAG order (see RunDbt).
class Scheduler {
 public:
  Scheduler(const Project& project, const Graph& graph, const std::vector<std::string>& ids,
            Materializer& materializer, const DbtOptions& options, const std::string& target_dir)
      : project_(project), materializer_(materializer), options_(options), target_dir_(target_dir) {
    std::map<std::string, size_t> index;
    for (const auto& id : ids) {
      index[id] = tasks_.size();
      Task task;
      task.node = project.Find(id);
      tasks_.push_back(std::move(task));
    }
    // A task waits on its nearest executed ancestors, walking through nodes not executed.
    for (size_t i = 0; i < tasks_.size(); ++i) {
      std::set<std::string> seen;
      std::vector<std::string> stack(graph.Parents(ids[i]).begin(), graph.Parents(ids[i]).end());
      while (!stack.empty()) {
        std::string p = stack.back();
        stack.pop_back();
        if (!seen.insert(p).second) continue;
        auto it = index.find(p);
        if (it != index.end()) {
          tasks_[it->second].children.push_back(i);
          ++tasks_[i].pending;
        } else {
          for (const auto& pp : graph.Parents(p)) stack.push_back(pp);
        }
      }
    }

    // As in `dbt build`, the tests of a node run before the node's children, so a failing
    // test skips what is built on the data it rejected.
    for (size_t t = 0; t < tasks_.size(); ++t) {
      if (tasks_[t].node->type != ResourceType::kTest) continue;
      const std::set<std::string> ancestors = graph.Ancestors(ids[t]);
      for (const auto& parent : graph.Parents(ids[t])) {
        for (const auto& child : graph.Children(parent)) {
          auto it = index.find(child);
          if (it == index.end() || tasks_[it->second].node->type == ResourceType::kTest ||
              ancestors.count(child)) {
            continue;
          }
          tasks_[t].children.push_back(it->second);
          ++tasks_[it->second].pending;
        }
      }
    }
  }

  std::vector<NodeResult> Run() {
    for (size_t i = 0; i < tasks_.size(); ++i) {
      if (tasks_[i].pending == 0) ready_.push_back(i);
    }
    std::vector<std::thread> workers;
    const int threads = std::max(1, options_.threads);
    for (int t = 0; t < threads; ++t) workers.emplace_back([this, t] { Work(t + 1); });
    for (auto& w : workers) w.join();
    return std::move(results_);
  }

 private:
  struct Task {
    const Node* node = nullptr;
    std::vector<size_t> children;
    int pending = 0;
    std::string failed_parent;  // set when an upstream node failed: skip
  };

  void Work(int thread_id) {
    while (true) {
      size_t i;
      {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return !ready_.empty() || done_ == tasks_.size(); });
        if (ready_.empty()) return;
        i = ready_.front();
        ready_.pop_front();
      }
      Task& task = tasks_[i];
      NodeResult result;
      result.unique_id = task.node->unique_id;
      result.resource_type = ResourceTypeName(task.node->type);
      result.thread_id = thread_id;
      result.started_at = Now();
      NodeOutcome outcome;
      if (!task.failed_parent.empty()) {
        outcome.status = "skipped";
        outcome.message = "skipped because " + task.failed_parent + " failed";
      } else if (task.node->type == ResourceType::kTest) {
        outcome = materializer_.Test(*task.node);
      } else {
        outcome = materializer_.Build(*task.node);
      }
      result.completed_at = Now();
      result.execution_time = result.completed_at - result.started_at;
      result.status = outcome.status;
      result.message = outcome.message;
      result.rows_affected = outcome.rows_affected;
      result.failures = outcome.failures;
      result.compiled_code = outcome.compiled_sql;
      if (task.node->type != ResourceType::kTest) result.relation_name = task.node->relation;
      std::lock_guard lock(mutex_);
      if (!outcome.compiled_sql.empty() && task.node->type != ResourceType::kSeed) {
        WriteCompiled(project_, *task.node, outcome.compiled_sql, target_dir_);
      }
      ++done_;
      Print(result, *task.node);
      const bool failed = outcome.status == "error" || outcome.status == "fail" ||
                          outcome.status == "skipped";
      for (size_t child : task.children) {
        if (failed && tasks_[child].failed_parent.empty()) {
          tasks_[child].failed_parent =
              outcome.status == "skipped" ? task.failed_parent : task.node->unique_id;
        }
        if (--tasks_[child].pending == 0) ready_.push_back(child);
      }
      results_.push_back(std::move(result));
      cv_.notify_all();
    }
  }

  void Print(const NodeResult& r, const Node& node) {
    if (options_.out == nullptr) return;
    static const std::map<std::string, std::string> kLabel = {
        {"success", "OK"}, {"pass", "PASS"}, {"fail", "FAIL"}, {"warn", "WARN"},
        {"error", "ERROR"}, {"skipped", "SKIP"}};
    std::string line = fmt::format("{:>3} of {} {} {}", done_, tasks_.size(), kLabel.at(r.status),
                                   Describe(node));
    std::string detail = r.rows_affected >= 0 ? fmt::format("{} in {:.2f}s", r.message, r.execution_time)
                                              : fmt::format("{} in {:.2f}s", kLabel.at(r.status), r.execution_time);
    if (r.status == "error" || r.status == "skipped" || r.status == "fail" || r.status == "warn") {
      detail = fmt::format("{} in {:.2f}s", kLabel.at(r.status), r.execution_time);
    }
    if (line.size() < 70) line += " " + std::string(70 - line.size(), '.');
    *options_.out << line << " [" << detail << "]\n";
  }

  const Project& project_;
  Materializer& materializer_;
  const DbtOptions& options_;
  const std::string& target_dir_;
  std::vector<Task> tasks_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<size_t> ready_;
  size_t done_ = 0;
  std::vector<NodeResult> results_;
};

void PrintSummary(const DbtReport& report, const Project& project, std::ostream& out) {
  std::map<std::string, int> counts;
  for (const auto& r : report.results) ++counts[r.status];
  out << fmt::format("\nFinished running {} node{} in {:.2f}s.\n", report.results.size(),
                     report.results.size() == 1 ? "" : "s", report.elapsed);
  for (const auto& r : report.results) {
    if (r.status == "error" || r.status == "fail" || r.status == "warn") {
      const char* label = r.status == "warn" ? "Warning" : r.status == "fail" ? "Failure" : "Error";
      out << "\n" << label << " in " << r.unique_id << " (" << project.Find(r.unique_id)->path
          << ")\n  " << r.message << "\n";
    }
  }
  out << fmt::format("\nDone. PASS={} WARN={} ERROR={} SKIP={} TOTAL={}\n",
                     counts["success"] + counts["pass"], counts["warn"],
                     counts["error"] + counts["fail"], counts["skipped"], report.results.size());
}

}  // namespace

const NodeResult* DbtReport::Find(const std::string& unique_id) const {
  for (const auto& r : results) {
    if (r.unique_id == unique_id) return &r;
  }
  return nullptr;
}

DbtReport RunDbt(Session& session, DbtCommand command, const DbtOptions& options) {
  const double start = Now();
  Project project = LoadProject(options.project_dir);
  WarehouseHooks hooks;
  // Called while compiling, on the thread of the node being compiled (inside its
  // SettingsScope when it runs under Materializer).
  hooks.run_query = [&session](const std::string& sql) {
    const auto results = RunSqlScript(session, sql);
    for (auto it = results.rbegin(); it != results.rend(); ++it) {
      if (it->has_rows) return QueryToJinja(*it);
    }
    return QueryToJinja(StatementResult{});
  };
  Target target;
  target.schema = options.target_schema;
  target.threads = options.threads;
  Compiler compiler(project, target, hooks);
  compiler.Parse();
  const Graph graph(project);
  if (!options.state_dir.empty()) project.state_checksums = ReadManifestChecksums(options.state_dir);
  std::vector<std::string> unmatched;
  const std::set<std::string> selected =
      SelectNodes(project, graph, options.select, options.exclude, &unmatched);
  if (options.out) {
    for (const auto& selector : unmatched) {
      *options.out << fmt::format(
          "[WARNING]: The selection criterion '{}' does not match any enabled nodes\n", selector);
    }
  }
  const std::string target_dir =
      options.target_path.empty() ? project.root + "/target" : options.target_path;
  const std::string invocation_id = NewUuid();
  // compile writes its manifest once, at the end, with the compiled SQL. A command that runs
  // nodes writes it first on a thread of its own while the nodes run (the project is read-only
  // after Parse), and again at the end with their compiled SQL.
  std::future<void> first_manifest;
  auto await_first_manifest = [&first_manifest] {
    if (first_manifest.valid()) first_manifest.get();
  };
  if (command == DbtCommand::kList || command == DbtCommand::kDocs) {
    WriteManifest(project, graph, target_dir, invocation_id);
  } else if (command != DbtCommand::kCompile) {
    first_manifest = std::async(std::launch::async, [&] {
      WriteManifest(project, graph, target_dir, invocation_id);
    });
  }
  if (command == DbtCommand::kDocs) {
    DbtReport report;
    report.invocation_id = invocation_id;
    const std::string page = WriteDocsPage(project, graph, compiler, session, target_dir);
    WriteCatalog(project, session, target_dir, invocation_id);
    if (options.out) *options.out << "Catalog written to " << page << "\n";
    report.elapsed = Now() - start;
    return report;
  }

  DbtReport report;
  report.invocation_id = invocation_id;
  std::vector<std::string> ids;
  for (const auto& id : graph.TopologicalOrder()) {
    if (selected.count(id) && Executes(command, *project.Find(id))) ids.push_back(id);
  }
  if (ids.empty() && options.out) {
    // dbt's words when a selection leaves nothing to do (exit code 0).
    *options.out << (command == DbtCommand::kList
                         ? "No nodes selected!\n"
                         : "Nothing to do. Try checking your model configs and model "
                           "specification args\n");
    if (command != DbtCommand::kList) {
      if (command == DbtCommand::kCompile) WriteManifest(project, graph, target_dir, invocation_id);
      await_first_manifest();
      report.elapsed = Now() - start;
      WriteRunResults(report, CommandName(command), target_dir);
      return report;
    }
  }
  const bool uses_warehouse = command != DbtCommand::kList && command != DbtCommand::kCompile;
  if (uses_warehouse && !session.warehouse().persistent() && options.out) {
    *options.out << "Note: no --db given: the warehouse is in memory, so nothing built by this "
                    "run persists after it.\n";
  }
  if (command == DbtCommand::kList) {
    report.listed = ids;
    if (options.out) {
      for (const auto& id : ids) *options.out << id << "\n";
    }
    return report;
  }
  if (command == DbtCommand::kCompile) {
    for (const auto& id : ids) {
      const Node& node = *project.Find(id);
      NodeResult result;
      result.unique_id = id;
      result.resource_type = ResourceTypeName(node.type);
      result.started_at = Now();
      // As dbt does: is_incremental() is what `run` would see now (the table exists, no
      // --full-refresh), so the compiled SQL is the SQL run would execute.
      const bool is_incremental =
          ConfigString(node, "materialized", "view") == "incremental" && !options.full_refresh &&
          session.HasTable(node.relation) && session.IsTable(node.relation);
      const std::string sql = compiler.Compile(node, is_incremental);
      WriteCompiled(project, node, sql, target_dir);
      result.compiled_code = sql;
      result.relation_name = node.relation;
      result.completed_at = Now();
      result.execution_time = result.completed_at - result.started_at;
      result.status = "success";
      report.results.push_back(result);
      if (options.out) *options.out << "-- " << id << "\n" << sql << "\n\n";
    }
  } else {
    Materializer materializer(session, compiler, project.root, options.full_refresh);
    materializer.SetEventTimeRange(options.event_time_start, options.event_time_end);
    if (options.out) {
      *options.out << fmt::format("Running {} node{} with {} thread{}\n\n", ids.size(),
                                  ids.size() == 1 ? "" : "s", options.threads,
                                  options.threads == 1 ? "" : "s");
    }
    Scheduler scheduler(project, graph, ids, materializer, options, target_dir);
    report.results = scheduler.Run();
  }
  await_first_manifest();
  report.elapsed = Now() - start;
  for (const auto& r : report.results) {
    if (r.status == "error" || r.status == "fail") report.success = false;
  }
  WriteRunResults(report, CommandName(command), target_dir);
  // The manifest again, now with the SQL of the nodes compiled by this run (as dbt does).
  std::map<std::string, std::string> compiled;
  for (const auto& r : report.results) {
    if (!r.compiled_code.empty()) compiled[r.unique_id] = r.compiled_code;
  }
  if (!compiled.empty() || command == DbtCommand::kCompile) {
    WriteManifest(project, graph, target_dir, invocation_id, compiled);
  }
  if (options.out && command != DbtCommand::kCompile) PrintSummary(report, project, *options.out);
  return report;
}

}  // namespace sluice::dbt
