-- The mart: revenue per region and customer tier.
select
    region,
    tier,
    count(*) as orders,
    sum(amount) as revenue,
    avg(amount) as avg_amount
from main.fct_orders
group by region, tier
