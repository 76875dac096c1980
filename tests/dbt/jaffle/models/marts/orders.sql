{{ config(materialized='table', tags=['finance']) }}
with orders as (
    select * from {{ ref('stg_orders') }}
)
select
    orders.order_id,
    orders.customer_id,
    orders.order_date,
    orders.status,
    {% for method in var('payment_methods') -%}
    order_payments.{{ method }}_amount,
    {% endfor -%}
    order_payments.total_amount as amount
from orders
left join {{ ref('order_payments') }} order_payments on orders.order_id = order_payments.order_id
