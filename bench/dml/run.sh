#!/usr/bin/env bash
# MERGE under a memory limit: a --db table of ROWS rows (default 20 M) takes CHANGES changed
# rows (default 5 M: every fifth key, 4/5 of them updates of existing rows, the rest inserts)
# under SET memory_limit = LIMIT (default 300MB). Prints peak RSS (/usr/bin/time -v) and
# seconds of the MERGE alone, and checks the table afterwards. With BASE=path (another
# sluice binary, e.g. main's) the same MERGE runs with it too, on a copy of the same table,
# and the ratios are printed.
#   bench/dml/run.sh [ROWS] [CHANGES]
# Environment: SLUICE (default build/sluice), BASE, LIMIT, THREADS (default: all cores).
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
SLUICE=${SLUICE:-build/sluice}
ROWS=${1:-20000000}
CHANGES=${2:-5000000}
LIMIT=${LIMIT:-300MB}
THREADS=${THREADS:-$(nproc)}
DATA=bench/data/dml-$ROWS-$CHANGES
require_sluice "dml"

# The table and the changes, written once; .complete marks a finished generation.
if [ ! -f "$DATA/base/.complete" ]; then
  rm -rf "$DATA"
  mkdir -p "$DATA"
  echo "dml: writing $ROWS rows and $CHANGES changes into $DATA/base ..." >&2
  "$SLUICE" sql --no-progress --db "$DATA/base" --threads "$THREADS" -c "
    CREATE TABLE t AS SELECT range AS id, range % 97 AS g, 'row ' || CAST(range AS VARCHAR) AS v
      FROM range($ROWS);
    CREATE TABLE s AS SELECT range * 5 AS id, 'new ' || CAST(range AS VARCHAR) AS v
      FROM range($CHANGES)" >&2
  touch "$DATA/base/.complete"
fi

MERGE="SET memory_limit = '$LIMIT';
  MERGE INTO t USING s ON t.id = s.id
  WHEN MATCHED THEN UPDATE SET v = s.v
  WHEN NOT MATCHED THEN INSERT (id, g, v) VALUES (s.id, -1, s.v)"
CHECK="SELECT count(*), sum(CASE WHEN v LIKE 'new %' THEN 1 ELSE 0 END), sum(id), sum(g) FROM t"

# run LABEL BINARY: prints "LABEL rss_mb seconds answer" on one line.
run() {
  local label=$1 bin=$2 wh="$DATA/wh-$1"
  rm -rf "$wh"
  cp -r "$DATA/base" "$wh"
  /usr/bin/time -v "$bin" sql --no-progress --db "$wh" --threads "$THREADS" -c "$MERGE" \
    >/dev/null 2>"$DATA/time-$label.txt" || { cat "$DATA/time-$label.txt" >&2; exit 1; }
  local kb secs answer
  kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$DATA/time-$label.txt")
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$DATA/time-$label.txt" |
    awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
  answer=$("$SLUICE" sql --no-progress --db "$wh" --format csv -c "$CHECK" | tail -1)
  rm -rf "$wh"
  echo "$label $((kb / 1024)) $secs $answer"
}

echo "dml: MERGE of $CHANGES changes into $ROWS rows, memory_limit=$LIMIT, $THREADS threads"
printf '%-8s %12s %10s  %s\n' binary peak_rss_mb seconds "answer (rows, updated+inserted, sum(id), sum(g))"
read -r _ rss secs answer < <(run sluice "$SLUICE")
printf '%-8s %12s %10s  %s\n' sluice "$rss" "$secs" "$answer"
if [ -n "${BASE:-}" ]; then
  read -r _ base_rss base_secs base_answer < <(run base "$BASE")
  printf '%-8s %12s %10s  %s\n' base "$base_rss" "$base_secs" "$base_answer"
  awk -v a="$rss" -v b="$base_rss" -v s="$secs" -v t="$base_secs" \
    'BEGIN { printf "ratio sluice/base: peak RSS %.2f, time %.2f\n", a / b, s / t }'
  [ "$answer" = "$base_answer" ] && echo "answers agree" || echo "ANSWERS DIFFER"
fi
