#pragma once

#include <string_view>
#include <vector>

#include "sql/ast.h"

namespace sluice::sql {

// The default of the max_expression_depth setting (as in DuckDB): the deepest nesting of
// expressions, parentheses and subqueries a statement may have. Deeper input is a ParseError,
// never a stack overflow. Left-deep chains of one operator count one level per operator,
// except AND and OR chains, which are associative and are built as balanced trees (so a
// 20,000-term OR list parses).
inline constexpr int kDefaultMaxExpressionDepth = 1000;

// Entry points of the SQL front end. All of them throw sluice::ParseError whose message quotes
// the offending line with a caret (see error_context.h). AST positions are relative to the
// text passed in, so a binder reporting on a statement from a script should format carets
// against the whole script.

// Parses `;`-separated statements. Empty statements (";;") are skipped. Each statement keeps
// its own source text in Statement::source_text.
std::vector<StatementPtr> ParseScript(std::string_view sql, int max_depth = kDefaultMaxExpressionDepth);

// Parses exactly one statement; a single trailing ';' is allowed.
StatementPtr ParseStatement(std::string_view sql, int max_depth = kDefaultMaxExpressionDepth);

// Parses a query (SELECT, VALUES, WITH ..., set operations).
QueryPtr ParseQuery(std::string_view sql, int max_depth = kDefaultMaxExpressionDepth);

// Parses a standalone scalar expression, e.g. a column default or a CHECK body.
ExprPtr ParseExpression(std::string_view sql, int max_depth = kDefaultMaxExpressionDepth);

}  // namespace sluice::sql
