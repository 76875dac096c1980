// Realistic dbt model and macro snippets, rendered through the host API the dbt layer uses.
#include <gtest/gtest.h>

#include "jinja/jinja_environment.h"
#include "jinja/jinja_error.h"

namespace sluice::jinja {
namespace {

// A minimal dbt-like host: ref(), source(), config() recording its keyword arguments,
// is_incremental() and var().
class DbtHostTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.AddFunction("ref", [](const CallArgs& args) {
      return Value("\"analytics\".\"" + args.positional.at(0).Str() + "\"");
    });
    env_.AddFunction("source", [](const CallArgs& args) {
      return Value("\"raw\".\"" + args.positional.at(0).Str() + "_" + args.positional.at(1).Str() +
                   "\"");
    });
    env_.AddFunction("config", [this](const CallArgs& args) {
      for (const auto& [key, value] : args.keyword) config_[key] = value;
      return Value("");
    });
    env_.AddFunction("is_incremental", [this](const CallArgs&) { return Value(incremental_); });
    env_.AddFunction("var", [](const CallArgs& args) {
      if (args.positional.at(0).Str() == "start_date") return Value("2024-01-01");
      return args.positional.size() > 1 ? args.positional[1] : Value::None();
    });
  }

  JinjaEnvironment env_;
  std::unordered_map<std::string, Value> config_;
  bool incremental_ = false;
};

TEST_F(DbtHostTest, ConfigRecordsAndRendersEmpty) {
  env_.AddTemplate("models/orders.sql",
                   "{{ config(materialized='table', unique_key='id', tags=['a', 'b']) }}\n"
                   "select * from {{ ref('stg_orders') }}\n");
  EXPECT_EQ(env_.Render("models/orders.sql"), "\nselect * from \"analytics\".\"stg_orders\"");
  ASSERT_EQ(config_.count("materialized"), 1u);
  EXPECT_EQ(config_["materialized"].Str(), "table");
  EXPECT_EQ(config_["unique_key"].Str(), "id");
  EXPECT_EQ(config_["tags"].Repr(), "['a', 'b']");
}

TEST_F(DbtHostTest, IsIncrementalBlock) {
  const char* model =
      "select * from {{ source('shop', 'events') }}\n"
      "{% if is_incremental() %}\n"
      "where event_time > (select max(event_time) from {{ this }})\n"
      "{% endif %}\n";
  env_.AddTemplate("models/events.sql", model);
  Context context{{"this", Value("\"analytics\".\"events\"")}};
  // As in Jinja, the block's own newlines stay and the template's final newline is dropped.
  EXPECT_EQ(env_.Render("models/events.sql", context), "select * from \"raw\".\"shop_events\"\n");
  incremental_ = true;
  EXPECT_EQ(env_.Render("models/events.sql", context),
            "select * from \"raw\".\"shop_events\"\n\n"
            "where event_time > (select max(event_time) from \"analytics\".\"events\")\n");
}

TEST_F(DbtHostTest, PaymentMethodPivotFromJaffleShop) {
  env_.AddTemplate(
      "models/orders.sql",
      R"sql({% set payment_methods = ['credit_card', 'coupon', 'bank_transfer', 'gift_card'] %}

with payments as (
    select * from {{ ref('stg_payments') }}
),

order_payments as (
    select
        order_id,
        {% for payment_method in payment_methods -%}
        sum(case when payment_method = '{{ payment_method }}' then amount else 0 end) as {{ payment_method }}_amount,
        {% endfor -%}
        sum(amount) as total_amount
    from payments
    group by order_id
)

select * from order_payments
)sql");
  EXPECT_EQ(env_.Render("models/orders.sql"), R"sql(

with payments as (
    select * from "analytics"."stg_payments"
),

order_payments as (
    select
        order_id,
        sum(case when payment_method = 'credit_card' then amount else 0 end) as credit_card_amount,
        sum(case when payment_method = 'coupon' then amount else 0 end) as coupon_amount,
        sum(case when payment_method = 'bank_transfer' then amount else 0 end) as bank_transfer_amount,
        sum(case when payment_method = 'gift_card' then amount else 0 end) as gift_card_amount,
        sum(amount) as total_amount
    from payments
    group by order_id
)

select * from order_payments)sql");
}

