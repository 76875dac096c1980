// STRUCT functions: struct_pack ({'a': 1, ...} and struct_pack(a := 1)), BigQuery's
// positional STRUCT(x, y) and struct_extract (s.a, s['a']).
#include <fmt/format.h>

#include "common/error.h"
#include "expr/kernel_util.h"
#include "expr/scalar_functions.h"

namespace sluice {

namespace {

// Builds a struct of `type` whose field f is argument f * stride + first.
ScalarKernel StructKernel(LogicalType type, size_t stride, size_t first) {
  return [type, stride, first](const std::vector<ColumnPtr>& cols, size_t n) -> ColumnPtr {
    const bool all_const = kernel::AllConstant(cols);
    const size_t m = all_const ? 1 : n;
    auto out = Column::Make(type, std::max<size_t>(m, 1));
    out->set_size(m);
    for (size_t f = 0; f * stride + first < cols.size(); f++) {
      const Column& value = *cols[f * stride + first];
      auto field = Column::Make(value.type(), std::max<size_t>(m, 1));
      field->Append(value, 0, m);
      out->set_child(f, std::move(field));
    }
    if (all_const) return kernel::ToConstant(*out, n);
    return out;
  };
}

// struct_pack('a', x, 'b', y): the parser passes each field name as a string constant
// before its value.
std::optional<BoundScalar> ResolveStructPack(const std::vector<ExprPtr>& args) {
  if (args.empty() || args.size() % 2 != 0) return std::nullopt;
  std::vector<StructField> fields;
  std::vector<LogicalType> arg_types;
  for (size_t i = 0; i < args.size(); i += 2) {
    const Value* name = kernel::LiteralArg(args, i);
    if (name == nullptr || name->type().id() != TypeId::kVarchar) return std::nullopt;
    for (const auto& f : fields) {
      if (f.name == name->GetString()) {
        throw BindError(fmt::format("Duplicate struct entry name \"{}\"", f.name));
      }
    }
    // An untyped NULL field is INTEGER, as in DuckDB.
    LogicalType t = args[i + 1]->type.id() == TypeId::kNull ? LogicalType(TypeId::kInteger)
                                                              : args[i + 1]->type;
    fields.push_back({name->GetString(), t});
    arg_types.push_back(TypeId::kVarchar);
    arg_types.push_back(t);
  }
  return BoundScalar{LogicalType::Struct(fields), std::move(arg_types),
                     StructKernel(LogicalType::Struct(fields), 2, 1)};
}

// STRUCT(x, y, ...) (BigQuery): a struct of the values with anonymous fields, named
// _field_1, _field_2, ... as BigQuery names them when it exports such a struct.
std::optional<BoundScalar> ResolveStruct(const std::vector<ExprPtr>& args) {
  if (args.empty()) return std::nullopt;
  std::vector<StructField> fields;
  std::vector<LogicalType> arg_types;
  for (size_t i = 0; i < args.size(); i++) {
    LogicalType t = args[i]->type.id() == TypeId::kNull ? LogicalType(TypeId::kInteger)
                                                          : args[i]->type;
    fields.push_back({fmt::format("_field_{}", i + 1), t});
    arg_types.push_back(t);
  }
  return BoundScalar{LogicalType::Struct(fields), std::move(arg_types),
                     StructKernel(LogicalType::Struct(fields), 1, 0)};
}

// struct_extract(s, 'name'): the field, NULL where the struct is NULL.
std::optional<BoundScalar> ResolveStructExtract(const std::vector<ExprPtr>& args) {
  if (args.size() != 2 || args[0]->type.id() != TypeId::kStruct) return std::nullopt;
  const Value* name = kernel::LiteralArg(args, 1);
  if (name == nullptr || name->type().id() != TypeId::kVarchar) {
    throw BindError("struct_extract: the field name must be a constant string");
  }
  const int index = StructFieldIndex(args[0]->type, name->GetString());
  if (index < 0) {
    throw BindError(fmt::format("Could not find key \"{}\" in struct {}", name->GetString(),
                                args[0]->type.ToString()));
  }
  const LogicalType field_type = args[0]->type.StructFields()[static_cast<size_t>(index)].type;
  ScalarKernel k = [index, field_type](const std::vector<ColumnPtr>& cols,
                                       size_t n) -> ColumnPtr {
    const Column& s = *cols[0];
    const Column& field = s.child(static_cast<size_t>(index));
    const size_t m = s.is_constant() ? 1 : n;
    auto out = Column::Make(field_type, std::max<size_t>(m, 1));
    out->Append(field, 0, m);
    for (size_t i = 0; i < m; i++) {
      if (!s.IsValid(i)) out->SetNull(i);
    }
    if (s.is_constant()) return kernel::ToConstant(*out, n);
    return out;
  };
  return BoundScalar{field_type, {args[0]->type, TypeId::kVarchar}, std::move(k)};
}

}  // namespace

void RegisterStructFunctions(FunctionRegistry& r) {
  r.AddScalar("struct_pack", ResolveStructPack, "struct_pack(name := ANY, ...)");
  r.AddScalar("struct", ResolveStruct, "struct(ANY, ...)");
  for (const char* name : {"struct_extract", "array_extract"}) {
    r.AddScalar(name, ResolveStructExtract, std::string(name) + "(STRUCT, VARCHAR)");
  }
}

}  // namespace sluice
