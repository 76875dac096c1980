

-- One row per order with its customer tier. Incremental: a run after new raw rows landed
-- processes only those rows and merges them in.
select
    o.order_id,
    o.customer_id,
    o.region,
    o.amount,
    o.order_date,
    case
        when o.customer_id % 10 = 0 then 'gold'
        when o.customer_id % 10 < 4 then 'silver'
        else 'bronze'
    end as tier
from main.stg_orders o

