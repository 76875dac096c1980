select * from main.fct_orders where order_id is null
