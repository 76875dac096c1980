#!/usr/bin/env bash
# Hot-key salting (issue 10): count(DISTINCT v) grouped by a key that holds half of the rows,
# in Sluice with auto_salting off and on (and, with BEFORE=path, in another Sluice binary
# such as the main branch's), and in DuckDB (@duckdb/node-api) in the same run. Prints
# seconds (best of RUNS), the ratio to auto_salting off and to DuckDB, and whether the
# answers agree. Opt-in: not part of bench/run.sh.
#   bench/salting/run.sh [ROWS] [THREADS] [RUNS]   (defaults: 20000000, 2, 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
ROWS=${1:-20000000}
THREADS=${2:-2}
RUNS=${3:-3}
SLUICE=${SLUICE:-build/sluice}
BEFORE=${BEFORE:-}
require_sluice "salting"
ensure_duckdb "salting"

# Key 0 holds 50% of the rows; the others spread over 100 k keys. v has 1 M values, so the
# hot key's distinct set is large: one task counting it alone is the straggler.
QUERY="SELECT count(*), sum(n), max(n) FROM (SELECT k, count(DISTINCT v) AS n FROM \
(SELECT CASE WHEN range % 2 = 0 THEN 0 ELSE (range * 7919) % 100000 + 1 END AS k, \
(range * 104729) % 1000000 AS v FROM range($ROWS)) t GROUP BY k)"

# Runs one Sluice case RUNS times; prints "milliseconds answer" (best time).
measure() {  # binary, settings
  local best="" answer=""
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(date +%s%N)
    answer=$("$1" sql --no-progress --format csv -c "SET threads = $THREADS; $2 $QUERY" | tail -1)
    end=$(date +%s%N)
    local t=$(( (end - start) / 1000000 ))
    if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
  done
  echo "$best $answer"
}

duckdb_measure() {
  local best="" answer=""
  for _ in $(seq "$RUNS"); do
    local out
    out=$(node bench/shuffle/cases.mjs --duckdb-child "$QUERY" "$THREADS")
    local ms
    ms=$(node -e 'const r = JSON.parse(process.argv[1]); console.log(Math.round(r.seconds * 1000))' "$out")
    answer=$(node -e 'console.log(JSON.parse(process.argv[1]).row.join(","))' "$out")
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  echo "$best $answer"
}

echo "rows=$ROWS threads=$THREADS runs=$RUNS (best of runs; key 0 holds 50% of the rows)"
printf '%-34s %9s %9s %9s  %s\n' "case" "seconds" "/off" "/duckdb" "answer"
read -r off off_answer <<<"$(measure "$SLUICE" "SET auto_salting = false;")"
read -r on on_answer <<<"$(measure "$SLUICE" "SET auto_salting = true;")"
duck=""
duck_answer=""
if [ -d bench/duckdb/node_modules/@duckdb/node-api ]; then
  read -r duck duck_answer <<<"$(duckdb_measure)"
fi
row() {  # label, ms, answer
  local vs_duck="-"
  [ -n "$duck" ] && vs_duck=$(printf '%.2f' "$(echo "$2 / $duck" | bc -l)")
  printf '%-34s %9.3f %9.2f %9s  %s\n' "$1" "$(echo "$2 / 1000" | bc -l)" \
    "$(echo "$2 / $off" | bc -l)" "$vs_duck" "$3"
}
if [ -n "$BEFORE" ]; then
  read -r before before_answer <<<"$(measure "$BEFORE" "")"
  row "before ($BEFORE)" "$before" "$before_answer"
fi
row "sluice auto_salting off" "$off" "$off_answer"
row "sluice auto_salting on" "$on" "$on_answer"
[ -n "$duck" ] && row "duckdb" "$duck" "$duck_answer"
[ "$on_answer" = "$off_answer" ] || { echo "salting: answers differ" >&2; exit 1; }
