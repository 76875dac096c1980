#!/usr/bin/env bash
# TPC-H side by side: generates the data set once (sluice gen tpch), loads it in Sluice and in
# DuckDB with the same SQL (load.sql), runs q01..q22 in both with the same thread count in
# this run, checks that the answers agree and prints per-query times, the ratio Sluice/DuckDB
# and the geometric mean. A failing query is reported (error / wrong answer) and the run goes on.
#   bench/tpch/run.sh [SF] [THREADS]        (defaults: SF 1, all cores)
# Environment: FORMAT (parquet, default: both engines read views over the Parquet files in every
#   query, as the issue's measurements; memory: CREATE TABLE ... AS read_csv, tables held in
#   memory and their load not timed; iceberg: Sluice reads the tables of a warehouse made once
#   from the Parquet files (bench/data/tpch-sf<SF>-iceberg), DuckDB the Parquet files), RUNS (runs per query, best kept; default 1), QUERY_TIMEOUT (s, default 600),
#   SLUICE (binary, default build/sluice), QUERIES (e.g. "q01 q06"; default all 22).
set -uo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
SF=${1:-1}
THREADS=${2:-$(nproc)}
RUNS=${RUNS:-1}
FORMAT=${FORMAT:-parquet}
case "$FORMAT" in parquet|memory|iceberg) ;; *) echo "tpch: FORMAT must be parquet, memory or iceberg" >&2; exit 2 ;; esac
export TPCH_FORMAT=$FORMAT
QUERY_TIMEOUT=${QUERY_TIMEOUT:-600}
SLUICE=${SLUICE:-build/sluice}
read -r -a QUERY_LIST <<< "${QUERIES:-}"
if [ "$FORMAT" != memory ]; then DATA=bench/data/tpch-sf$SF-parquet; GEN_FORMAT=parquet
else DATA=bench/data/tpch-sf$SF; GEN_FORMAT=csv; fi
RESULTS=$DATA-results
[ "$FORMAT" = iceberg ] && RESULTS=bench/data/tpch-sf$SF-iceberg-results
mkdir -p "$RESULTS"

require_sluice "tpch"
ensure_duckdb "tpch"

# The data set is written once; .complete marks a finished generation.
if [ ! -f "$DATA/.complete" ]; then
  echo "tpch: generating SF $SF into $DATA ..." >&2
  "$SLUICE" gen tpch --sf "$SF" --format "$GEN_FORMAT" --out "$DATA" --threads "$THREADS" >&2 || exit 1
  touch "$DATA/.complete"
fi
DATA_ABS=$(realpath "$DATA")
if [ "$FORMAT" = iceberg ]; then
  # The warehouse: each table written once from the Parquet files (CREATE TABLE ... AS).
  DB=bench/data/tpch-sf$SF-iceberg
  if [ ! -f "$DB/.complete" ]; then
    echo "tpch: writing the Parquet files into Iceberg tables of $DB ..." >&2
    rm -rf "$DB"
    for t in customer lineitem nation orders part partsupp region supplier; do
      echo "CREATE TABLE $t AS SELECT * FROM read_parquet('$DATA_ABS/$t/*.parquet');"
    done > "$RESULTS/iceberg_load.sql"
    "$SLUICE" sql --db "$DB" --no-progress --threads "$THREADS" -f "$RESULTS/iceberg_load.sql" >&2 || exit 1
    touch "$DB/.complete"
  fi
  export TPCH_DB=$(realpath "$DB")
  export TPCH_FORMAT=iceberg
fi

echo "tpch: Sluice, one process per query (SF $SF, $FORMAT, $THREADS threads, $RUNS run(s)) ..." >&2
node bench/tpch/sluice_tpch.mjs "$SLUICE" "$DATA_ABS" "$THREADS" "$SF" "$RUNS" "$QUERY_TIMEOUT" \
  "${QUERY_LIST[@]}" > "$RESULTS/sluice.jsonl"
if [ -d bench/duckdb/node_modules/@duckdb/node-api ]; then
  echo "tpch: DuckDB ..." >&2
  [ "$FORMAT" = iceberg ] && export TPCH_FORMAT=parquet  # DuckDB reads the Parquet files
  node bench/tpch/duckdb_tpch.mjs "$DATA_ABS" "$THREADS" "$SF" "$RUNS" "${QUERY_LIST[@]}" \
    > "$RESULTS/duckdb.jsonl" || echo "tpch: DuckDB side failed" >&2
else
  : > "$RESULTS/duckdb.jsonl"
fi
node bench/tpch/report.mjs "$RESULTS/sluice.jsonl" "$RESULTS/duckdb.jsonl" \
  "TPC-H SF $SF ($FORMAT), $THREADS threads, best of $RUNS run(s); Sluice time excludes its per-query load"
