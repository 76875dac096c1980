#!/usr/bin/env bash
# TPC-H over MPI on this machine: each query in one process (all cores) and on RANKS ranks
# (threads x ranks = cores), wall time per query (best of RUNS), the bytes the ranks moved
# (their sends: exchanges, statistics, results; SLUICE_MPI_STATS), a check that every run
# printed the same bytes, and MPI's own all-to-all bandwidth measured in the same run
# (alltoall_bandwidth), with the time the moved bytes take at that bandwidth.
#   bench/mpi/run.sh [SF] [RANKS...]          (defaults: SF 1, ranks 1 2)
# Environment: RUNS (default 1), SLUICE (default build/sluice), QUERIES (e.g. "q01 q06").
# Times include mpirun's start (measured alone as "startup"). Ranks are not bound to cores
# (--bind-to none): OpenMPI binds each rank to one core by default, which would leave a rank's
# other threads no core of their own.
set -uo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
SF=${1:-1}
shift
RANK_COUNTS=("${@:-1 2}")
read -r -a RANK_COUNTS <<< "${RANK_COUNTS[*]}"
RUNS=${RUNS:-1}
SLUICE=${SLUICE:-build/sluice}
CORES=$(nproc)
read -r -a QUERY_LIST <<< "${QUERIES:-$(cd bench/tpch && ls q??.sql | sed 's/.sql//' | tr '\n' ' ')}"
DATA=bench/data/tpch-sf$SF
WAREHOUSE=bench/data/tpch-sf$SF-mpi-warehouse
RESULTS=bench/data/tpch-sf$SF-mpi-results
mkdir -p "$RESULTS"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
require_sluice "mpi"

if [ ! -f "$DATA/.complete" ]; then
  echo "mpi: generating SF $SF into $DATA ..." >&2
  "$SLUICE" gen tpch --sf "$SF" --out "$DATA" >&2 || exit 1
  touch "$DATA/.complete"
fi
# A warehouse of files of ~1/30 of lineitem each, so that every rank scans a share.
if [ ! -f "$WAREHOUSE/.complete" ]; then
  echo "mpi: loading $DATA into $WAREHOUSE ..." >&2
  rm -rf "$WAREHOUSE"
  sed "s#@DIR@#$(realpath "$DATA")#g" bench/tpch/load.sql > "$RESULTS/load.sql"
  rows=$(awk "BEGIN { print int($SF * 200000) }")
  "$SLUICE" sql --db "$WAREHOUSE" --target_file_rows "$rows" -f "$RESULTS/load.sql" >&2 || exit 1
  touch "$WAREHOUSE/.complete"
fi

now() { date +%s.%N; }
# time_best CMD...: the best wall time of RUNS runs (s); the last run's stdout in $RESULTS/out,
# its stderr in $RESULTS/err.
time_best() {
  local best=""
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(now)
    "$@" > "$RESULTS/out" 2> "$RESULTS/err" || echo "mpi: failed: $* ($(tail -2 "$RESULTS/err"))" >&2
    end=$(now)
    best=$(awk -v b="$best" -v t="$(awk -v s="$start" -v e="$end" 'BEGIN { print e - s }')" \
      'BEGIN { print (b == "" || t < b) ? t : b }')
  done
  echo "$best"
}

BANDWIDTH=""
if [ -x build/alltoall_bandwidth ]; then
  BANDWIDTH=$(mpirun -n 2 --oversubscribe build/alltoall_bandwidth 64 5 |
    sed -n 's/.*"bytes_per_second_per_rank": \([0-9]*\).*/\1/p')
fi
STARTUP=$(time_best mpirun -n 2 --oversubscribe --bind-to none "$SLUICE" sql -c "SELECT 1")
{
printf "TPC-H SF %s on %s cores; MPI all-to-all, 2 ranks: %s MB/s per rank; mpirun startup %.2f s\n" \
  "$SF" "$CORES" "$(awk -v b="${BANDWIDTH:-0}" 'BEGIN { printf "%.0f", b / 1e6 }')" "$STARTUP"
header="query  1 process"
for n in "${RANK_COUNTS[@]}"; do header+="  $n ranks  moved(MB)  at MPI bw(s)"; done
echo "$header  same"
for q in "${QUERY_LIST[@]}"; do
  query=bench/tpch/$q.sql
  t1=$(time_best "$SLUICE" sql --db "$WAREHOUSE" --threads "$CORES" -f "$query")
  cp "$RESULTS/out" "$RESULTS/$q.expected"
  line=$(printf "%-5s  %9.2f" "$q" "$t1")
  same=yes
  for n in "${RANK_COUNTS[@]}"; do
    threads=$(( CORES / n > 0 ? CORES / n : 1 ))
    tn=$(SLUICE_MPI_STATS=1 time_best mpirun -n "$n" --oversubscribe --bind-to none "$SLUICE" sql \
      --db "$WAREHOUSE" --threads "$threads" -f "$query")
    cmp -s "$RESULTS/out" "$RESULTS/$q.expected" || same=no
    moved=$(sed -n 's/.* sent \([0-9]*\) bytes.*/\1/p' "$RESULTS/err" | awk '{ s += $1 } END { print s + 0 }')
    at_bw=$(awk -v m="$moved" -v b="${BANDWIDTH:-0}" -v n="$n" \
      'BEGIN { if (b > 0) printf "%.3f", m / n / b; else print "-" }')
    line+=$(printf "  %7.2f  %9.1f  %12s" "$tn" "$(awk -v m="$moved" 'BEGIN { print m / 1e6 }')" "$at_bw")
  done
  echo "$line  $same"
done
} | tee "$RESULTS/report.txt"
