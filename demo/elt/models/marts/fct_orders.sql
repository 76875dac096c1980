{{ config(materialized='incremental', unique_key='order_id', incremental_strategy='merge') }}
{% set tiers = {'gold': '= 0', 'silver': '< 4'} %}
-- One row per order with its customer tier. Incremental: a run after new raw rows landed
-- processes only those rows and merges them in.
select
    o.order_id,
    o.customer_id,
    o.region,
    o.amount,
    o.order_date,
    case
    {%- for tier, test in tiers.items() %}
        when o.customer_id % 10 {{ test }} then '{{ tier }}'
    {%- endfor %}
        else 'bronze'
    end as tier
from {{ ref('stg_orders') }} o
{% if is_incremental() %}
where o.order_id > (select coalesce(max(order_id), -1) from {{ this }})
{% endif %}
