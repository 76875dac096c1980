// SQL statements: queries, DDL, INSERT (DELETE, UPDATE, MERGE in sql_dml.cpp), SET, SHOW,
// DESCRIBE, EXPLAIN, COPY.
#include "api/sql_runner.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <limits>

#include <fmt/format.h>

#include "api/cluster_statements.h"
#include "api/dataframe.h"
#include "api/dml_plan.h"
#include "api/file_write.h"
#include "binder/sql_binder.h"
#include "api/sql_dml.h"
#include "api/sql_alter.h"
#include "api/sql_call.h"
#include "api/sql_model.h"
#include "api/sql_source.h"
#include "api/sql_inspect.h"
#include "api/table_constraints.h"
#include "catalog/partitioning.h"
#include "common/strings.h"
#include "expr/binder.h"
#include "io/copy_function.h"
#include "sql/error_context.h"
#include "sql/parser.h"
#include "vector/value_rows.h"

namespace sluice {

StatementResult MakeRowsResult(Schema schema, const std::vector<std::vector<Value>>& rows) {
  StatementResult r;
  r.has_rows = true;
  r.batches = BatchesFromRows(schema, rows);
  r.schema = std::move(schema);
  return r;
}

namespace {


StatementResult Message(std::string message) {
  StatementResult r;
  r.message = std::move(message);
  return r;
}

Field VarcharField(const std::string& name) { return Field{name, TypeId::kVarchar, true, ""}; }

// A catalog name as written: "t" or "s.t".
std::string NameOf(const sql::QualifiedName& name) { return Join(name.parts, "."); }

// The text of an option or SET value: bare words are column references.
std::string WordOf(const sql::Expr& e, SqlBinder& binder) {
  if (e.kind == sql::ExprKind::kColumnRef) return Join(e.As<sql::ColumnRefExpr>().parts, ".");
  return binder.EvaluateConstantExpr(e).ToString();
}

class StatementRunner {
 public:
  StatementRunner(Session& session, std::string_view script)
      : session_(session), binder_(session, script) {}

  // On a cluster with a --db warehouse, DDL runs on rank 0 and the ranks reload the catalog
  // after DDL and writes (cluster_statements.h).
  StatementResult Run(const sql::Statement& s) {
    return RunOnCluster(session_, CatalogChangeOf(s, session_), [&] { return RunHere(s); });
  }

 private:
  StatementResult RunHere(const sql::Statement& s) {
    using sql::StatementKind;
    switch (s.kind) {
      case StatementKind::kSelect: {
        LogicalPlanPtr plan = binder_.BindQuery(*s.As<sql::SelectStatement>().query);
        StatementResult r;
        r.has_rows = true;
        r.schema = plan->schema;
        r.batches = session_.Execute(*plan);
        return r;
      }
      case StatementKind::kCreateTable: return CreateTable(s.As<sql::CreateTableStatement>());
      case StatementKind::kCreateView: return CreateView(s.As<sql::CreateViewStatement>());
      case StatementKind::kDrop: return Drop(s.As<sql::DropStatement>());
      case StatementKind::kCreateSchema: return CreateSchema(s.As<sql::CreateSchemaStatement>());
      case StatementKind::kInsert: return Insert(s.As<sql::InsertStatement>());
      case StatementKind::kDelete:
      case StatementKind::kUpdate:
      case StatementKind::kMerge: return RunDml(session_, binder_, s);
      case StatementKind::kSet: {
        const auto& set = s.As<sql::SetStatement>();
        const std::string value = WordOf(*set.value, binder_);
        Guard(s, [&] { session_.Set(set.name, value); });
        return Message("SET");
      }
      case StatementKind::kReset: {
        const auto& reset = s.As<sql::ResetStatement>();
        Guard(s, [&] {
          if (reset.name == "all") {
            session_.ResetAll();
          } else {
            session_.Reset(reset.name);
          }
        });
        return Message("RESET");
      }
      case StatementKind::kShow: return RunShow(session_, binder_, s.As<sql::ShowStatement>());
      case StatementKind::kDescribe:
        return RunDescribe(session_, binder_, s.As<sql::DescribeStatement>());
      case StatementKind::kPragma:
        return RunPragma(session_, binder_, s.As<sql::PragmaStatement>());
      case StatementKind::kExplain: return Explain(s.As<sql::ExplainStatement>());
      case StatementKind::kAlterTable:
        return RunAlterTable(session_, binder_, s.As<sql::AlterTableStatement>());
      case StatementKind::kCopy: return Copy(s.As<sql::CopyStatement>());
      case StatementKind::kCall: return RunCall(session_, binder_, s.As<sql::CallStatement>());
      case StatementKind::kCreateModel:
        return RunCreateModel(session_, binder_, s.As<sql::CreateModelStatement>());
      case StatementKind::kCache: return Cache(s.As<sql::CacheStatement>());
      case StatementKind::kUncache: {
        const auto& u = s.As<sql::UncacheStatement>();
        const std::string name = NameOf(u.table);
        if (!session_.UncacheTable(name) && !u.if_exists) {
          binder_.ThrowBind(u.table, fmt::format("Table \"{}\" is not cached", name));
        }
        return Message("UNCACHE TABLE");
      }
      default: break;
    }
    const std::string text = ToUpper(s.source_text.substr(0, s.source_text.find_first_of(" \t\n(")));
    binder_.ThrowNotImplemented(s, fmt::format("{} statements are not supported yet", text));
  }

