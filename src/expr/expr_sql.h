#pragma once

#include <string>

#include "expr/expr.h"

namespace sluice {

// `e` as SQL text the parser reads back: Expr::ToString's rendering with every name in
// double quotes and count_star() as count(*) (a DataFrame's expressions written into a
// query, as the streaming DataFrame API does). Throws InvalidInputError for a window
// function or a subquery, which have no text of their own.
std::string ExprToSql(const Expr& e);
// `name` in double quotes (embedded quotes doubled), as ExprToSql writes names. (The sql
// module's QuoteIdentifier quotes only names that need it; this module has no keyword list.)
std::string QuoteSqlName(const std::string& name);

}  // namespace sluice
