#include "stream/interval_join.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <vector>

#include "binder/sql_binder.h"
#include "common/error.h"
#include "common/strings.h"

namespace sluice::stream {

namespace {

constexpr int64_t kUnset = std::numeric_limits<int64_t>::min();
constexpr const char* kShape =
    "b.ts BETWEEN a.ts - INTERVAL '5' MINUTE AND a.ts + INTERVAL '10' MINUTE, or b.ts >= a.ts "
    "AND b.ts < a.ts + INTERVAL '1' HOUR";

// One side of a time comparison: a source's time column plus a constant offset.
struct TimeTerm {
  int side = 0;  // 0: left, 1: right
  int64_t offset = 0;
};

// What the analysis knows about the two sides.
struct Sides {
  std::string alias[2];
  std::string time_column[2];
  const Schema* schema[2];
};

void SplitConjuncts(const sql::Expr* e, std::vector<const sql::Expr*>& out) {
  if (e == nullptr) return;
  if (e->kind == sql::ExprKind::kBinary && e->As<sql::BinaryExpr>().op == sql::BinaryOp::kAnd) {
    SplitConjuncts(e->As<sql::BinaryExpr>().left.get(), out);
    SplitConjuncts(e->As<sql::BinaryExpr>().right.get(), out);
    return;
  }
  out.push_back(e);
}

// The side whose time column `ref` names, or -1.
int SideOf(const sql::ColumnRefExpr& ref, const Sides& sides) {
  const std::string column = ToLower(ref.parts.back());
  for (int s = 0; s < 2; s++) {
    if (column != ToLower(sides.time_column[s])) continue;
    if (ref.parts.size() >= 2) {
      if (ToLower(ref.parts[ref.parts.size() - 2]) == ToLower(sides.alias[s])) return s;
    } else if (sides.schema[1 - s]->Find(ref.parts.back()) < 0) {
      return s;  // unqualified, and only this side has the column
    }
  }
  return -1;
}

int64_t IntervalMicros(const sql::Expr& e, SqlBinder& binder) {
  const Value v = binder.EvaluateConstantExpr(e);
  const Interval& i = v.GetInterval();
  if (i.months != 0) {
    binder.ThrowBind(e,
                     "an interval join's bound must not use months or years (their length varies)");
  }
  return static_cast<int64_t>(__int128{i.days} * 86400000000LL + i.micros);
}

// `e` as time column +/- constant intervals, or nullopt.
std::optional<TimeTerm> ParseTerm(const sql::Expr& e, const Sides& sides, SqlBinder& binder) {
  if (e.kind == sql::ExprKind::kColumnRef) {
    const int side = SideOf(e.As<sql::ColumnRefExpr>(), sides);
    if (side < 0) return std::nullopt;
    return TimeTerm{side, 0};
  }
  if (e.kind != sql::ExprKind::kBinary) return std::nullopt;
  const auto& b = e.As<sql::BinaryExpr>();
  if (b.op != sql::BinaryOp::kAdd && b.op != sql::BinaryOp::kSubtract) return std::nullopt;
  const bool interval_right = b.right->kind == sql::ExprKind::kInterval;
  const bool interval_left =
      b.op == sql::BinaryOp::kAdd && b.left->kind == sql::ExprKind::kInterval;
  if (!interval_right && !interval_left) return std::nullopt;
  std::optional<TimeTerm> term = ParseTerm(interval_right ? *b.left : *b.right, sides, binder);
  if (!term) return std::nullopt;
  const int64_t micros = IntervalMicros(interval_right ? *b.right : *b.left, binder);
  term->offset += b.op == sql::BinaryOp::kAdd ? micros : -micros;
  return term;
}

// Records `x op y` (x, y on different sides) as a bound on right time - left time.
void AddBound(TimeTerm x, sql::BinaryOp op, TimeTerm y, int64_t& lower, int64_t& upper) {
  using sql::BinaryOp;
  int64_t c = y.offset - x.offset;  // x is the right side: right - left op c
  if (x.side == 0) {
    // left + x.off op right + y.off  <=>  right - left (flipped op) x.off - y.off
    c = x.offset - y.offset;
    switch (op) {
      case BinaryOp::kLess:
        op = BinaryOp::kGreater;
        break;
      case BinaryOp::kLessEqual:
        op = BinaryOp::kGreaterEqual;
        break;
      case BinaryOp::kGreater:
        op = BinaryOp::kLess;
        break;
      case BinaryOp::kGreaterEqual:
        op = BinaryOp::kLessEqual;
        break;
      default:
        break;
    }
  }
  auto at_most = [&](int64_t v) { upper = upper == kUnset ? v : std::min(upper, v); };
  auto at_least = [&](int64_t v) { lower = lower == kUnset ? v : std::max(lower, v); };
  switch (op) {
    case BinaryOp::kLess:
      at_most(c - 1);
      break;
    case BinaryOp::kLessEqual:
      at_most(c);
      break;
    case BinaryOp::kGreater:
      at_least(c + 1);
      break;
    case BinaryOp::kGreaterEqual:
      at_least(c);
      break;
    case BinaryOp::kEqual:
      at_most(c);
      at_least(c);
      break;
    default:
      break;
  }
}

bool IsComparison(sql::BinaryOp op) {
  using sql::BinaryOp;
  return op == BinaryOp::kLess || op == BinaryOp::kLessEqual || op == BinaryOp::kGreater ||
         op == BinaryOp::kGreaterEqual || op == BinaryOp::kEqual;
}

const SourceDefinition* SourceOf(const sql::TableRef* ref,
                                 const std::map<std::string, SourceDefinition>& sources) {
  if (ref == nullptr || ref->kind != sql::TableRefKind::kBaseTable) return nullptr;
  auto it = sources.find(ToLower(ref->name.ToString()));
  return it == sources.end() ? nullptr : &it->second;
}

}  // namespace

sql::TableRef* IntervalJoin::FindJoin(sql::TableRef* ref,
                                      const std::map<std::string, SourceDefinition>& sources) {
  if (ref == nullptr || ref->kind != sql::TableRefKind::kJoin) return nullptr;
  if (SourceOf(ref->left.get(), sources) && SourceOf(ref->right.get(), sources)) return ref;
  if (sql::TableRef* found = FindJoin(ref->left.get(), sources)) return found;
  return FindJoin(ref->right.get(), sources);
}

int64_t IntervalBounds::Add(int64_t ts, int64_t delta) {
  int64_t out;
  if (__builtin_add_overflow(ts, delta, &out)) {
    return delta > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
  }
  return out;
}

int64_t IntervalBounds::LeftKeepUntil(int64_t ts) const {
  // A right row matched by this one has time <= ts + upper and expires at its time - lower.
  return right_outer ? std::max(LeftExpiry(ts), Add(Add(ts, upper), -lower)) : LeftExpiry(ts);
}

int64_t IntervalBounds::RightKeepUntil(int64_t ts) const {
  // A left row matched by this one has time <= ts - lower and expires at its time + upper.
  return left_outer ? std::max(RightExpiry(ts), Add(Add(ts, -lower), upper)) : RightExpiry(ts);
}

int IntervalJoin::TimeSide(const sql::ColumnRefExpr& ref) const {
  const std::string column = ToLower(ref.parts.back());
  const std::string time[2] = {ToLower(left_time), ToLower(right_time)};
  const std::string alias[2] = {ToLower(left_alias), ToLower(right_alias)};
  for (int s = 0; s < 2; s++) {
    if (column != time[s]) continue;
    if (ref.parts.size() >= 2 ? ToLower(ref.parts[ref.parts.size() - 2]) == alias[s]
                              : time[0] != time[1]) {
      return s;
    }
  }
  return -1;
}

int64_t IntervalJoin::OutputDelay(int side) const {
  // A pair is emitted once both rows came: with left time t, the right one has time at most
  // t + upper (with right time t, the left one at most t - lower). An unmatched outer row is
  // emitted when the watermark reaches the same bound.
  return std::max<int64_t>(0, side == 0 ? bounds.upper : -bounds.lower);
}

IntervalJoin IntervalJoin::Analyze(const sql::SelectNode& select,
                                   const std::map<std::string, SourceDefinition>& sources,
                                   SqlBinder& binder) {
  const sql::TableRef* join = FindJoin(select.from.get(), sources);
  if (join == nullptr) {
    throw NotImplementedError(fmt::format(
        "a streaming job that reads two tables over streams joins them directly with an "
        "interval join: FROM a JOIN b ON a.k = b.k AND {}",
        kShape));
  }
  using JoinType = sql::TableRef::JoinType;
  IntervalJoin out;
  out.join = join;
  switch (join->join_type) {
    case JoinType::kInner:
    case JoinType::kCross:
      break;
    case JoinType::kLeft:
      out.bounds.left_outer = true;
      break;
    case JoinType::kRight:
      out.bounds.right_outer = true;
      break;
    case JoinType::kFull:
      out.bounds.left_outer = true;
      out.bounds.right_outer = true;
      break;
    default:
      binder.ThrowNotImplemented(*join,
                                 "an interval join of streams is an inner, LEFT, RIGHT "
                                 "or FULL join");
  }
  if (join->asof || join->natural || !join->using_columns.empty()) {
    binder.ThrowNotImplemented(*join,
                               "an interval join of streams joins ON a condition "
                               "(not ASOF, NATURAL or USING)");
  }
  Sides sides;
  const sql::TableRef* refs[2] = {join->left.get(), join->right.get()};
  for (int s = 0; s < 2; s++) {
    const SourceDefinition& def = *SourceOf(refs[s], sources);
    (s == 0 ? out.left_source : out.right_source) = def.name;
    sides.alias[s] = refs[s]->alias.empty() ? refs[s]->name.parts.back() : refs[s]->alias;
    sides.time_column[s] = def.watermark_column;
    sides.schema[s] = &def.schema;
    if (def.watermark_column.empty()) {
      binder.ThrowBind(*refs[s], fmt::format("an interval join of streams needs a WATERMARK on "
                                             "both tables; {} declares none",
                                             def.name));
    }
  }
  out.left_alias = sides.alias[0];
  out.right_alias = sides.alias[1];
  out.left_time = sides.time_column[0];
  out.right_time = sides.time_column[1];
  if (ToLower(out.left_source) == ToLower(out.right_source)) {
    binder.ThrowNotImplemented(*join,
                               "a streaming job joining a stream with itself is not "
                               "built yet");
  }
  std::vector<const sql::Expr*> conjuncts;
  SplitConjuncts(join->condition.get(), conjuncts);
  // An outer join's WHERE filters its result; only ON decides which rows match.
  if (!out.bounds.left_outer && !out.bounds.right_outer)
    SplitConjuncts(select.where.get(), conjuncts);
  int64_t lower = kUnset, upper = kUnset;
  for (const sql::Expr* c : conjuncts) {
    if (c->kind == sql::ExprKind::kBinary && IsComparison(c->As<sql::BinaryExpr>().op)) {
      const auto& b = c->As<sql::BinaryExpr>();
      std::optional<TimeTerm> x = ParseTerm(*b.left, sides, binder);
      std::optional<TimeTerm> y = ParseTerm(*b.right, sides, binder);
      if (x && y && x->side != y->side) AddBound(*x, b.op, *y, lower, upper);
    } else if (c->kind == sql::ExprKind::kBetween && !c->As<sql::BetweenExpr>().negated) {
      const auto& b = c->As<sql::BetweenExpr>();
      std::optional<TimeTerm> x = ParseTerm(*b.operand, sides, binder);
      std::optional<TimeTerm> lo = ParseTerm(*b.low, sides, binder);
      std::optional<TimeTerm> hi = ParseTerm(*b.high, sides, binder);
      if (x && lo && x->side != lo->side)
        AddBound(*x, sql::BinaryOp::kGreaterEqual, *lo, lower, upper);
      if (x && hi && x->side != hi->side)
        AddBound(*x, sql::BinaryOp::kLessEqual, *hi, lower, upper);
    }
  }
  if (lower == kUnset || upper == kUnset) {
    binder.ThrowNotImplemented(
        *join,
        fmt::format("a join of two streams is an interval join: its {} bounds {}.{} - {}.{} "
                    "{} (e.g. {}); without it the state would grow forever",
                    out.bounds.left_outer || out.bounds.right_outer ? "ON" : "condition",
                    sides.alias[1], sides.time_column[1], sides.alias[0], sides.time_column[0],
                    lower == kUnset && upper == kUnset ? "from below and above"
                    : lower == kUnset                  ? "from below too"
                                                       : "from above too",
                    kShape));
  }
  out.bounds.lower = lower;
  out.bounds.upper = upper;
  return out;
}

}  // namespace sluice::stream
