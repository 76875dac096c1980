select * from (select tier as value_field, count(*) as n_records from main.fct_orders group by tier) dbt_values where value_field not in ('gold', 'silver', 'bronze')
