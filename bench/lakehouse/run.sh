#!/usr/bin/env bash
# The lakehouse issue's bench (docs/iceberg.md), each figure beside its aim or peer:
#  1. APPENDS small appends into one Iceberg table (a streaming writer's pattern: one INSERT
#     of ROWS_PER_APPEND rows per commit), then a scan of it before and after
#     CALL rewrite_data_files (compaction), with the data file counts;
#  2. query planning on a table of FILES data files (one per partition of PARTITIONED BY (p))
#     with a selective partition predicate: EXPLAIN in a fresh process (the table's metadata
#     read cold) and again in the same process (warm); aim: under 100 ms;
#  3. TPC-H SF 1 as Iceberg tables of a warehouse vs the same Parquet files read directly
#     (bench/tpch/run.sh FORMAT=iceberg and FORMAT=parquet, DuckDB reading the Parquet files
#     beside both); aim: within 5%.
#   bench/lakehouse/run.sh [THREADS]
# Environment: APPENDS (default 1000), ROWS_PER_APPEND (100), FILES (100000), RUNS (TPC-H
# runs per query, best kept; default 3), SKIP_TPCH=1, SLUICE (default build/sluice).
set -euo pipefail
cd "$(dirname "$0")/../.."
THREADS=${1:-$(nproc)}
SLUICE=${SLUICE:-build/sluice}
APPENDS=${APPENDS:-1000}
ROWS=${ROWS_PER_APPEND:-100}
FILES=${FILES:-100000}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
seconds() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$@"; }
timer_sum() { sed -n 's/^Run Time: \([0-9.]*\) s$/\1/p' "$1" | awk '{ s += $1 } END { printf "%.3f", s }'; }
sql() { "$SLUICE" sql --db "$WORK/db" --no-progress --threads "$THREADS" "$@"; }

echo "== 1. $APPENDS appends of $ROWS rows, then compaction"
sql -c "CREATE TABLE events (id BIGINT, user_id BIGINT, amount DOUBLE, ts TIMESTAMP)"
for ((i = 0; i < APPENDS; i++)); do
  echo "INSERT INTO events SELECT $i * $ROWS + range, range % 97, range * 0.5, TIMESTAMP '2024-01-01' + INTERVAL ($i * $ROWS + range) SECOND FROM range($ROWS);"
done > "$WORK/appends.sql"
t0=$(date +%s.%N)
sql -f "$WORK/appends.sql" > /dev/null
t1=$(date +%s.%N)
APPEND_S=$(seconds "$t0" "$t1")
echo "appends: $APPENDS commits in ${APPEND_S}s = $(python3 -c "print(f'{$APPEND_S / $APPENDS * 1000:.1f}')") ms per commit (one process)"
SCAN="SELECT count(*), sum(amount), max(ts) FROM events WHERE user_id < 50;"
scan_time() { sql --timer -c "$SCAN $SCAN $SCAN" 2> "$WORK/scan.err" > "$WORK/scan.out"
  sed -n 's/^Run Time: \([0-9.]*\) s$/\1/p' "$WORK/scan.err" | sort -n | head -1; }
BEFORE=$(scan_time); BEFORE_ROWS=$(tail -3 "$WORK/scan.out" | head -1)
FILES_BEFORE=$(sql --format csv -c "SELECT count(*) FROM events\$files" | tail -1)
t0=$(date +%s.%N)
sql -c "CALL rewrite_data_files('events')" > /dev/null
t1=$(date +%s.%N)
AFTER=$(scan_time); AFTER_ROWS=$(tail -3 "$WORK/scan.out" | head -1)
FILES_AFTER=$(sql --format csv -c "SELECT count(*) FROM events\$files" | tail -1)
echo "scan before compaction: ${BEFORE}s over $FILES_BEFORE data files"
echo "rewrite_data_files: $(seconds "$t0" "$t1")s"
echo "scan after compaction:  ${AFTER}s over $FILES_AFTER data files ($(python3 -c "print(f'{$BEFORE / max($AFTER, 1e-9):.1f}')")x faster)"
[ "$BEFORE_ROWS" == "$AFTER_ROWS" ] || { echo "the scan's answer changed with compaction: $BEFORE_ROWS vs $AFTER_ROWS"; exit 1; }

echo
echo "== 2. planning on a table of $FILES data files (one per partition)"
sql -c "CREATE TABLE big (p BIGINT, v BIGINT) PARTITIONED BY (p)"
t0=$(date +%s.%N)
sql -c "INSERT INTO big SELECT range, range * 3 FROM range($FILES)" > /dev/null
t1=$(date +%s.%N)
echo "wrote $FILES files in $(seconds "$t0" "$t1")s"
Q="EXPLAIN SELECT count(*), sum(v) FROM big WHERE p = $((FILES / 2 + 7));"
sql --timer -c "$Q $Q $Q" > "$WORK/plan.out" 2> "$WORK/plan.err"
mapfile -t T < <(sed -n 's/^Run Time: \([0-9.]*\) s$/\1/p' "$WORK/plan.err")
grep -o "[0-9]* files skipped by partition" "$WORK/plan.out" | head -1
python3 -c "
cold, warm = float('${T[0]}') * 1000, min(float('${T[1]}'), float('${T[2]}')) * 1000
print(f'planning: {cold:.1f} ms cold (the table opened in a fresh process), {warm:.1f} ms warm; aim under 100 ms')"
ANSWER=$(sql --format csv -c "SELECT count(*), sum(v) FROM big WHERE p = $((FILES / 2 + 7))" | tail -1)
[ "$ANSWER" == "1,$(( (FILES / 2 + 7) * 3 ))" ] || { echo "wrong answer from the pruned scan: $ANSWER"; exit 1; }

if [ "${SKIP_TPCH:-0}" != 1 ]; then
  echo
  echo "== 3. TPC-H SF 1: Iceberg tables vs the same Parquet files"
  FORMAT=parquet RUNS=${RUNS:-3} bash bench/tpch/run.sh 1 "$THREADS" > "$WORK/parquet.txt"
  FORMAT=iceberg RUNS=${RUNS:-3} bash bench/tpch/run.sh 1 "$THREADS" > "$WORK/iceberg.txt"
  tail -4 "$WORK/parquet.txt" | head -2 | sed 's/^/parquet: /'
  tail -4 "$WORK/iceberg.txt" | head -2 | sed 's/^/iceberg: /'
  node -e "
    const fs = require('fs');
    const read = f => Object.fromEntries(fs.readFileSync(f, 'utf8').trim().split('\n').map(JSON.parse)
      .filter(r => r.status === 'ok').map(r => [r.query, r.seconds]));
    const p = read('bench/data/tpch-sf1-parquet-results/sluice.jsonl');
    const i = read('bench/data/tpch-sf1-iceberg-results/sluice.jsonl');
    const qs = Object.keys(p).filter(q => q in i);
    const geo = xs => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
    const ratio = geo(qs.map(q => i[q])) / geo(qs.map(q => p[q]));
    const tot = qs.reduce((a, q) => a + i[q], 0) / qs.reduce((a, q) => a + p[q], 0);
    console.log('Sluice on Iceberg / on Parquet over ' + qs.length + ' queries: geomean ' +
      ratio.toFixed(3) + 'x, total ' + tot.toFixed(3) + 'x (aim: within 5%)');"
fi
