-- Cleaned view over the raw layer: typed, filtered, nothing materialized.
select
    order_id,
    customer_id,
    region,
    amount,
    order_date
from raw.orders
where amount > 0
