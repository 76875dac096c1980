#include "io/function_listing.h"

#include <algorithm>
#include <tuple>

#include "expr/function_registry.h"
#include "io/memory_table.h"
#include "vector/value_rows.h"

namespace sluice {

namespace {

struct Row {
  std::string name;
  std::string type;  // scalar, aggregate, table
  std::string description;
};

std::shared_ptr<const DataSource> FunctionRows() {
  RegisterBuiltinFunctions();
  std::vector<Row> rows;
  for (const auto& f : FunctionRegistry::Global().List()) {
    rows.push_back({f.name, f.aggregate ? "aggregate" : "scalar", f.signatures});
  }
  for (const auto& name : TableFunctions().Names()) {
    const std::optional<TableFunction> f = TableFunctions().Find(name);
    rows.push_back({name, "table", f ? f->description : ""});
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(a.name, a.type) < std::tie(b.name, b.type);
  });
  Schema schema;
  for (const char* c : {"database_name", "schema_name", "function_name", "function_type",
                        "description"}) {
    schema.Add(Field{c, TypeId::kVarchar, true, ""});
  }
  schema.Add(Field{"internal", TypeId::kBoolean, true, ""});
  std::vector<std::vector<Value>> values;
  for (const auto& r : rows) {
    values.push_back({Value::Varchar("system"), Value::Varchar("main"), Value::Varchar(r.name),
                      Value::Varchar(r.type),
                      r.description.empty() ? Value::Null(TypeId::kVarchar)
                                            : Value::Varchar(r.description),
                      Value::Boolean(true)});
  }
  std::vector<Batch> batches = BatchesFromRows(schema, values);
  return std::make_shared<MemoryTable>(std::move(schema), std::move(batches));
}

}  // namespace

TableFunction MakeFunctionListing(const std::string& name) {
  TableFunction f;
  f.name = name;
  f.description = "every function: name, type (scalar, aggregate, table), description";
  f.bind = [](const TableFunctionCall&) { return TableFunctionOutput{FunctionRows(), ""}; };
  return f;
}

}  // namespace sluice
