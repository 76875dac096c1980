#include "binder/aggregate_rewriter.h"

#include <fmt/format.h>

namespace sluice {

std::string KeyOf(const Expr& e, const Schema& schema) {
  switch (e.kind) {
    case ExprKind::kColumnRef: {
      const int i = schema.Find(e.name, e.qualifier);
      return i >= 0 ? fmt::format("#{}", i) : "?" + e.qualifier + "." + e.name;
    }
    case ExprKind::kLiteral: return e.value.type().ToString() + ":" + e.value.ToSqlLiteral();
    default: break;
  }
  std::string key = fmt::format("{}:{}:{}{}{}:{}(", static_cast<int>(e.kind), e.name,
                                e.distinct ? "d" : "", e.negated ? "n" : "", e.try_cast ? "t" : "",
                                e.kind == ExprKind::kCast ? e.type.ToString() : "");
  for (const auto& a : e.args) key += KeyOf(*a, schema) + ",";
  if (e.window) key += " OVER (" + e.window->ToString() + ")";
  for (const auto& o : e.order) key += o.ascending ? (o.nulls_first ? "+f" : "+l") : (o.nulls_first ? "-f" : "-l");
  if (e.filtered) key += "F";
  return key + ")";
}

}  // namespace sluice
