#!/usr/bin/env bash
# The Python layer's cost: toPandas() of ROWS (10M) rows x 5 columns and a groupBy().agg()
# from Python, beside the same queries through `sluice sql` and DuckDB (node) in the same
# run. Usage (from the repository root): bash bench/python/run.sh [ROWS] [THREADS] [RUNS]
set -euo pipefail
ROWS=${1:-10000000}
THREADS=${2:-2}
RUNS=${3:-${RUNS:-3}}
SLUICE=${SLUICE:-build/sluice}
PYTHON=/usr/bin/python3
source bench/lib.sh
require_sluice bench/python
ensure_duckdb bench/python

DATA=bench/data/python
mkdir -p "$DATA"
FILE=$DATA/t_$ROWS.parquet
if [ ! -f "$FILE" ]; then
  "$SLUICE" sql --no-progress -c "COPY (SELECT range AS id, range % 1000 AS k,
    CAST(range % 997 AS DOUBLE) AS v, (range * 7) % 100000 AS w,
    CAST(range % 13 AS DOUBLE) / 3 AS x FROM range($ROWS)) TO '$FILE'"
fi

GROUP_SQL="SELECT k, sum(v) AS sv, count(*) AS n, avg(x) AS ax FROM '$FILE' GROUP BY k"
SCAN_SQL="SELECT sum(id), sum(k), sum(v), sum(w), sum(x) FROM '$FILE'"

# Best of RUNS of `sluice sql --timer` (the statement's own time, no process start).
sluice_time() {
  local best=""
  for _ in $(seq "$RUNS"); do
    t=$("$SLUICE" sql --no-progress --threads "$THREADS" --timer --format csv -c "$1" 2>&1 >/dev/null |
        sed -n 's/^Run Time: \([0-9.]*\) s.*/\1/p' | tail -1)
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
  done
  echo "$best"
}

echo "rows=$ROWS threads=$THREADS runs=$RUNS file=$FILE"
PYTHONPATH=build/python "$PYTHON" bench/python/bench.py "$FILE" "$THREADS" "$RUNS"
echo "{\"name\": \"sluice_sql_scan_5_columns\", \"seconds\": $(sluice_time "$SCAN_SQL")}"
echo "{\"name\": \"sluice_sql_groupby\", \"seconds\": $(sluice_time "$GROUP_SQL")}"
if [ -d bench/duckdb/node_modules/@duckdb/node-api ]; then
  node bench/duckdb/python.mjs "$FILE" "$THREADS" "$RUNS"
fi
