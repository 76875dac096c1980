{#- The incremental fact table of bench/dbt/run.sh: a run after new raw events landed reads
    only the events newer than the table holds and merges them on event_id. The
    incremental_predicates bound the target rows the merge has to look at: only events since
    MERGE_SINCE (env; run.sh sets it to the newest event already built minus 3 days) can match,
    as late data never arrives later than that. -#}
{{
  config(
    materialized='incremental',
    unique_key='event_id',
    incremental_strategy='merge',
    incremental_predicates=[
      "DBT_INTERNAL_DEST.updated_at >= timestamp '" ~ env_var('MERGE_SINCE', '1970-01-01') ~ "'"
    ]
  )
}}
select
    event_id,
    customer_id,
    event_type,
    cast(amount_cents as double) / 100 as amount,
    updated_at
from {{ source('raw', 'events') }}
{% if is_incremental() %}
where updated_at > (select max(updated_at) from {{ this }})
{% endif %}
