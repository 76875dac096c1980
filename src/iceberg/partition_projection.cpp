#include "iceberg/partition_projection.h"

namespace sluice::iceberg {

namespace {

using Op = ColumnPredicate::Op;

// Orders two non-NULL values of one partition field: integer-like values by their number
// (a manifest reads an identity partition of a SMALLINT column back as INTEGER).
int Compare(const Value& a, const Value& b) {
  if (Transform::IntegerLike(a.type().id()) && Transform::IntegerLike(b.type().id())) {
    return a.GetInt() < b.GetInt() ? -1 : a.GetInt() > b.GetInt() ? 1 : 0;
  }
  return CompareValues(a, b);
}

// `v` moved by one unit of its integer-like type (x < 10 is x <= 9), or nullopt when the
// type has no next value or it would overflow.
std::optional<Value> Step(const Value& v, int delta) {
  const int64_t x = v.GetInt();
  switch (v.type().id()) {
    case TypeId::kInteger:
      if ((delta < 0 && x == INT32_MIN) || (delta > 0 && x == INT32_MAX)) return std::nullopt;
      return Value::Integer(static_cast<int32_t>(x + delta));
    case TypeId::kBigInt:
      if ((delta < 0 && x == INT64_MIN) || (delta > 0 && x == INT64_MAX)) return std::nullopt;
      return Value::BigInt(x + delta);
    case TypeId::kDate:
      if ((delta < 0 && x == INT32_MIN) || (delta > 0 && x == INT32_MAX)) return std::nullopt;
      return Value::Date(static_cast<int32_t>(x + delta));
    case TypeId::kTimestamp:
      if ((delta < 0 && x == INT64_MIN) || (delta > 0 && x == INT64_MAX)) return std::nullopt;
      return Value::Timestamp(x + delta);
    default: return std::nullopt;
  }
}

std::vector<Value> ApplyAll(const Transform& t, const std::vector<Value>& values) {
  std::vector<Value> out;
  for (const auto& v : values) out.push_back(t.Apply(v));
  return out;
}

}  // namespace

std::optional<ColumnPredicate> ProjectInclusive(const Transform& transform,
                                                const ColumnPredicate& predicate) {
  using Kind = Transform::Kind;
  if (transform.kind() == Kind::kVoid) return std::nullopt;
  // NULL maps to NULL and only NULL under every other transform.
  if (predicate.op == Op::kIsNull || predicate.op == Op::kNotNull) return predicate;
  if (predicate.literals.empty()) return std::nullopt;
  if (transform.kind() == Kind::kIdentity) return predicate;
  const Value& literal = predicate.literals[0];
  ColumnPredicate out;
  switch (predicate.op) {
    case Op::kEq:
    case Op::kIn:
      // Equal values have equal partition values under every transform, bucket included.
      out.op = predicate.op;
      out.literals = ApplyAll(transform, predicate.literals);
      return out;
    default: break;
  }
  // A hash keeps no order: a range says nothing about the bucket.
  if (transform.kind() == Kind::kBucket) return std::nullopt;
  // truncate, year, month, day and hour never decrease as the value grows, so x <= c gives
  // f(x) <= f(c) and x >= c gives f(x) >= f(c). A strict bound first moves to the next
  // value where the type has one (ts < midnight is ts <= the microsecond before: the day
  // before, not the midnight's day).
  switch (predicate.op) {
    case Op::kLt:
    case Op::kLtEq: {
      const std::optional<Value> bound = predicate.op == Op::kLt ? Step(literal, -1) : literal;
      out.op = Op::kLtEq;
      out.literals = {transform.Apply(bound.value_or(literal))};
      return out;
    }
    case Op::kGt:
    case Op::kGtEq: {
      const std::optional<Value> bound = predicate.op == Op::kGt ? Step(literal, 1) : literal;
      out.op = Op::kGtEq;
      out.literals = {transform.Apply(bound.value_or(literal))};
      return out;
    }
    default: return std::nullopt;
  }
}

bool MayMatch(const ColumnPredicate& p, const Value& value) {
  if (p.op == Op::kIsNull) return value.is_null();
  if (value.is_null()) return false;
  if (p.op == Op::kNotNull) return true;
  if (p.op == Op::kIn) {
    for (const auto& l : p.literals) {
      if (Compare(value, l) == 0) return true;
    }
    return false;
  }
  if (p.literals.empty()) return true;
  const int c = Compare(value, p.literals[0]);
  switch (p.op) {
    case Op::kEq: return c == 0;
    case Op::kLt: return c < 0;
    case Op::kLtEq: return c <= 0;
    case Op::kGt: return c > 0;
    case Op::kGtEq: return c >= 0;
    default: return true;
  }
}

bool MayMatchRange(const ColumnPredicate& p, const std::optional<Value>& lower,
                   const std::optional<Value>& upper, bool contains_null, bool contains_nan) {
  if (p.op == Op::kIsNull) return contains_null;
  // NaN sits outside the bounds: a manifest holding one is not judged by them.
  if (contains_nan) return true;
  if (!lower || !upper) return false;  // every value is NULL
  if (p.op == Op::kNotNull) return true;
  auto in_range = [&](const Value& l) { return Compare(*lower, l) <= 0 && Compare(l, *upper) <= 0; };
  if (p.op == Op::kIn) {
    for (const auto& l : p.literals) {
      if (in_range(l)) return true;
    }
    return false;
  }
  if (p.literals.empty()) return true;
  const Value& l = p.literals[0];
  switch (p.op) {
    case Op::kEq: return in_range(l);
    case Op::kLt: return Compare(*lower, l) < 0;
    case Op::kLtEq: return Compare(*lower, l) <= 0;
    case Op::kGt: return Compare(*upper, l) > 0;
    case Op::kGtEq: return Compare(*upper, l) >= 0;
    default: return true;
  }
}

}  // namespace sluice::iceberg