  // Catalog and setting errors get the statement's position.
  template <typename F>
  void Guard(const sql::AstNode& at, F&& f) {
    try {
      f();
    } catch (const InvalidInputError& e) {
      binder_.ThrowBind(at, e.message());
    } catch (const BindError& e) {
      binder_.At(at, [&]() -> int { throw; });
    }
  }

  StatementResult CreateTable(const sql::CreateTableStatement& c) {
    if (!c.with_options.empty() || c.watermark) return RunCreateSource(session_, binder_, c);
    const std::string name = NameOf(c.name);
    if ((c.temporary ? session_.HasTemporary(name) : session_.HasTable(name)) && !c.or_replace) {
      if (c.if_not_exists) return Message("CREATE TABLE");
      binder_.ThrowBind(c.name, fmt::format("Table with name \"{}\" already exists!", name));
    }
    // CLUSTERED BY (k) INTO n BUCKETS; ResolveBucketSpec refuses a count out of range.
    BucketSpec buckets{c.cluster_by,
                       static_cast<int>(std::min<int64_t>(c.num_buckets, std::numeric_limits<int>::max())),
                       {}};
    if (c.as_query) {
      LogicalPlanPtr plan = binder_.BindQuery(*c.as_query);
      buckets.partition_by = PartitionFieldsOf(c, UnqualifiedSchema(plan->schema));
      Guard(c.name,
            [&] { session_.CreateTable(name, DataFrame(&session_, plan), true, buckets, c.temporary); });
      return Message("CREATE TABLE");
    }
    Schema schema;
    for (const auto& col : c.columns) {
      if (schema.Find(col.name) >= 0) {
        binder_.ThrowBind(col, fmt::format("Column with name {} already exists!", col.name));
      }
      // A primary key's columns are NOT NULL.
      const bool key = col.primary_key ||
                       std::find(c.primary_key.begin(), c.primary_key.end(), col.name) !=
                           c.primary_key.end();
      schema.Add(Field{col.name, binder_.TranslateType(col.type), !col.not_null && !key, ""});
    }
    std::vector<std::vector<std::string>> keys = c.uniques;
    if (!c.primary_key.empty()) keys.push_back(c.primary_key);
    for (const auto& key : keys) {
      for (const auto& column : key) {
        if (schema.Find(column) < 0) {
          throw UserError("Catalog", sql::FormatErrorWithCaret(
                                         binder_.script(), c.name.line, c.name.column,
                                         fmt::format("table \"{}\" does not have a column named \"{}\"",
                                                     name, column)));
        }
      }
    }
    buckets.partition_by = PartitionFieldsOf(c, schema);
    Snapshot table;
    table.schema = schema;
    table.constraints = ConstraintsOf(c);
    // Constraints that do not bind fail now rather than at the first INSERT.
    for (size_t i = 0; i < c.columns.size(); i++) {
      if (c.columns[i].default_value) {
        binder_.At(*c.columns[i].default_value, [&] { return DefaultValueOf(session_, table, i); });
      }
      if (c.columns[i].check) {
        binder_.At(*c.columns[i].check,
                   [&] { return BindViolation(session_, c.columns[i].check->ToString(), schema); });
      }
    }
    for (const auto& check : c.checks) {
      binder_.At(*check, [&] { return BindViolation(session_, check->ToString(), schema); });
    }
    Guard(c.name, [&] {
      session_.CreateTable(name, DataFrame(&session_, MakeValues(schema, {})), true, buckets,
                           c.temporary, table.constraints);
    });
    return Message("CREATE TABLE");
  }

