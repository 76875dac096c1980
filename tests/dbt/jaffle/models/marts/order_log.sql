{{ config(materialized='incremental', unique_key='order_id', incremental_strategy='merge') }}
-- Each run adds only the orders newer than those already loaded.
select
    order_id,
    customer_id,
    status,
    '{{ var("load_tag") }}' as load_tag
from {{ ref('stg_orders') }}
{% if is_incremental() %}
where order_id > (select max(order_id) from {{ this }})
{% endif %}
