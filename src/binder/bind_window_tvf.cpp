// Flink's window table functions: TUMBLE, HOP, CUMULATE and SESSION over TABLE t (or a
// subquery), adding window_start, window_end and window_time (= window_end - 1 ms) to each
// row. Built from the batch engine's own operators (filter, project, a cross join with the
// window numbers, window functions for sessions), so they run in batch queries and in the
// micro-batches of a streaming job alike. Rows whose time is NULL belong to no window.
#include <fmt/format.h>

#include "binder/sql_binder.h"
#include "common/strings.h"
#include "expr/binder.h"

namespace sluice {

namespace {

using sql::TableRef;
using Kind = WindowTvf::Kind;

constexpr int64_t kMillisecond = 1000;

ExprPtr BigInt(int64_t v) { return Lit(Value::BigInt(v)); }

// (x - offset) floor-mod length, for BIGINT microseconds.
ExprPtr FloorMod(const ExprPtr& x, int64_t offset, int64_t length) {
  ExprPtr rem = Call("%", {Call("-", {x, BigInt(offset)}), BigInt(length)});
  return Call("%", {Call("+", {rem, BigInt(length)}), BigInt(length)});
}

ExprPtr Timestamp(const ExprPtr& micros) { return Call("make_timestamp", {micros}); }

// One BIGINT column "#k" holding 0 .. n-1: the window numbers HOP and CUMULATE cross join.
LogicalPlanPtr WindowNumbers(int64_t n) {
  auto column = Column::Make(LogicalType(TypeId::kBigInt), static_cast<size_t>(n));
  for (int64_t k = 0; k < n; k++) column->SetValue(static_cast<size_t>(k), Value::BigInt(k));
  column->set_size(static_cast<size_t>(n));
  Schema schema;
  schema.Add(Field{"#k", LogicalType(TypeId::kBigInt), false, ""});
  std::vector<Batch> batches;
  batches.emplace_back(std::vector<ColumnPtr>{column}, static_cast<size_t>(n));
  return MakeValues(std::move(schema), std::move(batches));
}

std::vector<ExprPtr> Columns(const Schema& schema, size_t count) {
  std::vector<ExprPtr> out;
  for (size_t i = 0; i < count; i++) out.push_back(BoundColumnRef(schema, static_cast<int>(i)));
  return out;
}

}  // namespace

bool SqlBinder::IsWindowTvf(const TableRef& ref) {
  if (ref.kind != sql::TableRefKind::kTableFunction || ref.name.parts.size() != 1) return false;
  const std::string name = ToLower(ref.name.parts[0]);
  return name == "tumble" || name == "hop" || name == "cumulate" || name == "session";
}

int64_t SqlBinder::WindowTvfDuration(const TableRef& ref, const sql::Expr& arg,
                                     const char* what) {
  const Value v = EvaluateConstantExpr(arg);
  if (v.type().id() != TypeId::kInterval) {
    ThrowBind(arg, fmt::format("{}: the {} is an INTERVAL, not {}", ref.name.ToString(), what,
                               v.type().ToString()));
  }
  const Interval& i = v.GetInterval();
  if (i.months != 0) {
    ThrowBind(arg, fmt::format("{}: the {} must not use months or years (their length varies)",
                               ref.name.ToString(), what));
  }
  const __int128 micros = __int128{i.days} * 86400000000LL + i.micros;
  if (micros <= 0 && std::string_view(what) != "offset") {
    ThrowBind(arg, fmt::format("{}: the {} must be positive", ref.name.ToString(), what));
  }
  return static_cast<int64_t>(micros);
}

WindowTvf SqlBinder::BindWindowTvfSpec(const TableRef& ref) {
  const std::string name = ToLower(ref.name.parts.back());
  WindowTvf tvf;
  tvf.kind = name == "tumble"     ? Kind::kTumble
             : name == "hop"      ? Kind::kHop
             : name == "cumulate" ? Kind::kCumulate
                                  : Kind::kSession;
  size_t i = 1;
  for (; i < ref.args.size() && ref.arg_names[i] == "partition by"; i++) {
    const sql::Expr& key = *ref.args[i];
    if (key.kind != sql::ExprKind::kColumnRef) {
      ThrowBind(key, fmt::format("{}: PARTITION BY takes column names", ref.name.ToString()));
    }
    tvf.partition_by.push_back(key.As<sql::ColumnRefExpr>().parts.back());
  }
  if (!tvf.partition_by.empty() && tvf.kind != Kind::kSession) {
    ThrowBind(*ref.args[1], fmt::format("{} takes no PARTITION BY (only SESSION does)",
                                        ref.name.ToString()));
  }
  const size_t durations = tvf.kind == Kind::kTumble || tvf.kind == Kind::kSession ? 1 : 2;
  const size_t max_durations = tvf.kind == Kind::kSession ? 1 : durations + 1;
  const char* usage = tvf.kind == Kind::kTumble ? "(TABLE t, DESCRIPTOR(time), size [, offset])"
                      : tvf.kind == Kind::kHop  ? "(TABLE t, DESCRIPTOR(time), slide, size [, offset])"
                      : tvf.kind == Kind::kCumulate
                          ? "(TABLE t, DESCRIPTOR(time), step, max_size [, offset])"
                          : "(TABLE t [PARTITION BY key], DESCRIPTOR(time), gap)";
  const size_t rest = ref.args.size() - i;
  if (ref.args.empty() || rest < 1 + durations || rest > 1 + max_durations) {
    ThrowBind(ref, fmt::format("{} takes {}", ToUpper(name), usage));
  }
  const sql::Expr& descriptor = *ref.args[i];
  const bool is_descriptor =
      descriptor.kind == sql::ExprKind::kFunction &&
      ToLower(descriptor.As<sql::FunctionExpr>().name.back()) == "descriptor" &&
      descriptor.As<sql::FunctionExpr>().args.size() == 1 &&
      descriptor.As<sql::FunctionExpr>().args[0]->kind == sql::ExprKind::kColumnRef;
  if (!is_descriptor) {
    ThrowBind(descriptor, fmt::format("{}: expected DESCRIPTOR(time column); {} takes {}",
                                      ToUpper(name), ToUpper(name), usage));
  }
  tvf.time_column =
      descriptor.As<sql::FunctionExpr>().args[0]->As<sql::ColumnRefExpr>().parts.back();
  const sql::Expr& first = *ref.args[i + 1];
  if (tvf.kind == Kind::kTumble || tvf.kind == Kind::kSession) {
    tvf.size = WindowTvfDuration(ref, first, tvf.kind == Kind::kSession ? "gap" : "size");
  } else {
    tvf.step = WindowTvfDuration(ref, first, tvf.kind == Kind::kHop ? "slide" : "step");
    tvf.size = WindowTvfDuration(ref, *ref.args[i + 2], tvf.kind == Kind::kHop ? "size" : "max size");
    if (tvf.kind == Kind::kCumulate && tvf.size % tvf.step != 0) {
      ThrowBind(*ref.args[i + 2], "CUMULATE: the max size must be a whole multiple of the step");
    }
  }
  if (rest == 2 + durations) tvf.offset = WindowTvfDuration(ref, *ref.args.back(), "offset");
  return tvf;
}

BoundRelation SqlBinder::BindWindowTvf(const TableRef& ref) {
  if (ref.args.empty() || (ref.arg_names[0] != "table" && ref.arg_names[0] != "")) {
    ThrowBind(ref, fmt::format("{} takes TABLE name or (query) first", ref.name.ToString()));
  }
  const WindowTvf tvf = BindWindowTvfSpec(ref);
  const std::string title = WindowTvf::KindName(tvf.kind);
  LogicalPlanPtr input = BindMlInput(ref, *ref.args[0], ref.arg_names[0]);
  const size_t width = input->schema.size();
  for (const char* added : {"window_start", "window_end", "window_time"}) {
    if (input->schema.Find(added) >= 0) {
      ThrowBind(*ref.args[0], fmt::format("{}: the input already has a column {}", title, added));
    }
  }
  const int time_index = input->schema.Find(tvf.time_column);
  const sql::AstNode& descriptor = *ref.args[1 + tvf.partition_by.size()];
  if (time_index < 0) {
    ThrowBind(descriptor, fmt::format("{}: the input has no column \"{}\"", title, tvf.time_column));
  }
  const LogicalType time_type = input->schema.field(time_index).type;
  if (time_type.id() != TypeId::kTimestamp && time_type.id() != TypeId::kDate) {
    ThrowBind(descriptor, fmt::format("{}: the time column {} is {}, not TIMESTAMP", title,
                                      tvf.time_column, time_type.ToString()));
  }
  LogicalPlanPtr plan = At(ref, [&]() -> LogicalPlanPtr {
    ExprPtr time = BoundColumnRef(input->schema, time_index);
    if (time_type.id() == TypeId::kDate) time = CastTo(time, LogicalType(TypeId::kTimestamp));
    // "#us": the row's time in microseconds; "#ws" / "#we": its window's bounds.
    std::vector<ExprPtr> exprs = Columns(input->schema, width);
    exprs.push_back(Alias(Call("epoch_us", {time}), "#us"));
    LogicalPlanPtr p = MakeProject(MakeFilter(input, IsNotNull(time)), exprs);
    const ExprPtr us = BoundColumnRef(p->schema, static_cast<int>(width));
    ExprPtr start, end;
    switch (tvf.kind) {
      case Kind::kTumble:
        start = Call("-", {us, FloorMod(us, tvf.offset, tvf.size)});
        end = Call("+", {start, BigInt(tvf.size)});
        break;
      case Kind::kHop:
      case Kind::kCumulate: {
        // Every row meets each window number k; the pairs whose window holds the row stay.
        const bool hop = tvf.kind == Kind::kHop;
        const int64_t n = hop ? (tvf.size + tvf.step - 1) / tvf.step : tvf.size / tvf.step;
        p = MakeJoin(p, WindowNumbers(n), JoinKind::kCross, nullptr);
        const ExprPtr row_us = BoundColumnRef(p->schema, static_cast<int>(width));
        const ExprPtr k = BoundColumnRef(p->schema, static_cast<int>(width + 1));
        if (hop) {
          start = Call("-", {Call("-", {row_us, FloorMod(row_us, tvf.offset, tvf.step)}),
                             Call("*", {k, BigInt(tvf.step)})});
          end = Call("+", {start, BigInt(tvf.size)});
        } else {
          start = Call("-", {row_us, FloorMod(row_us, tvf.offset, tvf.size)});
          end = Call("+", {start, Call("*", {Call("+", {k, BigInt(1)}), BigInt(tvf.step)})});
        }
        std::vector<ExprPtr> bounds = Columns(p->schema, width + 1);
        bounds.push_back(Alias(start, "#ws"));
        bounds.push_back(Alias(end, "#we"));
        p = MakeProject(p, bounds);
        p = MakeFilter(p, Call("<", {BoundColumnRef(p->schema, static_cast<int>(width)),
                                     BoundColumnRef(p->schema, static_cast<int>(width + 2))}));
        start = BoundColumnRef(p->schema, static_cast<int>(width + 1));
        end = BoundColumnRef(p->schema, static_cast<int>(width + 2));
        break;
      }
      case Kind::kSession: {
        // A row starts a new session when the previous one of its partition (by time) is more
        // than the gap before it (Flink merges windows [ts, ts + gap) that touch); the running
        // count of starts numbers the sessions, whose bounds are min(ts) and max(ts) + gap.
        std::vector<ExprPtr> keys;
        for (const std::string& key : tvf.partition_by) {
          const int index = p->schema.Find(key);
          if (index < 0) {
            ThrowBind(ref, fmt::format("SESSION: the input has no column \"{}\"", key));
          }
          keys.push_back(BoundColumnRef(p->schema, index));
        }
        WindowSpec by_time;
        by_time.partition_by = keys;
        by_time.order_by.push_back(WindowOrder{us, true, false});
        p = MakeWindow(p, {Alias(WindowCall("lag", {us}, by_time), "#prev")});
        const ExprPtr prev = BoundColumnRef(p->schema, static_cast<int>(width + 1));
        std::vector<ExprPtr> flagged = Columns(p->schema, width + 1);
        flagged.push_back(Alias(Case({Or({IsNull(prev), Call(">", {Call("-", {us, prev}),
                                                                   BigInt(tvf.size)})}),
                                      BigInt(1), BigInt(0)}),
                                "#new"));
        p = MakeProject(p, flagged);
        p = MakeWindow(p, {Alias(WindowCall("sum", {BoundColumnRef(p->schema, static_cast<int>(width + 1))},
                                            by_time),
                                 "#sid")});
        WindowSpec session;
        session.partition_by = keys;
        session.partition_by.push_back(BoundColumnRef(p->schema, static_cast<int>(width + 2)));
        p = MakeWindow(p, {Alias(WindowCall("min", {us}, session), "#ws"),
                           Alias(WindowCall("max", {us}, session), "#last")});
        start = BoundColumnRef(p->schema, static_cast<int>(width + 3));
        end = Call("+", {BoundColumnRef(p->schema, static_cast<int>(width + 4)), BigInt(tvf.size)});
        break;
      }
    }
    std::vector<ExprPtr> out = Columns(p->schema, width);
    out.push_back(Alias(Timestamp(start), "window_start"));
    out.push_back(Alias(Timestamp(end), "window_end"));
    out.push_back(Alias(Timestamp(Call("-", {end, BigInt(kMillisecond)})), "window_time"));
    return MakeProject(p, out);
  });
  std::string qualifier = ref.alias;
  if (qualifier.empty() && ref.arg_names[0] == "table") {
    qualifier = ref.args[0]->As<sql::ColumnRefExpr>().parts.back();
  }
  if (qualifier.empty()) qualifier = ToLower(title);
  return sql_bind::MakeRelation(sql_bind::WithFields(plan, [&](Field& f, size_t c) {
    f.qualifier = qualifier;
    if (c < ref.column_aliases.size()) f.name = ref.column_aliases[c];
  }));
}

}  // namespace sluice
