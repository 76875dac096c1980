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

echo
echo "== 5. The ML pipeline: raw events -> features (dbt) -> point-in-time training set ->"
echo "      CREATE MODEL with a temporal split -> ML.EVALUATE -> batch scores in Redis ->"
echo "      one online prediction over HTTP (docs/ml.md)"
if ! command -v redis-server >/dev/null; then
  echo "redis-server is not installed (scripts/install-deps.sh): skipping the ML story"
  exit 0
fi
"$SLUICE" sql --db "$DB" --no-progress -c "
  CREATE SCHEMA IF NOT EXISTS raw;
  CREATE TABLE IF NOT EXISTS raw.events AS SELECT (range * 7919) % 2000 AS user_id,
    TIMESTAMP '2026-01-01' + INTERVAL ((range * 104729) % 86400) MINUTE AS event_ts,
    CASE WHEN range % 3 = 0 THEN 'click' ELSE 'view' END AS kind,
    CAST(((range * 7919) % 2000) % 10 * ((range * 31) % 7) AS DOUBLE) AS amount
  FROM range(200000);
  CREATE TABLE IF NOT EXISTS raw.labels AS SELECT u.range AS user_id,
    TIMESTAMP '2026-01-10' + INTERVAL (w.range * 7) DAY AS event_timestamp,
    (u.range % 10 < 3) <> ((u.range * 13 + w.range * 5) % 11 = 0) AS churned
  FROM range(2000) u, range(7) w;"
"$SLUICE" build --project demo/ml --db "$DB" --target-path "$DIR/ml-target"
"$SLUICE" features apply --project demo/ml/features --db "$DB"
"$SLUICE" sql --db "$DB" --no-progress -c "
  CREATE OR REPLACE MODEL churn OPTIONS (model_type = 'boosted_tree_classifier',
    input_label_cols = ['churned'], data_split_method = 'SEQ',
    data_split_col = 'event_timestamp', data_split_eval_fraction = 0.2,
    max_iterations = 20, max_tree_depth = 4, seed = 1)
  AS SELECT events, clicks, spend, churned, event_timestamp
     FROM get_historical_features(TABLE raw.labels, ['user_daily:events', 'user_daily:clicks', 'user_daily:spend']);
  SELECT round(accuracy, 3) AS accuracy, round(roc_auc, 3) AS roc_auc, round(log_loss, 3) AS log_loss
  FROM ML.EVALUATE(MODEL churn);"

REDIS_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --loglevel warning \
  --dir "$DIR" >"$DIR/redis.log" 2>&1 &
REDIS_PID=$!
SERVE_PID=""
trap '[ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null; kill "$REDIS_PID" 2>/dev/null; wait 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done
URL="redis://127.0.0.1:$REDIS_PORT/0"
echo "redis-server on 127.0.0.1:$REDIS_PORT (private, stopped at the end)"
"$SLUICE" ml score --db "$DB" --model churn --key user_id --to "$URL" \
  --query "SELECT * FROM get_historical_features((SELECT user_id, TIMESTAMP '2026-03-03' AS event_timestamp FROM range(2000) t(user_id)), ['user_daily:events', 'user_daily:clicks', 'user_daily:spend'])"
# The demo's data is of a past day: materialized without a Redis expiry (which would drop
# values past their TTL by the wall clock), and the online features' TTL is checked as of the
# data's day (--as-of).
"$SLUICE" features materialize-incremental '2026-03-03' --db "$DB" --redis "$URL" --no-expire
"$SLUICE" serve --db "$DB" --model churn --features user_daily --redis "$URL" --port 0 \
  --as-of '2026-03-03' >"$DIR/serve.out" 2>&1 &
SERVE_PID=$!
for _ in $(seq 1 100); do grep -q "listening on" "$DIR/serve.out" 2>/dev/null && break; sleep 0.05; done
PORT=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$DIR/serve.out")
python3 - "$PORT" <<'PY'
import json, sys, urllib.request
base = f"http://127.0.0.1:{sys.argv[1]}"
req = urllib.request.Request(base + "/v1/predict", data=b'{"entity": {"user_id": 42}}', method="POST")
print("POST /v1/predict user 42 (online features):", urllib.request.urlopen(req).read().decode())
print("GET /v1/scores/42 (nightly batch score):", urllib.request.urlopen(base + "/v1/scores/42").read().decode())
PY
