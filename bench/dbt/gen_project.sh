#!/usr/bin/env bash
# Writes a generated dbt project of N models for the compile/parse benchmark:
#   bench/dbt/gen_project.sh DIR [N]        (default N = 1000)
# The mix is what real projects hold: 20 staging models over a source, then layers where
# each model refs 1-3 earlier models, calls project macros (one with a for loop), loops over
# a metric list itself, sets config() (table / view / incremental with is_incremental()),
# and every directory of 50 models has a schema.yml with column tests (unique, not_null,
# accepted_values, relationships). Deterministic: the same N gives the same files.
set -euo pipefail
DIR=${1:?usage: gen_project.sh DIR [N]}
N=${2:-1000}
rm -rf "$DIR"
mkdir -p "$DIR/models/staging" "$DIR/macros"
RANDOM=42  # a fixed seed: the same project every time

cat > "$DIR/dbt_project.yml" <<YML
name: bench_project
version: '1.0'
profile: bench
model-paths: ["models"]
vars:
  metrics: ['amount', 'quantity', 'discount']
  start_date: '2026-01-01'
models:
  bench_project:
    staging:
      +materialized: view
      +tags: ['staging']
    marts:
      +materialized: table
YML

cat > "$DIR/macros/money.sql" <<'SQL'
{% macro cents_to_dollars(column, scale=2) -%}
    round(cast({{ column }} as double) / 100, {{ scale }})
{%- endmacro %}

{% macro safe_divide(numerator, denominator) -%}
    case when {{ denominator }} = 0 then null else {{ numerator }} / {{ denominator }} end
{%- endmacro %}
SQL

cat > "$DIR/macros/pivot.sql" <<'SQL'
{% macro sum_by_kind(column, kinds) -%}
    {%- for kind in kinds %}
    sum(case when kind = '{{ kind }}' then {{ column }} else 0 end) as {{ column }}_{{ kind }}
    {%- if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}

{% macro recent_filter(column, days=7) -%}
    {{ column }} >= date '{{ var("start_date") }}' - interval '{{ days }} days'
{%- endmacro %}
SQL

cat > "$DIR/models/sources.yml" <<'YML'
version: 2
sources:
  - name: raw
    tables:
      - name: events
      - name: customers
YML

# Staging models: 20 views over the source.
{
  echo "version: 2"
  echo "models:"
} > "$DIR/models/staging/schema.yml"
for i in $(seq 0 19); do
  cat > "$DIR/models/staging/stg_$i.sql" <<SQL
-- Staging model $i: typed and renamed columns of raw.events.
select
    event_id as id,
    customer_id,
    'k' || cast(event_id % $(( i % 5 + 2 )) as varchar) as kind,
    {{ cents_to_dollars('amount_cents') }} as amount,
    quantity,
    discount,
    updated_at
from {{ source('raw', 'events') }}
where event_id % 20 = $i
SQL
  cat >> "$DIR/models/staging/schema.yml" <<YML
  - name: stg_$i
    description: Staging model $i.
    columns:
      - name: id
        tests: [unique, not_null]
      - name: customer_id
        tests: [not_null]
YML
done

# Mart models in directories of 50, each ref-ing 1-3 earlier models.
for (( i = 20; i < N; i++ )); do
  d=$(( i / 50 ))
  sub="$DIR/models/marts/layer_$d"
  if [ ! -d "$sub" ]; then
    mkdir -p "$sub"
    printf 'version: 2\nmodels:\n' > "$sub/schema.yml"
  fi
  # Parents: one of the 40 models before (a deep DAG) and two anywhere before.
  near=$(( i < 40 ? i : 40 ))
  p1=$(( i - 1 - RANDOM % near ))
  p2=$(( RANDOM % i ))
  p3=$(( RANDOM % i ))
  name_of() { if [ "$1" -lt 20 ]; then echo "stg_$1"; else echo "m_$1"; fi; }
  n1=$(name_of $p1); n2=$(name_of $p2); n3=$(name_of $p3)
  case $(( i % 4 )) in
    0) # an aggregate over one upstream model, with the pivot macro
      cat > "$sub/m_$i.sql" <<SQL
{{ config(materialized='table', tags=['daily', 'layer_$d']) }}
{% set kinds = ['k0', 'k1', 'k2'] %}
select
    customer_id as id,
    customer_id,
    'k0' as kind,
    count(*) as quantity,
    {{ sum_by_kind('amount', kinds) }},
    sum(amount) as amount,
    max(discount) as discount,
    max(updated_at) as updated_at
from {{ ref('$n1') }}
group by customer_id
SQL
      ;;
    1) # a join of two upstream models, metrics looped from a var
      cat > "$sub/m_$i.sql" <<SQL
{{ config(materialized='view') }}
select
    a.id,
    a.customer_id,
    a.kind,
    {%- for metric in var('metrics') %}
    coalesce(a.{{ metric }}, 0) + coalesce(b.{{ metric }}, 0) as {{ metric }},
    {%- endfor %}
    {{ safe_divide('a.amount', 'a.quantity') }} as unit_price,
    a.updated_at
from {{ ref('$n1') }} a
left join {{ ref('$n2') }} b on a.id = b.id
SQL
      ;;
    2) # an incremental model
      cat > "$sub/m_$i.sql" <<SQL
{{
  config(
    materialized='incremental',
    unique_key='id',
    incremental_strategy='merge',
    on_schema_change='append_new_columns'
  )
}}
select id, customer_id, kind, amount, quantity, discount, updated_at
from (
    select *, row_number() over (partition by id order by updated_at desc, kind) as newest
    from {{ ref('$n1') }}
    {%- if is_incremental() %}
    where updated_at > (select max(updated_at) from {{ this }})
      and {{ recent_filter('updated_at', 3) }}
    {%- endif %}
) deduplicated
where newest = 1
SQL
      ;;
    3) # a union of three upstream models
      cat > "$sub/m_$i.sql" <<SQL
{%- set parents = ['$n1', '$n2', '$n3'] %}
with unioned as (
{%- for p in parents %}
    select id, customer_id, kind, amount, quantity, discount, updated_at, '{{ p }}' as origin
    from {{ ref(p) }}
    {%- if not loop.last %} union all{% endif %}
{%- endfor %}
)
select id, customer_id, kind, amount, quantity, discount, updated_at
from unioned
where {{ recent_filter('updated_at') }}
SQL
      ;;
  esac
  {
    echo "  - name: m_$i"
    echo "    description: Generated model $i of layer $d."
    echo "    columns:"
    echo "      - name: id"
    if (( i % 4 == 0 || i % 4 == 2 )); then echo "        tests: [unique, not_null]"; else echo "        tests: [not_null]"; fi
    echo "      - name: kind"
    echo "        tests:"
    echo "          - accepted_values:"
    echo "              values: ['k0', 'k1', 'k2', 'k3', 'k4', 'k5']"
    echo "      - name: customer_id"
    echo "        tests:"
    echo "          - relationships:"
    echo "              to: ref('$n1')"
    echo "              field: customer_id"
  } >> "$sub/schema.yml"
done
echo "generated $N models in $DIR" >&2
