#!/usr/bin/env bash
# Skew handling (issue 5): a shuffled join and a GROUP BY where one key holds 30% of the rows,
# run without skew handling, with the adaptive skew split, and with salting (SKEW hint),
# against the same row count with uniform keys. Prints seconds (best of RUNS), the ratio to
# the uniform case and to the unhandled skewed case, and whether the answers agree.
#   bench/shuffle/run.sh [ROWS] [THREADS] [RUNS]   (defaults: 10000000, all cores, 2)
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
ROWS=${1:-10000000}
THREADS=${2:-$(nproc)}
RUNS=${3:-2}
SLUICE=${SLUICE:-build/sluice}
require_sluice "shuffle"
DIM=$((ROWS / 4))
# Every join is shuffled (no broadcast); skew_threshold is scaled down so that the hot
# partition of this data size counts as skewed (the default is 64MB).
BASE="SET threads = $THREADS; SET broadcast_threshold = -1; SET skew_threshold = '4MB'"
HOT="CASE WHEN range % 10 < 3 THEN 0 ELSE (range * 7919) % $DIM END"
UNIFORM="(range * 7919) % $DIM"
join_sql() {  # key expression, hint
  echo "SELECT $2 count(*), sum(f.v + d.w) FROM (SELECT $1 AS k, range AS v FROM range($ROWS)) f \
JOIN (SELECT range AS k, range * 2 AS w FROM range($DIM)) d ON f.k = d.k"
}
# Keys mostly distinct (the partial aggregate passes rows through), one of them hot.
HOT_GROUP="CASE WHEN range % 10 < 3 THEN 0 ELSE range END"
UNIFORM_GROUP="(range * 7919) % $ROWS"
group_sql() {  # key expression, hint
  echo "SELECT count(*), sum(c), sum(s) FROM (SELECT $2 k, count(*) AS c, sum(v) AS s FROM \
(SELECT $1 AS k, range AS v FROM range($ROWS)) t GROUP BY k)"
}

# Runs one case RUNS times; prints "seconds answer" (best time).
measure() {
  local sql=$1 best="" answer=""
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(date +%s%N)
    answer=$("$SLUICE" sql --no-progress --format csv -c "$BASE; $sql" | tail -1)
    end=$(date +%s%N)
    local t=$(( (end - start) / 1000000 ))
    if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
  done
  echo "$best $answer"
}

report() {  # name, uniform ms, plain ms, plain answer, then case name/sql pairs
  local name=$1
  shift
  local uniform plain plain_answer
  read -r uniform _ <<<"$(measure "$1")"
  read -r plain plain_answer <<<"$(measure "$2")"
  printf '%-28s %9.3f %9s %9s  %s\n' "$name uniform keys" "$(echo "$uniform / 1000" | bc -l)" "1.00" "-" "-"
  printf '%-28s %9.3f %9.2f %9s  %s\n' "$name 30% hot, no handling" "$(echo "$plain / 1000" | bc -l)" \
    "$(echo "$plain / $uniform" | bc -l)" "1.00" "-"
  shift 2
  while [ $# -gt 0 ]; do
    local label=$1 sql=$2 ms answer
    read -r ms answer <<<"$(measure "$sql")"
    local agree=yes
    [ "$answer" = "$plain_answer" ] || agree="NO ($answer vs $plain_answer)"
    printf '%-28s %9.3f %9.2f %9.2f  %s\n' "$name 30% hot, $label" "$(echo "$ms / 1000" | bc -l)" \
      "$(echo "$ms / $uniform" | bc -l)" "$(echo "$ms / $plain" | bc -l)" "$agree"
    shift 2
  done
}

echo "rows=$ROWS threads=$THREADS runs=$RUNS (best of runs)"
printf '%-28s %9s %9s %9s  %s\n' "case" "seconds" "/uniform" "/no-skew" "answer agrees"
report "join" \
  "SET skew_join = false; $(join_sql "$UNIFORM" "")" \
  "SET skew_join = false; $(join_sql "$HOT" "")" \
  "skew split" "SET skew_join = true; $(join_sql "$HOT" "")" \
  "salted" "SET skew_join = false; $(join_sql "$HOT" "/*+ SKEW(f, k) */")"
# Stragglers: the join stage's longest task against its median (EXPLAIN ANALYZE). The stage
# cannot finish before its longest task, so with T threads it takes at least max(longest task,
# sum / T): on few cores the hot task hides behind the others, on many it decides the time.
stragglers() {  # label, settings, sql
  local line
  line=$("$SLUICE" sql --no-progress --format csv -c "$BASE; $2; EXPLAIN ANALYZE $3" |
    grep "Exchange single" | grep -o "task time max=[0-9.]*ms median=[0-9.]*ms" | head -1)
  printf '  join stage, %-22s %s\n' "$1:" "$line"
}
stragglers "no handling" "SET skew_join = false" "$(join_sql "$HOT" "")"
stragglers "skew split" "SET skew_join = true" "$(join_sql "$HOT" "")"
report "group by" \
  "$(group_sql "$UNIFORM_GROUP" "")" \
  "$(group_sql "$HOT_GROUP" "")" \
  "salted" "$(group_sql "$HOT_GROUP" "/*+ SKEW(t, k) */")"
