#!/usr/bin/env bash
# dbt benchmark (issue 6), two parts:
#  (a) incremental: a raw.events table of ROWS rows in a --db warehouse, the project in
#      bench/dbt/incremental (one merge model with unique_key, is_incremental() filter and
#      incremental_predicates). Times `sluice run --full-refresh`, lands 1% new rows, times
#      the incremental `sluice run`, checks the row count and prints the ratio. With DuckDB
#      (npm @duckdb/node-api in bench/duckdb) the same rebuild and MERGE run beside it.
#  (b) compile: a generated project of MODELS models (bench/dbt/gen_project.sh); times
#      `sluice ls` (load, parse, DAG, manifest.json) and `sluice compile`, best of RUNS; then
#  (c) `sluice run` of that project over a tiny raw table, with 1 and THREADS threads.
#   bench/dbt/run.sh [ROWS] [MODELS]       (defaults 20000000, 1000)
# Environment: SLUICE (default build/sluice), RUNS (default 3, for part b), THREADS (default:
# all cores), SKIP_INCREMENTAL=1 / SKIP_COMPILE=1, DUCKDB=0 (no DuckDB reference),
# DBT_BENCH_DIR (where data and warehouses go; default bench/data/dbt).
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
ROWS=${1:-20000000}
MODELS=${2:-1000}
SLUICE=${SLUICE:-build/sluice}
RUNS=${RUNS:-3}
THREADS=${THREADS:-$(nproc)}
WORK=${DBT_BENCH_DIR:-bench/data/dbt}
PROJECT=bench/dbt/incremental

require_sluice "dbt bench"
mkdir -p "$WORK"
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
sql() { "$SLUICE" sql --db "$1" --no-progress --format csv --threads "$THREADS" -c "$2" | tail -n +2; }

# The raw events [from, to): event i happened at 2026-01-01 + i seconds.
events_sql() {
  echo "SELECT range AS event_id, (range * 7919) % 100000 AS customer_id,
      'type_' || CAST(range % 7 AS VARCHAR) AS event_type,
      (range * 104729) % 100000 AS amount_cents,
      to_timestamp(1767225600 + range) AS updated_at
    FROM range($1, $2)"
}