  // PARTITIONED BY's fields, checked against the table's columns `schema` (errors point at
  // the field). Only warehouse tables (--db) are partitioned: their data files are Iceberg's.
  std::vector<PartitionColumn> PartitionFieldsOf(const sql::CreateTableStatement& c,
                                                 const Schema& schema) {
    if (c.partition_by.empty()) return {};
    if (c.temporary || !session_.warehouse().persistent()) {
      binder_.ThrowBind(c.partition_by[0],
                        "PARTITIONED BY needs a warehouse table (sluice sql --db DIR): it is "
                        "Iceberg hidden partitioning of the table's data files");
    }
    if (!c.cluster_by.empty()) {
      binder_.ThrowBind(c.partition_by[0],
                        "a table is either CLUSTERED BY (bucketed) or PARTITIONED BY, not both");
    }
    std::vector<PartitionColumn> fields;
    for (const auto& item : c.partition_by) {
      const PartitionColumn field = CheckedPartitionField(binder_, item, schema);
      if (std::find(fields.begin(), fields.end(), field) != fields.end()) {
        binder_.ThrowBind(item, fmt::format("partition field {} is listed twice", item.ToString()));
      }
      fields.push_back(field);
    }
    return fields;
  }

  // CACHE TABLE t: t's current rows are kept in memory; CACHE TABLE t AS query: the query's
  // rows, under the name t.
  StatementResult Cache(const sql::CacheStatement& c) {
    const std::string name = NameOf(c.table);
    if (c.query) {
      LogicalPlanPtr plan = binder_.BindQuery(*c.query);
      const DataFrame df(&session_, plan);
      Guard(c.table, [&] { session_.CacheTable(name, &df); });
    } else {
      if (!session_.HasTable(name)) {
        binder_.ThrowBind(c.table, fmt::format("Table with name {} does not exist!", name));
      }
      Guard(c.table, [&] { session_.CacheTable(name); });
    }
    return Message("CACHE TABLE");
  }

  StatementResult CreateSchema(const sql::CreateSchemaStatement& c) {
    Guard(c.name, [&] { session_.CreateSchema(c.name.parts.back(), c.if_not_exists); });
    return Message("CREATE SCHEMA");
  }

  StatementResult CreateView(const sql::CreateViewStatement& v) {
    const std::string name = NameOf(v.name);
    if ((v.temporary ? session_.HasTemporary(name) : session_.HasTable(name)) && !v.or_replace) {
      if (v.if_not_exists) return Message("CREATE VIEW");
      binder_.ThrowBind(v.name, fmt::format("View with name \"{}\" already exists!", name));
    }
    if (v.lambda) {
      const LambdaViewSpec spec{NameOf(v.batch), NameOf(v.speed), v.time_column};
      Guard(v.name, [&] { session_.CreateLambdaView(name, spec, v.ToString(), true); });
      return Message("CREATE VIEW");
    }
    LogicalPlanPtr plan = binder_.BindQuery(*v.query);
    if (!v.column_aliases.empty()) {
      plan = sql_bind::WithFields(plan, [&](Field& f, size_t i) {
        if (i < v.column_aliases.size()) f.name = v.column_aliases[i];
      });
    }
    // Stored as SQL text and bound again on use; binding it now reports errors early.
    Guard(v.name, [&] {
      session_.CreateView(name, v.query->ToString(), v.column_aliases, true, v.temporary);
    });
    return Message("CREATE VIEW");
  }

