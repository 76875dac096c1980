#include "api/sql_source.h"

#include <fmt/format.h>

#include "api/session.h"
#include "binder/sql_binder.h"
#include "catalog/source_definition.h"
#include "common/strings.h"

namespace sluice {

namespace {

// The watermark's delay from `ts` or `ts - INTERVAL '5' SECOND` (the forms Flink's
// bounded-out-of-orderness strategy takes), in microseconds.
int64_t WatermarkDelay(SqlBinder& binder, const sql::CreateTableStatement& c) {
  const sql::Expr& e = *c.watermark;
  auto is_column = [&](const sql::Expr& x) {
    return x.kind == sql::ExprKind::kColumnRef &&
           ToLower(x.As<sql::ColumnRefExpr>().parts.back()) == ToLower(c.watermark_column);
  };
  if (is_column(e)) return 0;
  if (e.kind == sql::ExprKind::kBinary) {
    const auto& b = e.As<sql::BinaryExpr>();
    if (b.op == sql::BinaryOp::kSubtract && is_column(*b.left)) {
      const Value delay = binder.EvaluateConstantExpr(*b.right);
      if (delay.type().id() == TypeId::kInterval && delay.GetInterval().months == 0) {
        const Interval& i = delay.GetInterval();
        const int64_t us = int64_t{i.days} * 86400000000LL + i.micros;
        if (us >= 0) return us;
      }
    }
  }
  binder.ThrowBind(e, fmt::format("the watermark is {0} or {0} - INTERVAL '<n>' SECOND (a "
                                  "delay of days, hours, minutes or seconds)",
                                  c.watermark_column));
}

StatementResult Created() {
  StatementResult r;
  r.message = "CREATE TABLE";
  return r;
}

}  // namespace

StatementResult RunCreateSource(Session& session, SqlBinder& binder,
                                const sql::CreateTableStatement& c) {
  const std::string name = c.name.ToString();
  if (c.temporary) binder.ThrowBind(c, "a table over a stream (WITH connector) is not TEMP");
  if (c.with_options.empty()) {
    binder.ThrowBind(c, "a table with a WATERMARK reads a stream: add WITH ('connector' = ...)");
  }
  if (session.HasTable(name) && !c.or_replace) {
    if (c.if_not_exists) return Created();
    binder.ThrowBind(c.name, fmt::format("Table with name \"{}\" already exists!", name));
  }
  SourceDefinition def;
  def.name = name;
  for (const auto& col : c.columns) {
    if (def.schema.Find(col.name) >= 0) {
      binder.ThrowBind(col, fmt::format("Column with name {} already exists!", col.name));
    }
    def.schema.Add(Field{col.name, binder.TranslateType(col.type), !col.not_null, ""});
  }
  for (const auto& o : c.with_options) def.options[o.key] = o.value;
  std::string bad_key;
  const std::string problem = Connectors().Check(def.options, &bad_key);
  if (!problem.empty()) {
    const sql::AstNode* at = &c;
    for (const auto& o : c.with_options) {
      if (o.key == bad_key) at = &o;
    }
    binder.ThrowBind(*at, problem);
  }
  if (c.watermark) {
    const int index = def.schema.Find(c.watermark_column);
    if (index < 0) {
      binder.ThrowBind(*c.watermark, fmt::format("WATERMARK FOR {}: no such column",
                                                 c.watermark_column));
    }
    const TypeId type = def.schema.field(index).type.id();
    if (type != TypeId::kTimestamp) {
      binder.ThrowBind(*c.watermark, fmt::format("WATERMARK FOR {}: the column is {}, not "
                                                 "TIMESTAMP",
                                                 c.watermark_column,
                                                 def.schema.field(index).type.ToString()));
    }
    def.watermark_column = def.schema.field(index).name;
    def.watermark_delay_us = WatermarkDelay(binder, c);
  }
  session.CreateSource(name, def, c.ToString(), c.or_replace);
  return Created();
}

}  // namespace sluice
