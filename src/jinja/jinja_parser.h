#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "jinja/jinja_ast.h"
#include "jinja/jinja_lexer.h"

namespace sluice::jinja {

// Parses a template into its syntax tree, following Jinja's grammar and operator precedence.
// Throws JinjaError naming `name`, line and column on the first syntax error.
std::unique_ptr<Template> ParseTemplate(std::string_view source, const std::string& name,
                                        const LexerOptions& options = {});

}  // namespace sluice::jinja
