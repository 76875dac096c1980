-- A small batch job for `sluice sql -f demo/job.sql`: a day of generated orders, cleaned,
-- aggregated per region and hour, ready to pipe as CSV or JSON.
WITH orders AS (
    SELECT range AS order_id,
           'region-' || CAST(range % 5 AS VARCHAR) AS region,
           CAST((range * 104729) % 100000 AS DOUBLE) / 100 AS amount,
           TIMESTAMP '2026-01-01 00:00:00' + INTERVAL (range % 86400) SECOND AS ordered_at
    FROM range(100000)
)
SELECT region,
       date_part('hour', ordered_at) AS hour,
       count(*) AS orders,
       round(sum(amount), 2) AS revenue
FROM orders
WHERE amount > 1
GROUP BY ALL
ORDER BY region, hour;