  StatementResult Drop(const sql::DropStatement& d) {
    if (d.object_type == sql::ObjectType::kSchema) {
      Guard(d.name, [&] { session_.DropSchema(d.name.parts.back(), d.if_exists, d.cascade); });
      return Message("DROP");
    }
    if (d.object_type == sql::ObjectType::kModel) {
      const std::string model = NameOf(d.name);
      if (!session_.models().Drop(model) && !d.if_exists) {
        binder_.ThrowBind(d.name, fmt::format("Model with name {} does not exist!", model));
      }
      return Message("DROP");
    }
    const std::string name = NameOf(d.name);
    if (!session_.HasTable(name)) {
      if (d.if_exists) return Message("DROP");
      const char* what = d.object_type == sql::ObjectType::kView ? "View" : "Table";
      binder_.ThrowBind(d.name, fmt::format("{} with name {} does not exist!{}", what, name,
                                            sql_bind::Suggest(name, session_.TableNames())));
    }
    session_.Drop(name, true);
    return Message("DROP");
  }

  StatementResult Insert(const sql::InsertStatement& ins) {
    if (ins.by_name && !ins.columns.empty()) {
      binder_.ThrowBind(ins, "INSERT BY NAME takes no column list: the query's column names "
                             "say where each value goes");
    }
    if (!ins.query) {
      // DEFAULT VALUES: one row of every column's default.
      return InsertInto(ins.table, ins.columns, ins, [&] { return LogicalPlanPtr(); }, &ins);
    }
    return InsertInto(ins.table, ins.columns, *ins.query,
                      [&] { return binder_.BindQuery(*ins.query); }, &ins);
  }

  // Appends the rows of `bind_source()` (called once the table is known) to `table`, cast to
  // its columns: all in order, or those named by `columns` (the others take their DEFAULT,
  // else NULL). A null source is one row of defaults (DEFAULT VALUES). `at` is where errors
  // about the rows point. `ins`, an INSERT statement, may match columns by name (BY NAME) and
  // say what a row whose key exists does (ON CONFLICT, OR IGNORE, OR REPLACE).
  StatementResult InsertInto(const sql::QualifiedName& table,
                             std::vector<std::string> columns, const sql::AstNode& at,
                             const std::function<LogicalPlanPtr()>& bind_source,
                             const sql::InsertStatement* ins = nullptr) {
    const std::string name = NameOf(table);
    if (session_.HasTable(name) && !session_.IsTable(name)) {
      binder_.ThrowBind(table, fmt::format("\"{}\" is a view: only tables can be modified", name));
    }
    if (!session_.HasTable(name)) {
      binder_.ThrowBind(table, fmt::format("Table with name {} does not exist!{}", name,
                                           sql_bind::Suggest(name, session_.TableNames())));
    }
    LogicalPlanPtr target = session_.Table(name).plan();
    const std::shared_ptr<TableStore> store = session_.FindStore(name);
    const Snapshot current = store != nullptr ? store->Current() : Snapshot{};
    if (ins != nullptr && ins->query && ins->query->kind == sql::QueryKind::kValues) {
      // DEFAULT in the VALUES rows: the default of the column the value goes to.
      binder_.SetValuesDefaults([&](size_t c) -> ExprPtr {
        const int i = columns.empty() ? static_cast<int>(c)
                      : c < columns.size() ? target->schema.Find(columns[c])
                                           : -1;
        if (i < 0 || static_cast<size_t>(i) >= target->schema.size()) {
          return Lit(Value::Null(TypeId::kNull));
        }
        return DefaultValueOrNull(session_, current, static_cast<size_t>(i),
                                  target->schema.field(static_cast<size_t>(i)).type);
      });
    }
    LogicalPlanPtr source = bind_source();
    const bool default_values = source == nullptr;
    if (default_values) {
      const Schema one({Field{"#row", TypeId::kBoolean, true, ""}});
      source = MakeValues(one, BatchesFromRows(one, {{Value::Boolean(true)}}));
    }
    const Schema& ts = target->schema;
    if (ins != nullptr && ins->by_name && !default_values) {
      for (const auto& f : source->schema.fields()) columns.push_back(f.name);
    }
    // Source column feeding each target column, or -1 for its default.
    std::vector<int> from(ts.size(), -1);
    if (default_values) {
      if (!columns.empty()) binder_.ThrowBind(at, "DEFAULT VALUES takes no column list");
    } else if (columns.empty()) {
      if (source->schema.size() != ts.size()) {
        binder_.ThrowBind(at, fmt::format("table {} has {} columns but {} values were supplied",
                                                  name, ts.size(), source->schema.size()));
      }
      for (size_t i = 0; i < ts.size(); i++) from[i] = static_cast<int>(i);
    } else {
      if (columns.size() != source->schema.size()) {
        binder_.ThrowBind(at, fmt::format("Column name/value mismatch for insert on {}: "
                                                  "expected {} columns but {} values were supplied",
                                                  name, columns.size(), source->schema.size()));
      }
      for (size_t k = 0; k < columns.size(); k++) {
        const int i = ts.Find(columns[k]);
        if (i < 0) {
          binder_.ThrowBind(table, fmt::format("Table \"{}\" does not have a column with name \"{}\"",
                                                   name, columns[k]));
        }
        from[i] = static_cast<int>(k);
      }
    }
    std::vector<ExprPtr> exprs;
    auto renamed = sql_bind::WithFields(source, [](Field& f, size_t i) {
      f.name = fmt::format("#s{}", i);
      f.qualifier.clear();
    });
    for (size_t i = 0; i < ts.size(); i++) {
      ExprPtr e = from[i] >= 0 ? Col(fmt::format("#s{}", from[i]))
                               : binder_.At(at, [&] {
                                   return DefaultValueOrNull(session_, current, i, ts.field(i).type);
                                 });
      exprs.push_back(Alias(CastTo(e, ts.field(i).type), ts.field(i).name));
    }
    LogicalPlanPtr projected = binder_.At(at, [&] { return MakeProject(renamed, exprs); });
    if (ins != nullptr && !ins->returning.empty()) {
      if (ins->on_conflict != sql::InsertConflict::kError) {
        binder_.ThrowBind(*ins, "RETURNING with ON CONFLICT, OR IGNORE or OR REPLACE is not "
                                "supported yet");
      }
      // The rows are computed once (a now() or random() returns what was inserted), then
      // inserted and returned.
      const LogicalPlanPtr rows = MakeValues(projected->schema, session_.Execute(*projected));
      const LogicalPlanPtr returned = BindReturning(*ins, rows, table.parts.back());
      session_.Insert(name, rows);
      StatementResult r;
      r.has_rows = true;
      r.schema = returned->schema;
      r.batches = session_.Execute(*returned);
      return r;
    }
    if (ins != nullptr && ins->on_conflict != sql::InsertConflict::kError) {
      std::vector<bool> given(ts.size());
      for (size_t i = 0; i < ts.size(); i++) given[i] = from[i] >= 0;
      dml::Context ctx{session_, binder_};
      const dml::WritePlan write = dml::PlanUpsert(ctx, *ins, projected, given);
      return Message(std::to_string(session_.RunWrite(*write.plan, write.table)));
    }
    return Message(std::to_string(session_.Insert(name, projected)));
  }

