#include "iceberg/partition_filter.h"

#include <cstdint>
#include <optional>

#include "common/error.h"
#include "iceberg/single_value.h"

namespace sluice::iceberg {

namespace {

// An integer literal as a value of the integer column type `type`, when it fits.
std::optional<Value> IntegerOfType(const LogicalType& type, int64_t x) {
  auto fits = [&](int64_t lo, int64_t hi) { return x >= lo && x <= hi; };
  switch (type.id()) {
    case TypeId::kTinyInt:
      if (fits(INT8_MIN, INT8_MAX)) return Value::TinyInt(static_cast<int8_t>(x));
      return std::nullopt;
    case TypeId::kSmallInt:
      if (fits(INT16_MIN, INT16_MAX)) return Value::SmallInt(static_cast<int16_t>(x));
      return std::nullopt;
    case TypeId::kInteger:
      if (fits(INT32_MIN, INT32_MAX)) return Value::Integer(static_cast<int32_t>(x));
      return std::nullopt;
    case TypeId::kBigInt: return Value::BigInt(x);
    default: return std::nullopt;
  }
}

// `literal` as a value of the column's type: itself when the types agree, an integer
// converted to the column's integer type when it fits; nullopt otherwise.
std::optional<Value> LiteralFor(const LogicalType& column, const Expr& literal) {
  if (literal.kind != ExprKind::kLiteral || literal.value.is_null()) return std::nullopt;
  if (literal.value.type() == column) return literal.value;
  if (column.IsInteger() && literal.value.type().IsInteger()) {
    return IntegerOfType(column, literal.value.GetInt());
  }
  return std::nullopt;
}

// The column a (possibly integer-widened) column reference names, or nullptr.
const Expr* ColumnOf(const Expr& e) {
  if (e.kind == ExprKind::kColumnRef && e.bound) return &e;
  if (e.kind == ExprKind::kCast && !e.try_cast && e.args.size() == 1 &&
      e.args[0]->kind == ExprKind::kColumnRef && e.args[0]->bound &&
      e.args[0]->type.IsInteger() && e.type.IsInteger()) {
    return e.args[0].get();
  }
  return nullptr;
}

}  // namespace

PartitionLayout PartitionLayout::Of(const PartitionSpec& spec, const IcebergSchema& fields) {
  PartitionLayout layout;
  for (const auto& f : spec.fields) {
    int column = -1;
    for (size_t i = 0; i < fields.fields.size(); i++) {
      if (fields.fields[i].id == f.source_id) column = static_cast<int>(i);
    }
    layout.columns.push_back(column);
    layout.transforms.push_back(f.transform);
  }
  return layout;
}

bool ColumnPredicateOf(const Expr& e, const Schema& schema, int* column,
                       ColumnPredicate* predicate) {
  using Op = ColumnPredicate::Op;
  auto column_of = [&](const Expr& x) -> const Expr* {
    const Expr* c = ColumnOf(x);
    if (c == nullptr || c->column_index < 0 || c->column_index >= static_cast<int>(schema.size())) {
      return nullptr;
    }
    return c;
  };
  *predicate = ColumnPredicate{};
  if ((e.kind == ExprKind::kIsNull || e.kind == ExprKind::kIsNotNull) && e.args.size() == 1) {
    // Not through a cast: IS NULL of a column is exact.
    if (e.args[0]->kind != ExprKind::kColumnRef) return false;
    const Expr* c = column_of(*e.args[0]);
    if (c == nullptr) return false;
    *column = c->column_index;
    predicate->op = e.kind == ExprKind::kIsNull ? Op::kIsNull : Op::kNotNull;
    return true;
  }
  if (e.kind == ExprKind::kIn && !e.negated && e.args.size() >= 2) {
    const Expr* c = column_of(*e.args[0]);
    if (c == nullptr) return false;
    const LogicalType& type = schema.field(static_cast<size_t>(c->column_index)).type;
    predicate->op = Op::kIn;
    for (size_t i = 1; i < e.args.size(); i++) {
      const Expr& l = *e.args[i];
      if (l.kind == ExprKind::kLiteral && l.value.is_null()) continue;  // never equal
      std::optional<Value> v = LiteralFor(type, l);
      if (!v) return false;
      predicate->literals.push_back(std::move(*v));
    }
    *column = c->column_index;
    return true;
  }
  if (e.kind != ExprKind::kCall || e.args.size() != 2) return false;
  const Expr* c = column_of(*e.args[0]);
  const Expr* literal = e.args[1].get();
  bool flipped = false;
  if (c == nullptr) {
    c = column_of(*e.args[1]);
    literal = e.args[0].get();
    flipped = true;
  }
  if (c == nullptr) return false;
  const std::string& n = e.name;
  if (n == "=" || n == "==") {
    predicate->op = Op::kEq;
  } else if (n == "<") {
    predicate->op = flipped ? Op::kGt : Op::kLt;
  } else if (n == "<=") {
    predicate->op = flipped ? Op::kGtEq : Op::kLtEq;
  } else if (n == ">") {
    predicate->op = flipped ? Op::kLt : Op::kGt;
  } else if (n == ">=") {
    predicate->op = flipped ? Op::kLtEq : Op::kGtEq;
  } else {
    return false;
  }
  std::optional<Value> v = LiteralFor(schema.field(static_cast<size_t>(c->column_index)).type, *literal);
  if (!v) return false;
  predicate->literals = {std::move(*v)};
  *column = c->column_index;
  return true;
}

namespace {

// Calls may_match(field, projected) for each conjunct on a partition field's source column,
// projected through that field's transform; false as soon as one call is false.
template <typename MayMatchField>
bool EveryProjectionMayMatch(const PartitionLayout& layout, const std::vector<ExprPtr>& conjuncts,
                             const Schema& schema, MayMatchField may_match) {
  for (const auto& conjunct : conjuncts) {
    int column = -1;
    ColumnPredicate predicate;
    if (!ColumnPredicateOf(*conjunct, schema, &column, &predicate)) continue;
    for (size_t f = 0; f < layout.columns.size(); f++) {
      if (layout.columns[f] != column) continue;
      const auto projected = ProjectInclusive(layout.transforms[f], predicate);
      if (projected && !may_match(f, *projected)) return false;
    }
  }
  return true;
}

}  // namespace

bool PartitionMayMatch(const PartitionLayout& layout, const std::vector<Value>& values,
                       const std::vector<ExprPtr>& conjuncts, const Schema& schema) {
  if (layout.empty() || values.size() != layout.columns.size()) return true;
  return EveryProjectionMayMatch(layout, conjuncts, schema,
                                 [&](size_t f, const ColumnPredicate& projected) {
                                   return MayMatch(projected, values[f]);
                                 });
}

bool ManifestMayMatch(const ManifestFile& manifest, const PartitionSpec& spec,
                      const IcebergSchema& fields, const std::vector<ExprPtr>& conjuncts,
                      const Schema& schema) {
  if (manifest.partitions.size() != spec.fields.size() || spec.fields.empty()) return true;
  const PartitionLayout layout = PartitionLayout::Of(spec, fields);
  const TypePtr partition_type = spec.PartitionType(fields);
  return EveryProjectionMayMatch(layout, conjuncts, schema, [&](size_t f,
                                                                const ColumnPredicate& projected) {
    const FieldSummary& summary = manifest.partitions[f];
    const Type& type = *partition_type->fields[f].type;
    std::optional<Value> lower, upper;
    try {
      if (summary.lower_bound) lower = DeserializeValue(type, *summary.lower_bound, manifest.manifest_path);
      if (summary.upper_bound) upper = DeserializeValue(type, *summary.upper_bound, manifest.manifest_path);
    } catch (const UserError&) {
      return true;  // a bound this reader cannot decode prunes nothing
    }
    // A summary without bounds but with values that are neither NULL nor NaN (a writer that
    // leaves bounds out) says nothing.
    if ((!lower || !upper) && !summary.contains_null) return true;
    return MayMatchRange(projected, lower, upper, summary.contains_null,
                         summary.contains_nan.value_or(false));
  });
}

}  // namespace sluice::iceberg
