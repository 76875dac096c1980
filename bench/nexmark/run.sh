#!/usr/bin/env bash
# Nexmark on `sluice stream run` (issue 13): generates EVENTS events (default 1,000,000;
# `sluice gen nexmark`), then runs q0, q1, q2, q5 and q11 each as a replay (--until-idle, 1 s
# checkpoints) into a fresh warehouse and prints the throughput: events/s of wall time, and
# per core = events / CPU seconds (user + sys) of the job. Events counts every generated
# event (persons, auctions, bids), as Flink's Nexmark figures do; the bid queries read the
# bids (46 of every 50). The windowed queries' streamed rows (q5, q11) are checked equal to
# the batch query of the same SQL over the same files.
# Usage: bench/nexmark/run.sh [EVENTS] [QUERIES...]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SLUICE="${SLUICE:-$ROOT/build/sluice}"
EVENTS="${1:-1000000}"
shift || true
QUERIES=("${@:-q0 q1 q2 q5 q7 q8 q11}")
read -r -a QUERIES <<< "${QUERIES[*]}"
DATA="$ROOT/bench/data/nexmark-$EVENTS"
if [ ! -f "$DATA/nexmark.sql" ]; then
  "$SLUICE" gen nexmark --events "$EVENTS" --out "$DATA"
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
printf '%-4s %10s %10s %14s %16s %s\n' query wall_s cpu_s events/s events/s/core rows
for q in "${QUERIES[@]}"; do
  rm -rf "$WORK/db"
  cat "$DATA/nexmark.sql" "$ROOT/bench/nexmark/$q.sql" > "$WORK/job.sql"
  /usr/bin/time -f "%e %U %S" -o "$WORK/time" \
    "$SLUICE" stream run -f "$WORK/job.sql" --db "$WORK/db" --until-idle \
    --checkpoint-interval 1s > "$WORK/out"
  read -r wall user sys < "$WORK/time"
  rows="$(sed -n 's/^[0-9]* records, \([0-9]*\) rows committed.*/\1/p' "$WORK/out")"
  awk -v q="$q" -v e="$EVENTS" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rows" \
    'BEGIN { printf "%-4s %10.2f %10.2f %14.0f %16.0f %s\n", q, w, u + s, e / w, e / (u + s), r }'
  if [ "$q" != q0 ] && [ "$q" != q1 ] && [ "$q" != q2 ]; then
    batch="$(sed -n "/^INSERT INTO $q\$/,\$p" "$ROOT/bench/nexmark/$q.sql" | sed '1d')"
    diff_rows="$("$SLUICE" sql --db "$WORK/db" --format csv -c \
      "SELECT count(*) FROM ((SELECT * FROM $q EXCEPT ALL (${batch%;})) UNION ALL ((${batch%;}) EXCEPT ALL SELECT * FROM $q))" | tail -1)"
    [ "$diff_rows" == "0" ] || { echo "$q: the streamed rows differ from the batch query ($diff_rows rows)"; exit 1; }
    echo "$q: streamed rows equal the batch query's"
  fi
done
