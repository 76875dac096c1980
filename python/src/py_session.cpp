// The engine Session for Python (sluice._sluice.Session): settings, SQL, readers, tables,
// createDataFrame, interrupts and the dbt runner.
#include <optional>
#include <string>
#include <vector>

#include <pybind11/stl.h>

#include <fmt/format.h>

#include "api/dataframe_sql.h"
#include "api/sql_runner.h"
#include "dbt/runner.h"
#include "input_columns.h"
#include "interruptible.h"
#include "py_dataframe.h"
#include "py_udf.h"
#include "sql/parser.h"
#include "stream/streaming_dataframe.h"

namespace py = pybind11;

namespace sluice::python {

namespace {

// The Python handle of a Session.
struct PySession {
  std::shared_ptr<Session> session;

  PyDataFrame Wrap(DataFrame df) const { return PyDataFrame{session, std::move(df)}; }
};

char OneChar(const std::string& option, const std::string& value) {
  if (value.size() != 1) {
    throw InvalidInputError(fmt::format("CSV option {} takes one character, got '{}'", option, value));
  }
  return value[0];
}

// PySpark's CSV reader options (and DuckDB's spellings) as CsvOptions.
CsvOptions ToCsvOptions(const std::map<std::string, std::string>& options) {
  CsvOptions csv;
  for (const auto& [name, value] : options) {
    if (name == "header") {
      csv.header = value == "true" || value == "True" || value == "1";
    } else if (name == "sep" || name == "delimiter" || name == "delim") {
      csv.delimiter = value == "\\t" ? '\t' : OneChar(name, value);
    } else if (name == "quote") {
      csv.quote = OneChar(name, value);
    } else if (name == "escape") {
      csv.escape = OneChar(name, value);
    } else if (name == "nullValue" || name == "nullstr") {
      csv.null_strings = {value};
    } else if (name == "dateFormat" || name == "dateformat") {
      csv.date_format = value;
    } else if (name == "timestampFormat" || name == "timestampformat") {
      csv.timestamp_format = value;
    } else if (name == "skip") {
      csv.skip = std::stoll(value);
    } else if (name == "ignore_errors") {
      csv.ignore_errors = value == "true" || value == "True" || value == "1";
    } else if (name == "inferSchema") {
      // Types are always inferred from a sample; the option is accepted for PySpark code.
    } else {
      throw InvalidInputError(fmt::format(
          "unknown CSV option '{}' (known: header, sep, quote, escape, nullValue, dateFormat, "
          "timestampFormat, skip, ignore_errors, inferSchema)", name));
    }
  }
  return csv;
}

// session.sql: a query stays lazy; other statements (CREATE, INSERT, SET, ...) run now, and
// the rows of the last one that has rows (SHOW, EXPLAIN) come back as a DataFrame.
py::object Sql(const PySession& self, const std::string& text) {
  std::vector<sql::StatementPtr> statements =
      sql::ParseScript(text, self.session->settings().max_expression_depth());
  if (statements.size() == 1 && statements[0]->kind == sql::StatementKind::kSelect) {
    return py::cast(self.Wrap(SqlQuery(*self.session, text)));
  }
  std::vector<StatementResult> results;
  RunInterruptible(*self.session, [&] { results = RunSqlScript(*self.session, text); });
  for (auto it = results.rbegin(); it != results.rend(); ++it) {
    if (it->has_rows) {
      return py::cast(self.Wrap(self.session->FromPlan(MakeValues(it->schema, it->batches))));
    }
  }
  return py::none();
}

dbt::DbtCommand DbtCommandOf(const std::string& name) {
  static const std::map<std::string, dbt::DbtCommand> kCommands = {
      {"run", dbt::DbtCommand::kRun},         {"test", dbt::DbtCommand::kTest},
      {"build", dbt::DbtCommand::kBuild},     {"seed", dbt::DbtCommand::kSeed},
      {"compile", dbt::DbtCommand::kCompile}, {"list", dbt::DbtCommand::kList},
      {"snapshot", dbt::DbtCommand::kSnapshot}};
  auto it = kCommands.find(name);
  if (it == kCommands.end()) throw InvalidInputError("unknown dbt command '" + name + "'");
  return it->second;
}

py::dict Dbt(const PySession& self, const std::string& command, const std::string& project_dir,
             const std::vector<std::string>& select, const std::vector<std::string>& exclude,
             int threads, bool full_refresh) {
  dbt::DbtOptions options;
  options.project_dir = project_dir;
  options.select = select;
  options.exclude = exclude;
  options.threads = threads;
  options.full_refresh = full_refresh;
  dbt::DbtReport report;
  RunInterruptible(*self.session, [&] {
    report = dbt::RunDbt(*self.session, DbtCommandOf(command), options);
  });
  py::list results;
  for (const dbt::NodeResult& r : report.results) {
    py::dict d;
    d["unique_id"] = r.unique_id;
    d["resource_type"] = r.resource_type;
    d["status"] = r.status;
    d["message"] = r.message;
    d["rows_affected"] = r.rows_affected;
    d["failures"] = r.failures;
    d["execution_time"] = r.execution_time;
    results.append(d);
  }
  py::dict out;
  out["success"] = report.success;
  out["elapsed"] = report.elapsed;
  out["results"] = results;
  out["listed"] = report.listed;
  return out;
}

// A streaming job started from Python (sluice.streaming.StreamingQuery); holds the session
// whose catalog the job's end reloads.
struct PyStreamingQuery {
  std::shared_ptr<Session> session;
  std::shared_ptr<stream::StreamingQuery> query;
};

py::dict StatsDict(const stream::StreamJobStats& s) {
  py::dict d;
  d["records"] = s.records;
  d["rows_out"] = s.rows_out;
  d["late_rows"] = s.late_rows;
  d["dead_letters"] = s.dead_letters;
  d["checkpoint_id"] = s.checkpoint_id;
  return d;
}

std::map<std::string, LogicalPlanPtr> Plans(const std::map<std::string, PyDataFrame>& dfs) {
  std::map<std::string, LogicalPlanPtr> plans;
  for (const auto& [name, df] : dfs) plans[name] = df.df.plan();
  return plans;
}

}  // namespace

void RegisterSession(py::module_& m) {
  stream::RegisterConnectors();  // CREATE TABLE ... WITH ('connector' = ...) from Python
  py::class_<PyStreamingQuery>(m, "StreamingQuery", "A running streaming job.")
      .def("await_termination",
           [](PyStreamingQuery& q) {
             stream::StreamJobStats stats;
             {
               py::gil_scoped_release release;
               stats = q.query->AwaitTermination();
             }
             return StatsDict(stats);
           })
      .def("stop",
           [](PyStreamingQuery& q) {
             stream::StreamJobStats stats;
             {
               py::gil_scoped_release release;
               stats = q.query->Stop();
             }
             return StatsDict(stats);
           })
      .def("status", [](const PyStreamingQuery& q) { return q.query->Status(); })
      .def_property_readonly("id", [](const PyStreamingQuery& q) { return q.query->id(); })
      .def_property_readonly("sql", [](const PyStreamingQuery& q) { return q.query->sql(); });
  py::class_<PySession>(m, "Session", "The engine's Session (see sluice.Session).")
      .def(py::init([](const std::map<std::string, std::string>& settings, const std::string& db) {
             Settings s;
             for (const auto& [name, value] : settings) s.Set(name, value);
             return PySession{std::make_shared<Session>(s, db)};
           }),
           py::arg("settings"), py::arg("db"))
      .def("set", [](PySession& s, const std::string& n, const std::string& v) { s.session->Set(n, v); })
      .def("get", [](const PySession& s, const std::string& n) { return s.session->settings().Get(n); })
      .def("reset", [](PySession& s, const std::string& n) { s.session->Reset(n); })
      .def("max_collect_bytes",
           [](const PySession& s) { return s.session->settings().max_collect_bytes(); })
      .def("sql", &Sql)
      .def("bind",
           [](const PySession& s, const std::string& text,
              const std::map<std::string, PyDataFrame>& relations) {
             return s.Wrap(SqlOverPlans(*s.session, text, Plans(relations)));
           })
      .def("read_csv",
           [](const PySession& s, const std::string& path,
              const std::map<std::string, std::string>& options) {
             return s.Wrap(s.session->ReadCsv(path, ToCsvOptions(options)));
           })
      .def("read_parquet",
           [](const PySession& s, const std::string& path) { return s.Wrap(s.session->ReadParquet(path)); })
      .def("read_json",
           [](const PySession& s, const std::string& path) { return s.Wrap(s.session->ReadJson(path)); })
      .def("range",
           [](const PySession& s, int64_t start, int64_t end, int64_t step) {
             return s.Wrap(s.session->Range(start, end, step));
           })
      .def("table", [](const PySession& s, const std::string& name) { return s.Wrap(s.session->Table(name)); })
      .def("has_table", [](const PySession& s, const std::string& name) { return s.session->HasTable(name); })
      .def("table_names", [](const PySession& s) { return s.session->TableNames(); })
      .def("drop",
           [](const PySession& s, const std::string& name, bool if_exists) {
             s.session->Drop(name, if_exists);
           })
      .def("register_view",
           [](const PySession& s, const std::string& name, const PyDataFrame& df, bool replace) {
             s.session->RegisterView(name, df.df, replace);
           })
      .def("create_dataframe",
           [](const PySession& s, const py::list& columns) {
             return s.Wrap(s.session->FromPlan(MakeValuesFromPython(columns)));
           })
      .def("register_udf",
           [](const PySession& s, const std::string& name, const std::string& type,
              py::object runner, std::optional<std::vector<std::string>> arg_types) {
             ScalarUdf udf = MakePythonUdf(name, ParseTypeName(type), std::move(runner));
             if (arg_types) {
               udf.arg_types.emplace();
               for (const std::string& t : *arg_types) udf.arg_types->push_back(ParseTypeName(t));
             }
             s.session->RegisterScalarUdf(std::move(udf));
           },
           py::arg("name"), py::arg("type"), py::arg("runner"), py::arg("arg_types") = py::none())
      .def("drop_udf", [](const PySession& s, const std::string& name) {
        return s.session->DropScalarUdf(name);
      })
      .def("interrupt", [](const PySession& s) { s.session->Interrupt(); })
      .def("source_columns",
           [](const PySession& s, const std::string& name) -> std::optional<std::vector<std::string>> {
             const std::optional<SourceDefinition> def = s.session->FindSource(name);
             if (!def) return std::nullopt;
             std::vector<std::string> names;
             for (const Field& f : def->schema.fields()) names.push_back(f.name);
             return names;
           })
      .def("source_ddl",
           [](const PySession& s, const std::string& name, const std::string& column, int64_t delay_us) {
             return stream::SourceDdl(*s.session, name, column, delay_us);
           })
      .def("start_stream",
           [](const PySession& s, const std::string& job_sql, const std::string& job_id,
              bool until_idle, int64_t checkpoint_ms, int64_t idle_ms) {
             stream::StreamJobOptions options;
             options.job_sql = job_sql;
             options.job_id = job_id;
             options.until_idle = until_idle;
             if (checkpoint_ms > 0) options.checkpoint_interval_ms = checkpoint_ms;
             options.idle_timeout_ms = idle_ms;
             return PyStreamingQuery{s.session, std::make_shared<stream::StreamingQuery>(
                                                    stream::StartStreamingQuery(*s.session, options))};
           })
      .def("dbt", &Dbt);
}

}  // namespace sluice::python
