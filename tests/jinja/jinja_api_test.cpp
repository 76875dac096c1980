// The host API: native functions, host objects, custom filters and tests, template loading,
// imports and lexer options.
#include <gtest/gtest.h>

#include <thread>

#include "jinja/jinja_environment.h"
#include "jinja/jinja_error.h"

namespace sluice::jinja {
namespace {

// A dbt Relation-like host object: prints as its quoted name, exposes parts as attributes.
class RelationObject : public Object {
 public:
  RelationObject(std::string schema, std::string name)
      : schema_(std::move(schema)), name_(std::move(name)) {}
  std::string TypeName() const override { return "Relation"; }
  std::string Str() const override { return "\"" + schema_ + "\".\"" + name_ + "\""; }
  Value GetAttribute(std::string_view attr) const override {
    if (attr == "schema") return Value(schema_);
    if (attr == "identifier" || attr == "name") return Value(name_);
    if (attr == "render") {
      std::string s = Str();
      return MakeFunction("render", [s](const CallArgs&) { return Value(s); });
    }
    return Value::Undefined();
  }

 private:
  std::string schema_;
  std::string name_;
};

TEST(JinjaApiTest, NativeFunctionsGetPositionalAndKeywordArguments) {
  JinjaEnvironment env;
  env.AddFunction("describe", [](const CallArgs& args) {
    std::string out;
    for (const Value& v : args.positional) out += v.Repr() + ";";
    for (const auto& [k, v] : args.keyword) out += k + "=" + v.Repr() + ";";
    return Value(out);
  });
  EXPECT_EQ(env.RenderString("{{ describe(1, 'a', [none], x=true, y={'k': 1.5}) }}"),
            "1;'a';[None];x=True;y={'k': 1.5};");
  EXPECT_EQ(env.RenderString("{{ describe(*[1, 2], **{'z': 3}) }}"), "1;2;z=3;");
}

TEST(JinjaApiTest, NativeFunctionsReturnStructuredValues) {
  JinjaEnvironment env;
  env.AddFunction("load_result", [](const CallArgs&) {
    Dict table;
    table.Set(Value("columns"), Value::MakeList({Value("id"), Value("name")}));
    table.Set(Value("rows"), Value(int64_t{42}));
    return Value::MakeDict(std::move(table));
  });
  EXPECT_EQ(
      env.RenderString("{% set r = load_result() %}{{ r.columns | join(',') }} {{ r['rows'] }}"),
      "id,name 42");
}

TEST(JinjaApiTest, HostObjectsPrintAndExposeAttributes) {
  JinjaEnvironment env;
  Context context{{"this", Value(std::make_shared<RelationObject>("analytics", "orders"))}};
  EXPECT_EQ(
      env.RenderString("{{ this }} {{ this.schema }}.{{ this.identifier }} {{ this.render() }}"
                       " {{ this.nope is defined }}",
                       context),
      "\"analytics\".\"orders\" analytics.orders \"analytics\".\"orders\" False");
  EXPECT_THROW(env.RenderString("{% set this.x = 1 %}", context), JinjaError);
}

TEST(JinjaApiTest, ContextShadowsGlobalsAndSetShadowsContext) {
  JinjaEnvironment env;
  env.AddGlobal("name", Value("global"));
  EXPECT_EQ(env.RenderString("{{ name }}"), "global");
  EXPECT_EQ(env.RenderString("{{ name }}", {{"name", Value("context")}}), "context");
  EXPECT_EQ(env.RenderString("{% set name = 'local' %}{{ name }}", {{"name", Value("context")}}),
            "local");
}

TEST(JinjaApiTest, CustomFiltersAndTests) {
  JinjaEnvironment env;
  env.AddFilter("quote", [](const Value& v, const CallArgs& args) {
    std::string q = args.positional.empty() ? "\"" : args.positional[0].Str();
    return Value(q + v.Str() + q);
  });
  env.AddTest("relation", [](const Value& v, const CallArgs&) {
    return v.IsObject() && v.AsObject().TypeName() == "Relation";
  });
  Context context{{"r", Value(std::make_shared<RelationObject>("s", "t"))}};
  EXPECT_EQ(env.RenderString("{{ 'x' | quote }} {{ 'y' | quote(\"'\") }} {{ r is relation }} "
                             "{{ 1 is relation }} {{ ['a', 'b'] | map('quote') | join(',') }}",
                             context),
            "\"x\" 'y' True False \"a\",\"b\"");
}

TEST(JinjaApiTest, ListsAreSharedLikePythonReferences) {
  JinjaEnvironment env;
  Value seen = Value::MakeList();
  env.AddGlobal("seen", seen);
  env.RenderString("{% do seen.append(1) %}{% do seen.append('two') %}");
  EXPECT_EQ(seen.Repr(), "[1, 'two']");
}

TEST(JinjaApiTest, MacrosAreCallableFromCxxWithKeywordsAndCaller) {
  JinjaEnvironment env;
  env.AddMacroTemplate("macros/m.sql",
                       "{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}"
                       "{% macro boxed() %}[{{ caller() }}]{% endmacro %}");
  EXPECT_EQ(env.CallMacro("greet", {{Value("Ann")}, {}}).Str(), "Hi Ann!");
  EXPECT_EQ(env.CallMacro("greet", {{}, {{"name", Value("Bo")}, {"punct", Value("?")}}}).Str(),
            "Hi Bo?");
  Value caller = MakeFunction("caller", [](const CallArgs&) { return Value("inner"); });
  EXPECT_EQ(env.CallMacro("boxed", {{}, {{"caller", caller}}}).Str(), "[inner]");
  // Macros are values: passed around and called later.
  EXPECT_EQ(env.RenderString("{% set f = greet %}{{ f('Cy') }} {{ greet.name }}"), "Hi Cy! greet");
}

TEST(JinjaApiTest, ImportAndFromImport) {
  JinjaEnvironment env;
  env.AddTemplate("helpers.sql",
                  "{% set version = 3 %}{% set _private = 1 %}"
                  "{% macro upper_col(c) %}upper({{ c }}){% endmacro %}");
  EXPECT_EQ(
      env.RenderString("{% import 'helpers.sql' as h %}{{ h.upper_col('x') }} v{{ h.version }}"),
      "upper(x) v3");
  EXPECT_EQ(
      env.RenderString(
          "{% from 'helpers.sql' import upper_col as u, version %}{{ u('y') }} {{ version }}"),
      "upper(y) 3");
  EXPECT_THROW(env.RenderString("{% from 'helpers.sql' import _private %}"), JinjaError);
  EXPECT_THROW(env.RenderString("{% import 'missing.sql' as m %}"), JinjaError);
}

TEST(JinjaApiTest, IncludeSeesTheCurrentScope) {
  JinjaEnvironment env;
  env.AddTemplate("part.sql", "[{{ x }}]");
  EXPECT_EQ(env.RenderString("{% for x in [1, 2] %}{% include 'part.sql' %}{% endfor %}"),
            "[1][2]");
  EXPECT_EQ(env.RenderString("a{% include 'nope.sql' ignore missing %}b"), "ab");
  EXPECT_THROW(env.RenderString("{% include 'nope.sql' %}"), JinjaError);
}

TEST(JinjaApiTest, RenderUnknownTemplateFails) {
  JinjaEnvironment env;
  EXPECT_FALSE(env.HasTemplate("x"));
  EXPECT_THROW(env.Render("x"), JinjaError);
  env.AddTemplate("x", "{{ 1 }}");
  EXPECT_TRUE(env.HasTemplate("x"));
  EXPECT_EQ(env.Render("x"), "1");
}

TEST(JinjaApiTest, SyntaxErrorsSurfaceWhenTheTemplateIsAdded) {
  JinjaEnvironment env;
  EXPECT_THROW(env.AddTemplate("bad.sql", "{% if %}"), JinjaError);
  EXPECT_FALSE(env.HasTemplate("bad.sql"));
}

TEST(JinjaApiTest, LexerOptions) {
  LexerOptions trim;
  trim.trim_blocks = true;
  trim.lstrip_blocks = true;
  JinjaEnvironment env(trim);
  EXPECT_EQ(
      env.RenderString("<ul>\n  {% for x in [1, 2] %}\n  <li>{{ x }}</li>\n  {% endfor %}\n</ul>"),
      "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>");
  LexerOptions keep;
  keep.keep_trailing_newline = true;
  JinjaEnvironment keeping(keep);
  EXPECT_EQ(keeping.RenderString("a\n"), "a\n");
  JinjaEnvironment defaults;
  EXPECT_EQ(defaults.RenderString("a\n"), "a");
  EXPECT_EQ(defaults.RenderString("a\r\nb\r\n"), "a\nb");
}

TEST(JinjaApiTest, ConcurrentRendersShareOneEnvironment) {
  JinjaEnvironment env;
  env.AddMacroTemplate("macros/m.sql", "{% macro twice(x) %}{{ x }}{{ x }}{% endmacro %}");
  env.AddTemplate("t", "{% for i in range(n) %}{{ twice(i) }}{% endfor %}");
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int rep = 0; rep < 50; ++rep) results[t] = env.Render("t", {{"n", Value(t + 1)}});
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(results[0], "00");
  EXPECT_EQ(results[3], "00112233");
}

}  // namespace
}  // namespace sluice::jinja

namespace sluice::jinja {
namespace {

TEST(JinjaApiTest, MacroFilesLoadedDuringARenderKeepTheirTopLevelVariables) {
  JinjaEnvironment env;
  env.AddFunction("load_macros", [&env](const CallArgs&) {
    env.AddMacroTemplate(
        "macros/late.sql",
        "{% set suffix = '!' %}{% macro late(x) %}{{ x }}{{ suffix }}{% endmacro %}");
    return Value("");
  });
  EXPECT_EQ(env.RenderString("{{ load_macros() }}{{ late('a') }}"), "a!");
  EXPECT_EQ(env.RenderString("{{ late('b') }}"), "b!");
}

}  // namespace
}  // namespace sluice::jinja
