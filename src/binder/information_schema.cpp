#include "binder/information_schema.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <set>

#include "common/error.h"
#include "common/strings.h"
#include "io/memory_table.h"
#include "vector/value_rows.h"

namespace sluice {

namespace {

using Rows = std::vector<std::vector<Value>>;

Field Text(const char* name) { return Field{name, TypeId::kVarchar, true, ""}; }
Field Int(const char* name) { return Field{name, TypeId::kInteger, true, ""}; }
Value Str(const std::string& s) { return Value::Varchar(s); }
Value NullText() { return Value::Null(TypeId::kVarchar); }
Value NullInt() { return Value::Null(TypeId::kInteger); }

LogicalPlanPtr Relation(Schema schema, const Rows& rows) {
  std::vector<Batch> batches = BatchesFromRows(schema, rows);
  return MakeScan(std::make_shared<MemoryTable>(std::move(schema), std::move(batches)));
}

// DuckDB's numeric_precision / numeric_scale of a column type.
std::pair<Value, Value> NumericPrecision(const LogicalType& t) {
  switch (t.id()) {
    case TypeId::kTinyInt: return {Value::Integer(8), Value::Integer(0)};
    case TypeId::kSmallInt: return {Value::Integer(16), Value::Integer(0)};
    case TypeId::kInteger: return {Value::Integer(32), Value::Integer(0)};
    case TypeId::kBigInt: return {Value::Integer(64), Value::Integer(0)};
    case TypeId::kDouble: return {Value::Integer(53), Value::Integer(0)};
    case TypeId::kDecimal: return {Value::Integer(t.precision()), Value::Integer(t.scale())};
    default: return {NullInt(), NullInt()};
  }
}

LogicalPlanPtr Schemata(CatalogReader& catalog) {
  Schema schema({Text("catalog_name"), Text("schema_name"), Text("schema_owner"),
                 Text("default_character_set_catalog"), Text("default_character_set_schema"),
                 Text("default_character_set_name"), Text("sql_path")});
  Rows rows;
  for (const auto& s : catalog.SchemaNames()) {
    rows.push_back({Str(catalog.DatabaseName()), Str(s), Str("sluice"), NullText(), NullText(),
                    NullText(), NullText()});
  }
  return Relation(std::move(schema), rows);
}

LogicalPlanPtr Tables(CatalogReader& catalog) {
  Schema schema({Text("table_catalog"), Text("table_schema"), Text("table_name"),
                 Text("table_type"), Text("self_referencing_column_name"),
                 Text("reference_generation"), Text("user_defined_type_catalog"),
                 Text("user_defined_type_schema"), Text("user_defined_type_name"),
                 Text("is_insertable_into"), Text("is_typed"), Text("commit_action"),
                 Text("TABLE_COMMENT")});
  Rows rows;
  for (const auto& r : catalog.Relations()) {
    const char* type = r.view ? "VIEW" : r.temporary ? "LOCAL TEMPORARY" : "BASE TABLE";
    rows.push_back({Str(catalog.DatabaseName()), Str(r.schema), Str(r.name), Str(type), NullText(),
                    NullText(), NullText(), NullText(), NullText(), Str(r.view ? "NO" : "YES"),
                    Str("NO"), NullText(), NullText()});
  }
  return Relation(std::move(schema), rows);
}

LogicalPlanPtr Columns(CatalogReader& catalog) {
  Schema schema({Text("table_catalog"), Text("table_schema"), Text("table_name"),
                 Text("column_name"), Int("ordinal_position"), Text("column_default"),
                 Text("is_nullable"), Text("data_type"), Int("character_maximum_length"),
                 Int("numeric_precision"), Int("numeric_precision_radix"), Int("numeric_scale")});
  Rows rows;
  for (const auto& r : catalog.Relations()) {
    const std::string name = r.schema == "main" ? r.name : r.schema + "." + r.name;
    LogicalPlanPtr plan;
    try {
      plan = catalog.FindRelation(name);
    } catch (const UserError&) {
      continue;  // a view that no longer binds lists no columns
    }
    if (!plan) continue;
    for (size_t i = 0; i < plan->schema.size(); i++) {
      const Field& f = plan->schema.field(i);
      auto [precision, scale] = NumericPrecision(f.type);
      const bool numeric = !precision.is_null();
      rows.push_back({Str(catalog.DatabaseName()), Str(r.schema), Str(r.name), Str(f.name),
                      Value::Integer(static_cast<int32_t>(i + 1)), NullText(),
                      Str(f.nullable ? "YES" : "NO"), Str(f.type.ToString()), NullInt(),
                      precision, numeric ? Value::Integer(f.type.id() == TypeId::kDecimal ? 10 : 2)
                                         : NullInt(),
                      scale});
    }
  }
  return Relation(std::move(schema), rows);
}

LogicalPlanPtr Views(CatalogReader& catalog) {
  Schema schema({Text("table_catalog"), Text("table_schema"), Text("table_name"),
                 Text("view_definition"), Text("check_option"), Text("is_updatable"),
                 Text("is_insertable_into"), Text("is_trigger_updatable"),
                 Text("is_trigger_deletable"), Text("is_trigger_insertable_into")});
  Rows rows;
  for (const auto& r : catalog.Relations()) {
    if (!r.view) continue;
    rows.push_back({Str(catalog.DatabaseName()), Str(r.schema), Str(r.name),
                    r.sql.empty() ? NullText() : Str(r.sql), Str("NONE"), Str("NO"), Str("NO"),
                    Str("NO"), Str("NO"), Str("NO")});
  }
  return Relation(std::move(schema), rows);
}

}  // namespace

LogicalPlanPtr CatalogReader::FindRelationAt(const std::string& name, const SnapshotChoice&) {
  if (FindRelation(name) == nullptr) return nullptr;
  throw InvalidInputError(
      "time travel (AS OF) reads Iceberg tables only: the tables of a --db warehouse");
}

std::vector<Batch> CatalogReader::RunQuery(const LogicalPlan&) {
  throw NotImplementedError("PIVOT without an IN list needs a session to read its values");
}

std::vector<RelationInfo> CatalogReader::Relations() const {
  std::vector<RelationInfo> out;
  for (const auto& name : TableNames()) {
    RelationInfo r;
    const size_t dot = name.find('.');
    r.schema = dot == std::string::npos ? "main" : name.substr(0, dot);
    r.name = dot == std::string::npos ? name : name.substr(dot + 1);
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<std::string> CatalogReader::SchemaNames() const {
  std::set<std::string> names = {"main"};
  for (const auto& r : Relations()) names.insert(r.schema);
  return {names.begin(), names.end()};
}

LogicalPlanPtr InformationSchemaRelation(const std::string& table, CatalogReader& catalog) {
  const std::string name = ToLower(table);
  if (name == "schemata") return Schemata(catalog);
  if (name == "tables") return Tables(catalog);
  if (name == "columns") return Columns(catalog);
  if (name == "views") return Views(catalog);
  return nullptr;
}

}  // namespace sluice
