#!/usr/bin/env bash
# Issue 14's point-in-time join figure: LABELS label rows ASOF-joined against FEATURES
# feature rows (each label row meets its entity's latest feature row at or before the label's
# time), Sluice vs DuckDB's ASOF JOIN in the same run, same Parquet files, same SQL
# (pit_join.sql: count and checksums of the joined rows), THREADS threads each. The answers
# are compared and the ratio printed. The data is generated once (by DuckDB, duckdb_pit.mjs)
# into bench/data/ml-pit-LABELS-FEATURES and reused.
#   bench/ml/pit.sh [LABELS] [FEATURES] [THREADS]   (default 10000000 100000000 2: the issue's
#   size; a quick run: bench/ml/pit.sh 1000000 10000000)
# Environment: SLUICE (binary, default build/sluice), ENTITIES (default FEATURES / 100).
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
LABELS=${1:-10000000}
FEATURES=${2:-100000000}
THREADS=${3:-2}
ENTITIES=${ENTITIES:-$(( FEATURES / 100 > 0 ? FEATURES / 100 : 1 ))}
SLUICE=${SLUICE:-build/sluice}
require_sluice "ml pit"
ensure_duckdb "ml pit"
if [ ! -d bench/duckdb/node_modules/@duckdb/node-api ]; then
  echo "ml pit: DuckDB is needed to generate the data; stopping" >&2
  exit 1
fi
DATA=bench/data/ml-pit-$LABELS-$FEATURES-$ENTITIES
if [ ! -f "$DATA/.complete" ]; then
  echo "ml pit: generating $LABELS label rows, $FEATURES feature rows ($ENTITIES entities) into $DATA ..." >&2
  mkdir -p "$DATA"
  node bench/ml/duckdb_pit.mjs gen "$(realpath "$DATA")" "$LABELS" "$FEATURES" "$ENTITIES" "$THREADS"
  touch "$DATA/.complete"
fi
DIR=$(realpath "$DATA")
SQL=$(sed "s|\$DIR|$DIR|g" bench/ml/pit_join.sql)

echo "== PIT join: $LABELS labels ASOF JOIN $FEATURES features ($ENTITIES entities), $THREADS threads"
TIME_FILE=$(mktemp)
/usr/bin/time -f "%e %M" -o "$TIME_FILE" "$SLUICE" sql --no-progress --timer --format csv \
  --threads "$THREADS" -c "$SQL" >"$TIME_FILE.out" 2>"$TIME_FILE.err" || {
  echo "ml pit: Sluice failed: $(cat "$TIME_FILE.err")" >&2; exit 1; }
SLUICE_S=$(sed -n 's/^Run Time: \([0-9.]*\) s$/\1/p' "$TIME_FILE.err" | tail -1)
SLUICE_RSS=$(awk '{printf "%d", $2 / 1024}' "$TIME_FILE")
SLUICE_RESULT=$(sed -n 2p "$TIME_FILE.out")
rm -f "$TIME_FILE" "$TIME_FILE.out" "$TIME_FILE.err"
DUCK=$(node bench/ml/duckdb_pit.mjs join "$DIR" "$THREADS")
DUCK_S=$(echo "$DUCK" | python3 -c 'import json,sys; print("%.3f" % json.load(sys.stdin)["seconds"])')
DUCK_RESULT=$(echo "$DUCK" | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"])')
echo "sluice: ${SLUICE_S}s (peak RSS ${SLUICE_RSS} MB)  matched,sum(feature_id),sum(f1),sum(label_id) = $SLUICE_RESULT"
echo "duckdb: ${DUCK_S}s  matched,sum(feature_id),sum(f1),sum(label_id) = $DUCK_RESULT"
if [ "$SLUICE_RESULT" == "$DUCK_RESULT" ]; then echo "answers: equal"; else echo "answers: DIFFER"; fi
python3 -c "print(f'ratio sluice/duckdb: {$SLUICE_S / $DUCK_S:.2f}x')"
[ "$SLUICE_RESULT" == "$DUCK_RESULT" ]
