-- Lands 100,000 raw orders in the append-only raw.orders table that the demo/elt project
-- refines (demo/run.sh lands its own batches the same way). Run it again: the next batch
-- lands after the orders already there.
CREATE SCHEMA IF NOT EXISTS raw;
CREATE TABLE IF NOT EXISTS raw.orders (order_id BIGINT, customer_id BIGINT, region VARCHAR,
    amount DOUBLE, order_date DATE);
INSERT INTO raw.orders
SELECT n AS order_id, (n * 7919) % 997 AS customer_id,
       'region-' || CAST(n % 5 AS VARCHAR) AS region,
       CAST((n * 104729) % 100000 AS DOUBLE) / 100 AS amount,
       DATE '2026-01-01' + CAST(n % 365 AS INTEGER) AS order_date
FROM (SELECT range + (SELECT coalesce(max(order_id) + 1, 0) FROM raw.orders) AS n
      FROM range(100000));
