#!/usr/bin/env bash
# The ELT demo: raw orders land in an append-only raw table of the warehouse; a dbt-style
# project (demo/elt) refines them into staging views, an incremental fact table and a mart,
# with tests. It runs twice: the second run, after 5% new raw rows, processes only those.
#   demo/run.sh [DIR]   (default demo-data)
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-demo-data}
SLUICE=${SLUICE:-build/sluice}
DB=$DIR/warehouse
mkdir -p "$DIR"

echo "== 1. The DataFrame job over a raw CSV (sluice demo)"
"$SLUICE" demo --dir "$DIR" --rows 1000000

land() {  # land raw orders [from, to) into raw.orders (append only)
  "$SLUICE" sql --db "$DB" --no-progress -c "
    CREATE SCHEMA IF NOT EXISTS raw;
    CREATE TABLE IF NOT EXISTS raw.orders (order_id BIGINT, customer_id BIGINT, region VARCHAR,
      amount DOUBLE, order_date DATE);
    INSERT INTO raw.orders SELECT range AS order_id, (range * 7919) % 997 AS customer_id,
      'region-' || CAST(range % 5 AS VARCHAR) AS region,
      CAST((range * 104729) % 100000 AS DOUBLE) / 100 AS amount,
      DATE '2026-01-01' + CAST(range % 365 AS INTEGER) AS order_date
    FROM range($1, $2);"
  echo "landed raw orders $1..$(( $2 - 1 ))"
}

echo
echo "== 2. ELT: land 1,000,000 raw orders, then build the project (seeds, models, tests)"
if [ ! -d "$DB/raw" ]; then land 0 1000000; fi
"$SLUICE" build --project demo/elt --db "$DB" --target-path "$DIR/target"

echo
echo "== 3. 50,000 new raw orders arrive; the incremental model processes only them"
N=$("$SLUICE" sql --db "$DB" --format csv -c "SELECT count(*) AS n FROM raw.orders" | tail -1)
land "$N" $(( N + 50000 ))
"$SLUICE" build --project demo/elt --db "$DB" --target-path "$DIR/target"

echo
echo "== 4. The mart, read back with plain SQL from the warehouse"
"$SLUICE" sql --db "$DB" -c "SELECT * FROM revenue_by_region ORDER BY revenue DESC LIMIT 10"
