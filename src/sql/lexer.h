#pragma once

#include <string_view>
#include <vector>

#include "sql/token.h"

namespace sluice::sql {

// Splits SQL text into tokens. Comments are dropped, except that the body of a `/*+ ... */`
// hint comment is attached to the token that follows it. The result always ends with a kEnd
// token positioned just past the last character.
// Throws ParseError (with a caret) for unterminated strings, identifiers or comments and for
// characters that start no token.
std::vector<Token> Tokenize(std::string_view sql);

}  // namespace sluice::sql
