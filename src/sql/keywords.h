#pragma once

#include <string_view>

namespace sluice::sql {

// True for words that may not be used unquoted as a column, table or alias name because the
// grammar would become ambiguous (FROM, JOIN, WHERE, ...). Other keywords (DATE, FIRST, ...)
// stay usable as names; the parser recognizes them from context.
bool IsReservedKeyword(std::string_view word);

// Upper-cased canonical spelling of a type name, e.g. "int" -> "INTEGER", or empty if `word`
// does not start a known type name.
std::string_view CanonicalTypeName(std::string_view word);

}  // namespace sluice::sql
