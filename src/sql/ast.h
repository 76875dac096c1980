#pragma once

// The whole SQL syntax tree: expressions, queries and statements.
#include "sql/ast_expr.h"       // IWYU pragma: export
#include "sql/ast_query.h"      // IWYU pragma: export
#include "sql/ast_statement.h"  // IWYU pragma: export