if [ "${SKIP_INCREMENTAL:-0}" != 1 ]; then
  NEW=$(( ROWS / 100 ))
  BASE=$WORK/raw-$ROWS
  if [ ! -f "$BASE/.complete" ]; then
    echo "dbt bench: generating $ROWS raw events into $BASE ..." >&2
    rm -rf "$BASE"
    sql "$BASE" "CREATE SCHEMA raw; CREATE TABLE raw.events AS $(events_sql 0 "$ROWS")" >/dev/null
    touch "$BASE/.complete"
  fi
  DB=$WORK/wh
  rm -rf "$DB" "$WORK/target"
  cp -r "$BASE" "$DB"
  run() {
    "$SLUICE" run --project "$PROJECT" --db "$DB" --threads "$THREADS" \
      --target-path "$WORK/target" "$@" >"$WORK/last-run.log" || {
      cat "$WORK/last-run.log" >&2
      exit 1
    }
  }

  t0=$(now); run --full-refresh; t1=$(now)
  full=$(secs "$t0" "$t1")
  sql "$DB" "INSERT INTO raw.events $(events_sql "$ROWS" $(( ROWS + NEW )))" >/dev/null
  MERGE_SINCE=$(sql "$DB" "SELECT max(updated_at) - interval '3 days' FROM fct_events")
  export MERGE_SINCE
  t0=$(now); run; t1=$(now)
  incr=$(secs "$t0" "$t1")
  # The merged table must hold what a full rebuild from the raw rows would.
  got=$(sql "$DB" "SELECT count(*) FROM fct_events")
  have=$(sql "$DB" "SELECT count(*), count(DISTINCT event_id), sum(CAST(round(amount * 100) AS BIGINT)), max(updated_at)
                    FROM fct_events")
  want=$(sql "$DB" "SELECT count(*), count(DISTINCT event_id), sum(amount_cents),
                    max(updated_at) FROM raw.events")
  check=ok
  if [ "$got" != $(( ROWS + NEW )) ] || [ "$have" != "$want" ]; then
    check="WRONG: $have, expected $want"
  fi
  echo "== dbt incremental: $ROWS raw rows, +$NEW (1%), merge on event_id, threads=$THREADS"
  printf '%-34s %10s\n' "workload" "sluice s"
  printf '%-34s %10s\n' "run --full-refresh" "$full"
  printf '%-34s %10s\n' "run (incremental, 1% new rows)" "$incr"
  printf 'full-refresh / incremental = %sx   rows after merge: %s (%s)\n' \
    "$(awk -v a="$full" -v b="$incr" 'BEGIN { printf "%.1f", a / b }')" "$got" "$check"

  if [ "${DUCKDB:-1}" = 0 ]; then
    echo "DuckDB reference skipped (DUCKDB=0)"
  elif [ -d bench/duckdb/node_modules/@duckdb/node-api ]; then
    node bench/dbt/duckdb_incremental.mjs "$ROWS" "$NEW" "$THREADS"
  else
    echo "DuckDB reference SKIPPED: bench/duckdb/node_modules/@duckdb/node-api missing" \
         "(cd bench/duckdb && npm install)"
  fi
  rm -rf "$DB"
fi

if [ "${SKIP_COMPILE:-0}" != 1 ]; then
  GEN=$WORK/project-$MODELS
  bash bench/dbt/gen_project.sh "$GEN" "$MODELS" 2>/dev/null
  best() {  # best wall seconds of RUNS runs of "$@"
    local b=""
    for (( r = 0; r < RUNS; r++ )); do
      local s e
      s=$(now); "$@" >/dev/null; e=$(now)
      b=$(awk -v b="$b" -v t="$(secs "$s" "$e")" 'BEGIN { print (b == "" || t < b) ? t : b }')
    done
    echo "$b"
  }
  nodes=$("$SLUICE" ls --project "$GEN" --target-path "$WORK/target-gen" | wc -l)
  echo
  echo "== dbt compile: generated project of $MODELS models ($nodes nodes with tests and sources), best of $RUNS"
  printf '%-34s %10s\n' "sluice ls (load, parse, manifest)" \
    "$(best "$SLUICE" ls --project "$GEN" --target-path "$WORK/target-gen")"
  printf '%-34s %10s\n' "sluice compile (all SQL rendered)" \
    "$(best "$SLUICE" compile --project "$GEN" --target-path "$WORK/target-gen")"

  # (c) `sluice run` of the whole project over 2,000 raw events: the cost per model (render,
  # plan, write, commit) and whether --threads runs models side by side.
  SMALL=$WORK/small-wh
  rm -rf "$SMALL"
  sql "$SMALL" "CREATE SCHEMA raw;
    CREATE TABLE raw.events AS SELECT range AS event_id, range % 50 AS customer_id,
      range * 7 % 1000 AS amount_cents, range % 5 + 1 AS quantity,
      CAST(range % 3 AS DOUBLE) / 10 AS discount, to_timestamp(1767225600 + range * 60) AS updated_at
    FROM range(2000);
    CREATE TABLE raw.customers AS SELECT range AS customer_id FROM range(50)" >/dev/null
  for t in 1 "$THREADS"; do
    s=$(now)
    "$SLUICE" run --project "$GEN" --db "$SMALL" --threads "$t" --target-path "$WORK/target-gen" \
      >"$WORK/last-run.log" || { tail -20 "$WORK/last-run.log" >&2; exit 1; }
    e=$(now)
    printf '%-34s %10s\n' "sluice run --threads $t" "$(secs "$s" "$e")"
  done
  rm -rf "$SMALL"
fi
