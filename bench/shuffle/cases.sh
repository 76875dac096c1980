#!/usr/bin/env bash
# Join strategies and spilling side by side with DuckDB: a fact joined to a 10 k-row dimension
# by broadcast and by forced sort-merge; a GROUP BY, a join and a full sort under
# memory_limit='500MB' with time and peak RSS per engine (each workload in its own process).
#   bench/shuffle/cases.sh [ROWS] [THREADS] [WORKLOAD-PREFIX]   (defaults: 50000000, all cores)
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
ROWS=${1:-50000000}
THREADS=${2:-$(nproc)}
SLUICE=${SLUICE:-build/sluice}
require_sluice "shuffle"
ensure_duckdb "shuffle"
OUT=bench/data/shuffle-out
mkdir -p "$OUT"
node bench/shuffle/cases.mjs "$(realpath "$SLUICE")" "$THREADS" "$ROWS" "$(realpath "$OUT")" "${3:-}"
rm -rf "$OUT"
