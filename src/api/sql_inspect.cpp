// Statements that describe data rather than change it: SHOW, DESCRIBE, SUMMARIZE, PRAGMA.
#include "api/sql_inspect.h"

#include <algorithm>

#include <fmt/format.h>

#include "api/dataframe.h"
#include "common/strings.h"
#include "common/version.h"
#include "sql/parser.h"
#include "vector/value_rows.h"

namespace sluice {

namespace {

Field VarcharField(const std::string& name) { return Field{name, TypeId::kVarchar, true, ""}; }

std::string NameOf(const sql::QualifiedName& name) { return Join(name.parts, "."); }

std::string QuoteName(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

// The relation a DESCRIBE/SUMMARIZE names, as a query text: the table, or the query.
std::string SourceText(Session& session, SqlBinder& binder, const sql::DescribeStatement& d) {
  if (d.query) return d.query->ToString();
  const std::string name = NameOf(d.table);
  if (!session.HasTable(name)) {
    binder.ThrowBind(d.table, fmt::format("Table with name {} does not exist!{}", name,
                                          sql_bind::Suggest(name, session.TableNames())));
  }
  std::vector<std::string> parts;
  for (const auto& p : d.table.parts) parts.push_back(QuoteName(p));
  return "SELECT * FROM " + Join(parts, ".");
}

Schema DescribedSchema(Session& session, SqlBinder& binder, const sql::DescribeStatement& d) {
  if (d.query) return binder.BindQuery(*d.query)->schema;
  const std::string name = NameOf(d.table);
  if (!session.HasTable(name)) {
    binder.ThrowBind(d.table, fmt::format("Table with name {} does not exist!{}", name,
                                          sql_bind::Suggest(name, session.TableNames())));
  }
  return session.Table(name).schema();
}

// DuckDB's SUMMARIZE: one row per column with min, max, distinct count, mean, standard
// deviation, quartiles, row count and the percentage of NULLs, from one pass over the data
// (one aggregate query whose single row is turned into a row per column). approx_unique is
// exact here.
StatementResult Summarize(Session& session, SqlBinder& binder, const sql::DescribeStatement& d) {
  const Schema source = DescribedSchema(session, binder, d);
  constexpr size_t kPerColumn = 9;
  std::vector<std::string> items = {"count(*)"};
  for (const auto& f : source.fields()) {
    const std::string c = QuoteName(f.name);
    const bool numeric = f.type.IsNumeric();
    const bool ordered = numeric || f.type.id() == TypeId::kDate ||
                         f.type.id() == TypeId::kTimestamp;
    const auto quartile = [&](const char* q) {
      return ordered ? fmt::format("CAST(quantile_disc({}, {}) AS VARCHAR)", c, q)
                     : std::string("CAST(NULL AS VARCHAR)");
    };
    items.push_back(fmt::format("CAST(min({}) AS VARCHAR)", c));
    items.push_back(fmt::format("CAST(max({}) AS VARCHAR)", c));
    items.push_back(fmt::format("approx_count_distinct({})", c));
    items.push_back(numeric ? fmt::format("CAST(avg({}) AS VARCHAR)", c) : "CAST(NULL AS VARCHAR)");
    items.push_back(numeric ? fmt::format("CAST(stddev_samp({}) AS VARCHAR)", c)
                            : "CAST(NULL AS VARCHAR)");
    items.push_back(quartile("0.25"));
    items.push_back(quartile("0.5"));
    items.push_back(quartile("0.75"));
    items.push_back(fmt::format("count({})", c));
  }
  const std::string text = fmt::format("SELECT {} FROM ({}) AS \"#summarized\"",
                                       Join(items, ", "), SourceText(session, binder, d));
  const auto query = sql::ParseQuery(text);
  const LogicalPlanPtr plan = binder.At(d, [&] { return binder.BindQuery(*query); });
  std::vector<Value> totals;
  for (const auto& batch : session.Execute(*plan)) {
    for (size_t c = 0; batch.num_rows() > 0 && c < batch.num_columns(); c++) {
      totals.push_back(batch.column(c)->GetValue(0));
    }
  }
  Schema schema({VarcharField("column_name"), VarcharField("column_type"), VarcharField("min"),
                 VarcharField("max"), Field{"approx_unique", TypeId::kBigInt, true, ""},
                 VarcharField("avg"), VarcharField("std"), VarcharField("q25"), VarcharField("q50"),
                 VarcharField("q75"), Field{"count", TypeId::kBigInt, true, ""},
                 Field{"null_percentage", LogicalType::Decimal(9, 2), true, ""}});
  std::vector<std::vector<Value>> rows;
  const int64_t count = totals.empty() ? 0 : totals[0].GetInt();
  for (size_t i = 0; i < source.size(); i++) {
    const Field& f = source.field(i);
    std::vector<Value> row = {Value::Varchar(f.name), Value::Varchar(f.type.ToString())};
    for (size_t k = 0; k < kPerColumn - 1; k++) row.push_back(totals[1 + i * kPerColumn + k]);
    const int64_t non_null = totals[1 + i * kPerColumn + kPerColumn - 1].GetInt();
    // Percent with two decimals, rounded half up: (nulls * 10000 / count) hundredths.
    const int64_t hundredths =
        count == 0 ? 0 : ((count - non_null) * 20000 / count + 1) / 2;
    row.push_back(Value::BigInt(count));
    row.push_back(Value::Decimal(hundredths, 9, 2));
    rows.push_back(std::move(row));
  }
  return MakeRowsResult(std::move(schema), rows);
}

// PRAGMA table_info('t'): DuckDB's columns (cid, name, type, notnull, dflt_value, pk).
StatementResult TableInfo(Session& session, SqlBinder& binder, const sql::PragmaStatement& p) {
  if (p.args.size() != 1) binder.ThrowBind(p, "PRAGMA table_info takes one argument, the table");
  const std::string name = binder.EvaluateConstantExpr(*p.args[0]).ToString();
  const LogicalPlanPtr plan = session.FindRelation(name);
  if (!plan) {
    binder.ThrowBind(p, fmt::format("Table with name {} does not exist!{}", name,
                                    sql_bind::Suggest(name, session.TableNames())));
  }
  Schema schema({Field{"cid", TypeId::kInteger, true, ""}, VarcharField("name"),
                 VarcharField("type"), Field{"notnull", TypeId::kBoolean, true, ""},
                 VarcharField("dflt_value"), Field{"pk", TypeId::kBoolean, true, ""}});
  std::vector<std::vector<Value>> rows;
  for (size_t i = 0; i < plan->schema.size(); i++) {
    const Field& f = plan->schema.field(i);
    rows.push_back({Value::Integer(static_cast<int32_t>(i)), Value::Varchar(f.name),
                    Value::Varchar(f.type.ToString()), Value::Boolean(!f.nullable),
                    Value::Null(TypeId::kVarchar), Value::Boolean(false)});
  }
  return MakeRowsResult(std::move(schema), rows);
}

StatementResult TableNamesResult(Session& session) {
  std::vector<std::string> names = session.TableNames();
  std::sort(names.begin(), names.end());
  std::vector<std::vector<Value>> rows;
  for (const auto& n : names) rows.push_back({Value::Varchar(n)});
  return MakeRowsResult(Schema({VarcharField("name")}), rows);
}

}  // namespace

StatementResult RunShow(Session& session, SqlBinder& binder, const sql::ShowStatement& s) {
  if (s.what == "tables" || s.what == "all tables") return TableNamesResult(session);
  std::string value;
  try {
    value = session.settings().Get(s.what);
  } catch (const InvalidInputError& e) {
    binder.ThrowBind(s, e.message());
  }
  return MakeRowsResult(Schema({VarcharField(s.what)}), {{Value::Varchar(value)}});
}

StatementResult RunDescribe(Session& session, SqlBinder& binder, const sql::DescribeStatement& d) {
  if (d.summarize) return Summarize(session, binder, d);
  const Schema described = DescribedSchema(session, binder, d);
  Schema schema({VarcharField("column_name"), VarcharField("column_type"), VarcharField("null"),
                 VarcharField("key"), VarcharField("default"), VarcharField("extra")});
  std::vector<std::vector<Value>> rows;
  const Value null = Value::Null(TypeId::kVarchar);
  // A stored table's column defaults, as DuckDB shows them.
  TableConstraints constraints;
  if (!d.query) {
    if (const auto store = session.FindStore(Join(d.table.parts, "."))) {
      constraints = store->Current().constraints;
    }
  }
  for (size_t i = 0; i < described.size(); i++) {
    const Field& f = described.field(i);
    const std::string& default_sql = constraints.DefaultOf(i);
    Value key = null;
    for (const auto& k : constraints.keys) {
      for (const auto& column : k.columns) {
        if (EqualsIgnoreCase(column, f.name) && key.is_null()) {
          key = Value::Varchar(k.primary ? "PRI" : "UNI");
        }
      }
    }
    rows.push_back({Value::Varchar(f.name), Value::Varchar(f.type.ToString()),
                    Value::Varchar(f.nullable ? "YES" : "NO"), key,
                    default_sql.empty() ? null : Value::Varchar(default_sql), null});
  }
  return MakeRowsResult(std::move(schema), rows);
}

StatementResult RunPragma(Session& session, SqlBinder& binder, const sql::PragmaStatement& p) {
  if (p.name == "table_info") return TableInfo(session, binder, p);
  if (p.name == "show_tables" || p.name == "show_tables_expanded") {
    return TableNamesResult(session);
  }
  if (p.name == "version") {
    return MakeRowsResult(Schema({VarcharField("library_version"), VarcharField("source_id")}),
                          {{Value::Varchar("v" + std::string(kSluiceVersion)),
                            Value::Varchar("sluice")}});
  }
  binder.ThrowNotImplemented(
      p, fmt::format("PRAGMA {} is not supported (supported: table_info, show_tables, version, "
                     "and PRAGMA <setting> = <value>)",
                     p.name));
}

}  // namespace sluice