  // RETURNING's select list over `rows` (the rows written, their columns qualified by
  // `qualifier`): `*`, `t.*` and expressions. Bound before anything is written.
  LogicalPlanPtr BindReturning(const sql::InsertStatement& ins, const LogicalPlanPtr& rows,
                               const std::string& qualifier) {
    const BoundRelation rel = sql_bind::MakeRelation(
        sql_bind::WithFields(rows, [&](Field& f, size_t) { f.qualifier = qualifier; }));
    const BindScope scope{&rel, nullptr};
    std::vector<ExprPtr> exprs;
    for (const auto& item : ins.returning) {
      if (item.expr->kind == sql::ExprKind::kStar) {
        const auto& star = item.expr->As<sql::StarExpr>();
        if (!star.exclude.empty() || !star.replace.empty() ||
            (!star.qualifier.empty() && ToLower(star.qualifier.back()) != ToLower(qualifier))) {
          binder_.ThrowBind(item, "RETURNING takes *, " + qualifier + ".* or expressions");
        }
        for (const auto& f : rel.schema.fields()) exprs.push_back(Alias(Col(f.name, f.qualifier), f.name));
        continue;
      }
      const bool is_ref = item.expr->kind == sql::ExprKind::kColumnRef;
      const std::string name = !item.alias.empty() ? item.alias
                               : is_ref ? item.expr->As<sql::ColumnRefExpr>().parts.back()
                                        : item.source_text;
      exprs.push_back(Alias(binder_.TranslateExpr(*item.expr, scope), name));
    }
    return binder_.At(ins, [&] { return MakeProject(rel.plan, exprs); });
  }