TEST_F(DbtHostTest, CaseMacroFromMacroFile) {
  auto names = env_.AddMacroTemplate("macros/payment_case.sql", R"sql(
{% macro payment_case(column, methods) -%}
    case {{ column }}
    {%- for method in methods %}
        when '{{ method }}' then {{ loop.index }}
    {%- endfor %}
        else 0
    end
{%- endmacro %}
)sql");
  EXPECT_EQ(names, std::vector<std::string>{"payment_case"});
  env_.AddTemplate(
      "models/m.sql",
      "select {{ payment_case('payment_method', ['credit_card', 'coupon']) }} as code");
  EXPECT_EQ(env_.Render("models/m.sql"),
            "select case payment_method\n"
            "        when 'credit_card' then 1\n"
            "        when 'coupon' then 2\n"
            "        else 0\n"
            "    end as code");
}

TEST_F(DbtHostTest, ReturnMakesTheMacroCallEvaluateToAValue) {
  env_.AddMacroTemplate("macros/cols.sql", R"sql(
{% macro get_columns() %}
  {% set cols = [] %}
  {% for c in ['id', 'amount', '_loaded_at'] if not c.startswith('_') %}
    {% do cols.append(c) %}
  {% endfor %}
  {{ return(cols) }}
  never rendered
{% endmacro %}
{% macro cents_to_dollars(column_name, precision=2) -%}
    ({{ column_name }} / 100)::numeric(16, {{ precision }})
{%- endmacro %}
)sql");
  env_.AddTemplate(
      "models/m.sql",
      "{% set cols = get_columns() %}select {{ cols | join(', ') }}, "
      "{{ cents_to_dollars('amount') }} as dollars, {{ get_columns() | length }} as n");
  EXPECT_EQ(env_.Render("models/m.sql"),
            "select id, amount, (amount / 100)::numeric(16, 2) as dollars, 2 as n");
  // The value is the list itself, not its rendering.
  Value cols = env_.CallMacro("get_columns", {});
  ASSERT_TRUE(cols.IsList());
  EXPECT_EQ(cols.Repr(), "['id', 'amount']");
}

TEST_F(DbtHostTest, ReturnInsideLoopAndCallerReachesTheMacro) {
  env_.AddMacroTemplate("macros/find.sql", R"sql(
{% macro find_first_even(xs) %}{% for x in xs %}{% if x is even %}{{ return(x) }}{% endif %}{% endfor %}{{ return(none) }}{% endmacro %}
{% macro wrap() %}[{{ caller() }}]{% endmacro %}
{% macro via_caller() %}{% call wrap() %}{{ return('from caller') }}{% endcall %}{% endmacro %}
)sql");
  EXPECT_EQ(env_.CallMacro("find_first_even", {{Value::MakeList({1, 3, 4, 6})}, {}}).Repr(), "4");
  EXPECT_TRUE(env_.CallMacro("find_first_even", {{Value::MakeList({1})}, {}}).IsNone());
  EXPECT_EQ(env_.CallMacro("via_caller", {}).Str(), "from caller");
}

TEST_F(DbtHostTest, MacrosCallEachOtherAcrossFilesAndSeeTheModelContext) {
  env_.AddMacroTemplate("macros/a.sql", "{% macro quoted(x) %}\"{{ x }}\"{% endmacro %}");
  env_.AddMacroTemplate("macros/b.sql",
                        "{% macro this_table() %}{{ quoted(model_name) }}{% endmacro %}");
  env_.AddTemplate("models/x.sql", "select 1 from {{ this_table() }}");
  EXPECT_EQ(env_.Render("models/x.sql", {{"model_name", Value("x")}}), "select 1 from \"x\"");
  EXPECT_EQ(env_.Render("models/x.sql", {{"model_name", Value("y")}}), "select 1 from \"y\"");
  EXPECT_EQ(env_.CallMacro("this_table", {}, {{"model_name", Value("z")}}).Str(), "\"z\"");
}

