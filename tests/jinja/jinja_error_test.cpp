// Syntax and runtime errors name the template, line and column.
#include "jinja/jinja_error.h"

#include <gtest/gtest.h>

#include "jinja/jinja_environment.h"

namespace sluice::jinja {
namespace {

// The message of the JinjaError that rendering `source` as `name` throws.
std::string ErrorOf(const std::string& source, const std::string& name = "models/orders.sql") {
  JinjaEnvironment env;
  try {
    env.AddTemplate(name, source);
    env.Render(name);
  } catch (const JinjaError& e) {
    EXPECT_EQ(e.kind(), "Jinja");
    EXPECT_TRUE(e.has_position());
    return e.message();
  }
  ADD_FAILURE() << "no error for: " << source;
  return "";
}

TEST(JinjaErrorTest, UnclosedBlockPointsAtEndOfTemplate) {
  EXPECT_EQ(ErrorOf("select 1\n{% if is_incremental() %}\n  where x > 1\n"),
            "models/orders.sql:3:14: unexpected end of template, expected 'endif'");
  EXPECT_EQ(ErrorOf("{% for x in y %}{% if x %}"),
            "models/orders.sql:1:27: unexpected end of template, expected 'endif'");
  EXPECT_EQ(ErrorOf("{% macro m() %}x"),
            "models/orders.sql:1:17: unexpected end of template, expected 'endmacro'");
}

TEST(JinjaErrorTest, MismatchedAndUnknownTags) {
  EXPECT_EQ(ErrorOf("line1\n{% for x in [1] %}\n  {% endif %}"),
            "models/orders.sql:3:6: unexpected tag 'endif', expected 'endfor'");
  EXPECT_EQ(ErrorOf("{% endif %}"), "models/orders.sql:1:4: unknown tag 'endif'");
  EXPECT_EQ(ErrorOf("{% frobnicate %}"), "models/orders.sql:1:4: unknown tag 'frobnicate'");
}

TEST(JinjaErrorTest, LexerErrors) {
  EXPECT_EQ(ErrorOf("ok\n{{ 'abc }}"), "models/orders.sql:2:4: unterminated string");
  EXPECT_EQ(ErrorOf("{# never closed"), "models/orders.sql:1:1: missing end of comment tag");
  EXPECT_EQ(ErrorOf("{{ 1 ) }}"), "models/orders.sql:1:6: unexpected ')'");
  EXPECT_EQ(ErrorOf("{{ a $ b }}"), "models/orders.sql:1:6: unexpected character '$'");
  EXPECT_EQ(ErrorOf("{{ x "), "models/orders.sql:1:6: unexpected end of template, expected '}}'");
}

TEST(JinjaErrorTest, ExpressionSyntax) {
  EXPECT_EQ(ErrorOf("{{ 1 + }}"), "models/orders.sql:1:8: unexpected end of print statement");
  EXPECT_EQ(ErrorOf("{% set = 1 %}"), "models/orders.sql:1:8: expected a name, got '='");
  EXPECT_EQ(ErrorOf("{% if x %}{% else x %}{% endif %}"),
            "models/orders.sql:1:19: expected end of statement block, got 'x'");
  EXPECT_EQ(ErrorOf("{% macro m(a=1, b) %}{% endmacro %}"),
            "models/orders.sql:1:17: non-default argument follows default argument");
}

TEST(JinjaErrorTest, UndefinedUse) {
  EXPECT_EQ(ErrorOf("a\n\n  {{ foo.bar }}"), "models/orders.sql:3:6: 'foo' is undefined");
  EXPECT_EQ(ErrorOf("{{ ref_typo('x') }}"), "models/orders.sql:1:4: 'ref_typo' is undefined");
  EXPECT_EQ(ErrorOf("{{ {'a': 1}.b.c }}"),
            "models/orders.sql:1:4: 'dict object' has no attribute 'b'");
  EXPECT_EQ(ErrorOf("{{ none.x.y }}"), "models/orders.sql:1:4: 'None' has no attribute 'x'");
  EXPECT_EQ(ErrorOf("{{ x + 1 }}"), "models/orders.sql:1:6: 'x' is undefined");
}

TEST(JinjaErrorTest, RuntimeTypeErrors) {
  EXPECT_EQ(ErrorOf("{{ 1 + 'a' }}"),
            "models/orders.sql:1:6: unsupported operand type(s) for +: 'int' and 'str'");
  EXPECT_EQ(ErrorOf("{{ 1 / 0 }}"), "models/orders.sql:1:6: division by zero");
  EXPECT_EQ(ErrorOf("{{ 'a' < 1 }}"),
            "models/orders.sql:1:4: '<' not supported between instances of 'str' and 'int'");
  EXPECT_EQ(ErrorOf("{% set a, b = [1, 2, 3] %}"),
            "models/orders.sql:1:4: too many values to unpack (expected 2)");
  EXPECT_EQ(ErrorOf("{% for x in 5 %}{% endfor %}"),
            "models/orders.sql:1:13: 'int' object is not iterable");
  EXPECT_EQ(ErrorOf("{{ [1] | nosuch }}"), "models/orders.sql:1:10: no filter named 'nosuch'");
  EXPECT_EQ(ErrorOf("{{ 1 is nosuch }}"), "models/orders.sql:1:9: no test named 'nosuch'");
  EXPECT_EQ(ErrorOf("{{ [2, 1] | sort(foo=1) }}"),
            "models/orders.sql:1:13: sort() got an unexpected keyword argument 'foo'");
}

TEST(JinjaErrorTest, MacroArgumentErrors) {
  EXPECT_EQ(ErrorOf("{% macro m(a) %}{% endmacro %}\n{{ m(1, 2) }}"),
            "models/orders.sql:2:4: macro 'm' takes not more than 1 argument(s)");
  EXPECT_EQ(ErrorOf("{% macro m(a) %}{% endmacro %}{{ m(b=2) }}"),
            "models/orders.sql:1:34: macro 'm' takes no keyword argument 'b'");
  EXPECT_EQ(ErrorOf("{% macro m(a) %}{% endmacro %}{{ m(1, a=2) }}"),
            "models/orders.sql:1:34: macro 'm' got multiple values for argument 'a'");
}

TEST(JinjaErrorTest, ErrorInsideMacroPointsIntoTheMacro) {
  JinjaEnvironment env;
  env.AddMacroTemplate("macros/util.sql", "{% macro bad() %}\n  {{ 1 // 0 }}\n{% endmacro %}");
  env.AddTemplate("models/a.sql", "select {{ bad() }}");
  try {
    env.Render("models/a.sql");
    FAIL();
  } catch (const JinjaError& e) {
    EXPECT_EQ(e.message(), "macros/util.sql:2:8: integer division or modulo by zero");
  }
}

TEST(JinjaErrorTest, HostFunctionErrorsGetThePositionOfTheCall) {
  JinjaEnvironment env;
  env.AddFunction("ref", [](const CallArgs& args) -> Value {
    throw JinjaError("model '" + args.positional.at(0).Str() + "' not found");
  });
  env.AddTemplate("models/b.sql", "select *\nfrom {{ ref('missing') }}");
  try {
    env.Render("models/b.sql");
    FAIL();
  } catch (const JinjaError& e) {
    EXPECT_EQ(e.message(), "models/b.sql:2:9: model 'missing' not found");
    EXPECT_EQ(std::string(e.what()), "Jinja Error: models/b.sql:2:9: model 'missing' not found");
    EXPECT_EQ(e.position().line, 2);
    EXPECT_EQ(e.detail(), "model 'missing' not found");
  }
}

TEST(JinjaErrorTest, ReturnOutsideMacro) {
  EXPECT_EQ(ErrorOf("{{ return(1) }}"),
            "models/orders.sql:0:0: return() called outside of a macro");
}

TEST(JinjaErrorTest, RunawayRecursionIsReported) {
  EXPECT_EQ(
      ErrorOf("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}")
              .find("maximum recursion depth exceeded calling macro 'f'") != std::string::npos,
      true);
}

}  // namespace
}  // namespace sluice::jinja
