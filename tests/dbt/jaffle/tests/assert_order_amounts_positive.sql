-- Singular test: every order with payments has a positive amount.
select order_id, amount
from {{ ref('orders') }}
where amount <= 0