  StatementResult Explain(const sql::ExplainStatement& e) {
    const bool copy_to = e.statement->kind == sql::StatementKind::kCopy &&
                         !e.statement->As<sql::CopyStatement>().is_from;
    const bool dml = IsDml(*e.statement);
    if (e.statement->kind != sql::StatementKind::kSelect && !copy_to && !dml) {
      binder_.ThrowNotImplemented(*e.statement,
                                  "EXPLAIN supports queries, COPY ... TO, DELETE, UPDATE and MERGE only");
    }
    ExplainFormat format = ExplainFormat::kText;
    bool analyze = e.analyze;
    for (const auto& o : e.options) {
      if (o.name == "analyze") analyze = true;
      if (o.name != "format") continue;
      const std::string value = o.values.empty() ? "" : ToLower(WordOf(*o.values[0], binder_));
      if (value == "json") {
        format = ExplainFormat::kJson;
      } else if (value == "dot") {
        format = ExplainFormat::kDot;
      } else if (value != "text") {
        binder_.ThrowBind(o, fmt::format("EXPLAIN FORMAT must be text, json or dot, got '{}'", value));
      }
    }
    if (dml && analyze) {
      binder_.ThrowNotImplemented(*e.statement, "EXPLAIN ANALYZE of a DELETE, UPDATE or MERGE");
    }
    const std::shared_ptr<ThreadPool> pool = session_.pool();  // outlives a COPY's writers
    LogicalPlanPtr plan =
        copy_to ? BindCopyTo(e.statement->As<sql::CopyStatement>(), pool.get())
        : dml   ? PlanDml(session_, binder_, *e.statement)
                : binder_.BindQuery(*e.statement->As<sql::SelectStatement>().query);
    std::string text;
    if (analyze) {
      QueryProfile profile;
      profile.explain_format = format;
      session_.Execute(*plan, &profile);
      text = profile.explain;
    } else {
      text = session_.Explain(*plan, format);
    }
    StatementResult result =
        MakeRowsResult(Schema({VarcharField("explain_value")}), {{Value::Varchar(text)}});
    result.is_text = true;
    return result;
  }

  // COPY ... TO / FROM: the target comes from the copy-function registry (io/copy_function.h)
  // by FORMAT, else by the path; its option list checks the other options. `request`
  // (TO only) receives PARTITION_BY and MAX_FILES_PER_PARTITION.
  std::pair<const CopyFunction*, OptionValues> BindCopyOptions(const sql::CopyStatement& c,
                                                               FileWriteRequest* request) {
    const CopyFunction* target = nullptr;
    for (const auto& o : c.options) {
      if (o.name != "format") continue;
      const std::string value = o.values.empty() ? "" : WordOf(*o.values[0], binder_);
      target = binder_.At(o, [&] { return &CopyFunctions().Get(value); });
    }
    if (target == nullptr) {
      target = binder_.At(c, [&] {
        return c.is_from ? &CopyFunctions().ForSource(c.path) : &CopyFunctions().ForTarget(c.path);
      });
    }
    OptionValues options = c.is_from ? target->NewFromOptions() : target->NewToOptions();
    for (const auto& o : c.options) {
      const std::string value = o.values.empty() ? "true" : WordOf(*o.values[0], binder_);
      if (o.name == "format") continue;
      if (!c.is_from && o.name == "partition_by") {
        for (const auto& v : o.values) request->partition_by.push_back(WordOf(*v, binder_));
      } else if (!c.is_from && o.name == "max_files_per_partition") {
        int files = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), files);
        if (ec != std::errc() || end != value.data() + value.size() || files < 1) {
          binder_.ThrowBind(o, "MAX_FILES_PER_PARTITION must be a positive integer");
        }
        request->max_files_per_partition = files;
      } else {
        binder_.At(o, [&] { options.SetText(o.name, value); });
      }
    }
    return {target, std::move(options)};
  }

