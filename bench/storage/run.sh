#!/usr/bin/env bash
# Storage side by side: Sluice and DuckDB over the same TPC-H SF1 lineitem Parquet files, in
# one run, with the same thread count: (a) a scan of every column, (b) a filter on l_orderkey
# that row-group statistics prune, (c) writing lineitem to one Parquet file (COPY ... TO).
# Prints seconds, the ratio Sluice/DuckDB and whether the answers agree.
#   bench/storage/run.sh [THREADS]       (default: all cores)
# Environment: RUNS (runs per workload, best kept; default 1), SLUICE (default build/sluice).
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
THREADS=${1:-$(nproc)}
SLUICE=${SLUICE:-build/sluice}
DATA=bench/data/tpch-sf1-parquet
OUT=bench/data/storage-out

require_sluice "storage"
ensure_duckdb "storage"

# Written once, by Sluice; .complete marks a finished generation.
if [ ! -f "$DATA/.complete" ]; then
  echo "storage: generating TPC-H SF 1 as Parquet into $DATA ..." >&2
  "$SLUICE" gen tpch --sf 1 --out "$DATA" --format parquet --threads "$THREADS" >&2
  touch "$DATA/.complete"
fi

node bench/storage/bench.mjs "$(realpath "$SLUICE")" "$(realpath "$DATA/lineitem")" \
  "$(realpath -m "$OUT")" "$THREADS" "${RUNS:-1}"
rm -rf "$OUT"