TEST_F(DbtHostTest, MacroOverridesAreLaterRegistrations) {
  env_.AddMacroTemplate("macros/one.sql", "{% macro m() %}one{% endmacro %}");
  env_.AddMacroTemplate("macros/two.sql", "{% macro m() %}two{% endmacro %}");
  EXPECT_EQ(env_.RenderString("{{ m() }}"), "two");
  ASSERT_NE(env_.FindMacro("m"), nullptr);
  EXPECT_EQ(env_.FindMacro("nope"), nullptr);
  EXPECT_THROW(env_.CallMacro("nope", {}), JinjaError);
}

TEST_F(DbtHostTest, VarWithDefaultAndNamespaceAccumulator) {
  env_.AddTemplate("models/m.sql", R"sql({%- set ns = namespace(cols=[], first=true) -%}
{%- for c in ['a', 'b', 'c'] -%}
  {%- if not ns.first %}, {% endif -%}
  {%- set ns.first = false -%}
  {{ c }}
{%- endfor %} where d >= '{{ var('start_date') }}' and e = {{ var('missing', 5) }})sql");
  EXPECT_EQ(env_.Render("models/m.sql"), "a, b, c where d >= '2024-01-01' and e = 5");
}

TEST_F(DbtHostTest, GenerateSchemaNameStyleMacro) {
  env_.AddMacroTemplate("macros/generate_schema_name.sql", R"sql(
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set default_schema = target.schema -%}
    {%- if custom_schema_name is none -%}
        {{ default_schema }}
    {%- else -%}
        {{ default_schema }}_{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
)sql");
  Dict target;
  target.Set(Value("schema"), Value("dev"));
  Context context{{"target", Value::MakeDict(std::move(target))}};
  EXPECT_EQ(
      env_.CallMacro("generate_schema_name", {{Value::None(), Value::None()}, {}}, context).Str(),
      "dev");
  EXPECT_EQ(env_.CallMacro("generate_schema_name", {{Value(" marts "), Value::None()}, {}}, context)
                .Str(),
            "dev_marts");
}

TEST_F(DbtHostTest, DateSpineLoopWithRangeAndFormat) {
  EXPECT_EQ(env_.RenderString("{% for i in range(3) %}{{ \"day_%02d\" | format(i + 1) }}"
                              "{{ \", \" if not loop.last }}{% endfor %}"),
            "day_01, day_02, day_03");
}

}  // namespace
}  // namespace sluice::jinja

namespace sluice::jinja {
namespace {

TEST(JinjaDbtBlocksTest, TestMaterializationSnapshotAndDocsBlocksDefineMacros) {
  JinjaEnvironment env;
  auto names = env.AddMacroTemplate("macros/blocks.sql", R"sql(
{% test is_positive(model, column_name) %}
select * from {{ model }} where {{ column_name }} <= 0
{% endtest %}
{% materialization my_view, adapter='sluice', supported_languages=['sql'] %}create view{% endmaterialization %}
{% materialization my_table, default %}create table{% endmaterialization %}
{% snapshot orders_snapshot %}select 1{% endsnapshot %}
{% docs orders %}All **orders**.{% enddocs %}
)sql");
  EXPECT_EQ(names, (std::vector<std::string>{"docs_orders", "materialization_my_table_default",
                                             "materialization_my_view_sluice",
                                             "snapshot_orders_snapshot", "test_is_positive"}));
  EXPECT_EQ(
      env.CallMacro("test_is_positive", {{}, {{"model", Value("t")}, {"column_name", Value("x")}}})
          .Str(),
      "\nselect * from t where x <= 0\n");
  EXPECT_EQ(env.CallMacro("materialization_my_view_sluice", {}).Str(), "create view");
  EXPECT_EQ(env.CallMacro("docs_orders", {}).Str(), "All **orders**.");
}

TEST(JinjaDbtBlocksTest, IntegersOfAnyWidthConvert) {
  std::vector<int> v{1, 2, 3};
  EXPECT_EQ(Value(v.size()).Repr(), "3");
  EXPECT_EQ(Value(static_cast<uint8_t>(7)).Repr(), "7");
  EXPECT_EQ(Value(-5LL).Repr(), "-5");
}

}  // namespace
}  // namespace sluice::jinja