  // The plan of COPY ... TO: the query (or table) under a write node (one file at the path,
  // or Hive-partitioned directories with PARTITION_BY). Runs nothing. `pool` helps encode
  // and must outlive the plan's run.
  LogicalPlanPtr BindCopyTo(const sql::CopyStatement& c, ThreadPool* pool) {
    FileWriteRequest request;
    request.path = c.path;
    auto [target, options] = BindCopyOptions(c, &request);
    LogicalPlanPtr plan;
    if (c.query) {
      plan = binder_.BindQuery(*c.query);
    } else {
      const std::string name = NameOf(c.table);
      if (!session_.HasTable(name)) {
        binder_.ThrowBind(c.table, fmt::format("Table with name {} does not exist!{}", name,
                                               sql_bind::Suggest(name, session_.TableNames())));
      }
      DataFrame df = session_.Table(name);
      if (!c.columns.empty()) df = binder_.At(c.table, [&] { return df.Select(c.columns); });
      plan = df.plan();
    }
    LogicalPlanPtr write;
    Guard(c, [&] {
      write = PlanFileWrite(plan, request, [&](const Schema& schema, FileSetSpec spec) {
        return target->MakeTarget(schema, std::move(spec), options, pool);
      });
    });
    return write;
  }

  StatementResult Copy(const sql::CopyStatement& c) {
    if (c.is_from) {
      FileWriteRequest unused;
      auto [target, options] = BindCopyOptions(c, &unused);
      return InsertInto(c.table, c.columns, c, [&] {
        return binder_.At(c, [&] { return MakeScan(target->OpenSource(c.path, options)); });
      });
    }
    // Rows stream into the files of each task; they appear only once every task succeeded.
    const std::shared_ptr<ThreadPool> pool = session_.pool();  // outlives the writers
    const LogicalPlanPtr write = BindCopyTo(c, pool.get());
    return Message(std::to_string(RunWrite(session_, *write)));
  }

  Session& session_;
  SqlBinder binder_;
};

}  // namespace

namespace {

// Whether `s`, once it succeeded, has a durable effect that running it again would repeat: a
// write or DDL of a --db warehouse, a COPY TO a file. A --resume rerun skips it.
bool WritesDurably(const sql::Statement& s, Session& session) {
  if (s.kind == sql::StatementKind::kCopy && !s.As<sql::CopyStatement>().is_from) return true;
  return CatalogChangeOf(s, session) != CatalogChange::kNone && session.warehouse().persistent();
}

// Runs `s` under --resume: a durable statement that committed in an earlier run of the job is
// skipped, one that commits now is recorded (by rank 0, once every rank has passed it); any
// other statement runs again, its stages loaded where they were stored.
StatementResult RunResumable(StatementRunner& runner, const sql::Statement& s, Session& session,
                             ResumeDirectory& resume) {
  const int index = resume.BeginStatement();
  const bool durable = WritesDurably(s, session);
  const bool rank_zero = session.cluster() == nullptr || session.cluster()->rank() == 0;
  if (durable && resume.Committed(index, s.source_text)) {
    if (rank_zero) {
      fmt::print(stderr, "sluice: --resume: statement {} committed in an earlier run: skipped\n",
                 index);
    }
    return Message("skipped (--resume)");
  }
  StatementResult result = runner.Run(s);
  if (durable && rank_zero) resume.RecordCommitted(index, s.source_text);
  return result;
}

}  // namespace

std::vector<StatementResult> RunSqlScript(Session& session, const std::string& sql) {
  std::vector<sql::StatementPtr> statements =
      sql::ParseScript(sql, session.settings().max_expression_depth());
  StatementRunner runner(session, sql);
  std::vector<StatementResult> results;
  for (const auto& s : statements) {
    if (session.resume() != nullptr) {
      results.push_back(RunResumable(runner, *s, session, *session.resume()));
    } else {
      results.push_back(runner.Run(*s));
    }
  }
  return results;
}

DataFrame SqlQuery(Session& session, const std::string& sql) {
  sql::StatementPtr statement =
      sql::ParseStatement(sql, session.settings().max_expression_depth());
  SqlBinder binder(session, sql);
  if (statement->kind != sql::StatementKind::kSelect) {
    binder.ThrowNotImplemented(*statement, "only queries can become a DataFrame");
  }
  return DataFrame(&session, binder.BindQuery(*statement->As<sql::SelectStatement>().query));
}

}  // namespace sluice
