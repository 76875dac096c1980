#include "catalog/partitioning.h"

#include <fmt/format.h>

#include <limits>
#include <map>

#include "common/error.h"
#include "common/strings.h"

namespace sluice {

namespace {

namespace ib = iceberg;
using Kind = ib::Transform::Kind;

// Which column types each transform takes (the Iceberg spec's table, for the Sluice types
// the transforms are implemented for).
bool Applies(const ib::Transform& t, const LogicalType& type) {
  const TypeId id = type.id();
  switch (t.kind()) {
    case Kind::kIdentity:
      return id != TypeId::kList && id != TypeId::kStruct && id != TypeId::kMap &&
             id != TypeId::kInterval && id != TypeId::kNull;
    case Kind::kBucket:
      return type.IsInteger() || id == TypeId::kDate || id == TypeId::kTimestamp ||
             id == TypeId::kTime || id == TypeId::kVarchar || id == TypeId::kDecimal;
    case Kind::kTruncate:
      return id == TypeId::kInteger || id == TypeId::kBigInt || id == TypeId::kDecimal ||
             id == TypeId::kVarchar;
    case Kind::kYear:
    case Kind::kMonth:
    case Kind::kDay:
      return id == TypeId::kDate || id == TypeId::kTimestamp || id == TypeId::kTimestampTz;
    case Kind::kHour: return id == TypeId::kTimestamp || id == TypeId::kTimestampTz;
    case Kind::kVoid: return true;
  }
  return false;
}

std::string TakesWhat(const ib::Transform& t) {
  switch (t.kind()) {
    case Kind::kBucket: return "integer, DATE, TIME, TIMESTAMP, VARCHAR and DECIMAL columns";
    case Kind::kTruncate: return "INTEGER, BIGINT, DECIMAL and VARCHAR columns";
    case Kind::kYear:
    case Kind::kMonth:
    case Kind::kDay: return "DATE and TIMESTAMP columns";
    case Kind::kHour: return "TIMESTAMP columns";
    default: return "columns of a primitive type";
  }
}

// `column(...)`'s SQL spelling: day(ts), bucket(16, id), truncate(4, name), ts.
std::string SqlOf(const PartitionColumn& f) {
  try {
    const ib::Transform t = ib::Transform::Parse(f.transform);
    switch (t.kind()) {
      case Kind::kIdentity: return f.column;
      case Kind::kBucket:
      case Kind::kTruncate:
        return fmt::format("{}({}, {})", t.kind() == Kind::kBucket ? "bucket" : "truncate",
                           t.param(), f.column);
      default: return fmt::format("{}({})", t.ToString(), f.column);
    }
  } catch (const UserError&) {
    return fmt::format("{}({})", f.transform, f.column);
  }
}

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

std::string PartitionKey(const std::vector<Value>& tuple) {
  std::string key;
  for (const auto& v : tuple) {
    if (v.is_null()) {
      key += "N;";
    } else {
      const std::string s = v.ToString();
      key += fmt::format("{}:{};", s.size(), s);
    }
  }
  return key;
}

std::string PartitionFieldError(const Schema& schema, const PartitionColumn& field) {
  const int i = schema.Find(field.column);
  if (i < 0) {
    return fmt::format("partition column \"{}\" is not a column of the table; columns are: {}",
                       field.column, Join(schema.Names(), ", "));
  }
  ib::Transform t = ib::Transform::Identity();
  try {
    t = ib::Transform::Parse(field.transform);
  } catch (const UserError&) {
    return fmt::format("bad partition transform {}: a bucket count and a truncate width must be "
                       "in [1, {}]",
                       SqlOf(field), std::numeric_limits<int32_t>::max());
  }
  const LogicalType& type = schema.field(static_cast<size_t>(i)).type;
  if (t.kind() == Kind::kVoid || !Applies(t, type)) {
    return fmt::format("cannot partition by {}: {} applies to {}, not {}", SqlOf(field),
                       t.kind() == Kind::kIdentity ? "identity" : ib::Transform(t).ToString(),
                       TakesWhat(t), type.ToString());
  }
  return "";
}

std::vector<PartitionColumn> ResolvePartitioning(const Schema& schema,
                                                 const std::vector<PartitionColumn>& fields) {
  std::vector<PartitionColumn> out;
  for (const auto& f : fields) {
    const int i = schema.Find(f.column);
    SLUICE_CHECK(i >= 0, "partition column {} not in {}", f.column, schema.ToString());
    out.push_back({schema.field(static_cast<size_t>(i)).name,
                   ib::Transform::Parse(f.transform).ToString()});
  }
  return out;
}

std::vector<PartitionColumn> KeptPartitioning(const std::vector<PartitionColumn>& current,
                                              const Schema& schema) {
  for (const auto& f : current) {
    if (schema.Find(f.column) < 0) return {};
  }
  return current;
}

std::string PartitionFieldName(const std::string& column, const ib::Transform& t) {
  switch (t.kind()) {
    case Kind::kIdentity: return column;
    case Kind::kBucket: return column + "_bucket";
    case Kind::kTruncate: return column + "_trunc";
    case Kind::kYear: return column + "_year";
    case Kind::kMonth: return column + "_month";
    case Kind::kDay: return column + "_day";
    case Kind::kHour: return column + "_hour";
    case Kind::kVoid: return column + "_null";
  }
  return column;
}

std::string DescribePartitioning(const std::vector<PartitionColumn>& fields) {
  std::vector<std::string> parts;
  for (const auto& f : fields) parts.push_back(SqlOf(f));
  return Join(parts, ", ");
}

PartitionLayout PartitionLayout::Of(const Schema& schema,
                                    const std::vector<PartitionColumn>& fields) {
  PartitionLayout layout;
  for (const auto& f : fields) {
    layout.columns.push_back(schema.Find(f.column));
    layout.transforms.push_back(ib::Transform::Parse(f.transform));
  }
  return layout;
}

std::vector<PartitionedRows> SplitIntoPartitions(const Schema& schema,
                                                 const PartitionLayout& layout,
                                                 const Batch& batch) {
  std::vector<PartitionedRows> out;
  std::vector<std::vector<uint32_t>> selections;
  std::map<std::string, size_t> index;
  std::vector<Value> tuple(layout.columns.size());
  for (size_t r = 0; r < batch.num_rows(); r++) {
    for (size_t f = 0; f < layout.columns.size(); f++) {
      const int c = layout.columns[f];
      SLUICE_CHECK(c >= 0, "partition field {} has no column", f);
      tuple[f] = layout.transforms[f].Apply(batch.column(static_cast<size_t>(c))->GetValue(r));
    }
    auto [it, added] = index.emplace(PartitionKey(tuple), out.size());
    if (added) {
      out.push_back({tuple, Batch{}});
      selections.emplace_back();
    }
    selections[it->second].push_back(static_cast<uint32_t>(r));
  }
  for (size_t p = 0; p < out.size(); p++) {
    BatchBuilder builder(schema, selections[p].size());
    builder.AppendSelected(batch, selections[p].data(), selections[p].size());
    out[p].rows = builder.Finish();
  }
  return out;
}

bool ColumnPredicateOf(const Expr& e, const Schema& schema, int* column,
                       ib::ColumnPredicate* predicate) {
  using Op = ib::ColumnPredicate::Op;
  auto column_of = [&](const Expr& x) -> const Expr* {
    const Expr* c = ColumnOf(x);
    if (c == nullptr || c->column_index < 0 || c->column_index >= static_cast<int>(schema.size())) {
      return nullptr;
    }
    return c;
  };
  *predicate = ib::ColumnPredicate{};
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

bool PartitionMayMatch(const PartitionLayout& layout, const std::vector<Value>& values,
                       const std::vector<ExprPtr>& conjuncts, const Schema& schema) {
  if (layout.empty() || values.size() != layout.columns.size()) return true;
  for (const auto& conjunct : conjuncts) {
    int column = -1;
    ib::ColumnPredicate predicate;
    if (!ColumnPredicateOf(*conjunct, schema, &column, &predicate)) continue;
    for (size_t f = 0; f < layout.columns.size(); f++) {
      if (layout.columns[f] != column) continue;
      const auto projected = ib::ProjectInclusive(layout.transforms[f], predicate);
      if (projected && !ib::MayMatch(*projected, values[f])) return false;
    }
  }
  return true;
}

}  // namespace sluice
