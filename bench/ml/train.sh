#!/usr/bin/env bash
# Issue 14's training figure: CREATE MODEL (boosted_tree_classifier, ROUNDS rounds) on ROWS
# rows of FEATURES numeric features in Sluice, vs python3-xgboost's xgb.train on the same rows
# with the same parameters (Debian's python3-xgboost, 1.7.4 like Sluice's libxgboost) in the
# same run. The rows are exported once to CSV and loaded with numpy outside python's timing.
# Sluice's engine overhead is CREATE MODEL's time (--timer: the query, the encoding into a
# float matrix, the DMatrix, the metrics, saving) minus the time of its XGBoost boosting
# calls (ML.TRAINING_INFO's duration_ms summed); the aim is under 10%. The last round's
# training loss of both sides is printed: equal losses mean the same matrix and parameters.
#   bench/ml/train.sh [ROWS] [FEATURES] [ROUNDS]   (default 1000000 8 50)
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
ROWS=${1:-1000000}
FEATURES=${2:-8}
ROUNDS=${3:-50}
LEARN_RATE=0.3
DEPTH=6
SLUICE=${SLUICE:-build/sluice}
PYTHON=/usr/bin/python3
require_sluice "ml train"
if ! "$PYTHON" -c "import xgboost" 2>/dev/null; then
  echo "ml train: python3-xgboost is not installed (scripts/install-deps.sh)" >&2
  exit 1
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
DB="$WORK/warehouse"

# Features: deterministic mixes of the row number; the label depends on some of them.
COLS=""
for i in $(seq 1 "$FEATURES"); do
  COLS="$COLS ((range * $((7919 + 104729 * i))) % 10007) / 100.0 AS x$i,"
done
"$SLUICE" sql --db "$DB" --no-progress -c "
  CREATE TABLE rows AS SELECT $COLS
    CASE WHEN ((range * 7919) % 10007) / 100.0 + ((range * 113) % 97) / 2.0 > 70 THEN 1 ELSE 0 END AS y
  FROM range($ROWS);
  COPY (SELECT * FROM rows) TO '$WORK/rows.csv' (FORMAT csv, HEADER true)" >/dev/null

echo "== training: $ROWS rows x $FEATURES features, $ROUNDS rounds, depth $DEPTH, eta $LEARN_RATE, 1 XGBoost thread"
"$SLUICE" sql --db "$DB" --no-progress --timer -c "
  CREATE MODEL m OPTIONS (model_type = 'boosted_tree_classifier', input_label_cols = ['y'],
    max_iterations = $ROUNDS, learn_rate = $LEARN_RATE, max_tree_depth = $DEPTH)
  AS SELECT * FROM rows" >/dev/null 2>"$WORK/timer"
SLUICE_S=$(sed -n 's/^Run Time: \([0-9.]*\) s$/\1/p' "$WORK/timer" | tail -1)
INFO=$("$SLUICE" sql --db "$DB" --no-progress --format csv -c "
  SELECT sum(duration_ms) / 1000, max(iteration) + 1, max(CASE WHEN iteration = $ROUNDS - 1 THEN loss END)
  FROM ML.TRAINING_INFO(MODEL m)" | sed -n 2p)
XGB_S=$(echo "$INFO" | cut -d, -f1)
SLUICE_LOSS=$(echo "$INFO" | cut -d, -f3)
PY=$("$PYTHON" bench/ml/train_xgb.py "$WORK/rows.csv" "$ROUNDS" "$LEARN_RATE" "$DEPTH")
python3 - "$SLUICE_S" "$XGB_S" "$SLUICE_LOSS" "$PY" <<'PY'
import json, sys
sluice_s, xgb_s, sluice_loss, py = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), json.loads(sys.argv[4])
overhead = sluice_s - xgb_s
print(f"sluice CREATE MODEL: {sluice_s:.2f}s, of which XGBoost boosting {xgb_s:.2f}s; "
      f"engine overhead {overhead:.2f}s = {100 * overhead / sluice_s:.1f}% (aim: < 10%)")
print(f"python3-xgboost: DMatrix + xgb.train {py['seconds']:.2f}s (DMatrix {py['matrix_seconds']:.2f}s)")
print(f"ratio sluice/python3-xgboost: {sluice_s / py['seconds']:.2f}x")
print(f"last training logloss: sluice {sluice_loss:.6f}, python3-xgboost {py['last_loss']:.6f}"
      f" ({'equal' if abs(sluice_loss - py['last_loss']) < 1e-5 else 'DIFFER'})")
PY
