# CREATE MODEL in a warehouse: the model file XGBoost wrote is loaded by Debian's
# python3-xgboost, whose predictions on the same rows (encoded with the model's recorded
# encoders) equal ML.PREDICT's; training twice on the same data and options writes the same
# model bytes; the metadata records the lineage (the table's snapshot id) and the encoders.
source "$(dirname "$0")/cli_test_lib.sh"

DB="$WORK_DIR/warehouse"
PYTHON=/usr/bin/python3
if ! "$PYTHON" -c "import xgboost" 2>/dev/null; then
  echo "python3-xgboost is not installed" >&2
  exit 1
fi

run sql --no-progress --db "$DB" -c "
  create table ev as select range as id,
    timestamp '2024-01-01' + interval (range) minute as ts,
    case when range % 17 = 0 then null else (range * 7) % 101 / 10.0 end::double as x1,
    (range * 13) % 37 as x2,
    case when range % 11 = 0 then null when range % 3 = 0 then 'red' when range % 3 = 1 then 'green' else 'blue' end as color,
    case when (range * 7) % 101 / 10.0 + (range % 3) * 2 + ((range * 13) % 37) / 10.0 > 8 then 1 else 0 end as y,
    (range * 7) % 101 / 10.0 * 3 + (range % 3) - ((range * 13) % 37) / 5.0 as v
  from range(3000);
  create model clf options (model_type = 'boosted_tree_classifier', input_label_cols = ['y'],
    data_split_method = 'SEQ', data_split_col = 'ts', data_split_eval_fraction = 0.25,
    max_iterations = 30, learn_rate = 0.2, max_tree_depth = 4, early_stop = true, seed = 7)
    as select x1, x2, color, y, ts from ev;
  create model reg options (model_type = 'boosted_tree_regressor', input_label_cols = ['v'],
    max_iterations = 15, max_tree_depth = 5) as select x1, x2, color, v from ev"
expect_code 0 "create models"
[ -f "$DB/_models/clf/v1.model.json" ] || fail "no model file for clf"
[ -f "$DB/_models/reg/v1.meta.json" ] || fail "no metadata for reg"

run sql --no-progress --db "$DB" --format csv -c \
  "select id, x1, x2, color from ev order by id"
expect_code 0 "rows"
echo "$OUT" > "$WORK_DIR/rows.csv"
run sql --no-progress --db "$DB" --format csv -c \
  "select id, predicted_y_probability, predicted_y from ml.predict(model clf, table ev) order by id"
expect_code 0 "predict clf"
echo "$OUT" > "$WORK_DIR/clf.csv"
run sql --no-progress --db "$DB" --format csv -c \
  "select id, predicted_v from ml.predict(model reg, (select * from ev where id % 2 = 0)) order by id"
expect_code 0 "predict reg"
echo "$OUT" > "$WORK_DIR/reg.csv"

"$PYTHON" - "$DB" "$WORK_DIR" <<'PY' || fail "python3-xgboost's predictions differ"
import csv, json, math, sys
import numpy as np
import xgboost as xgb

db, work = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(f"{work}/rows.csv")))

def matrix(model, ids):
    meta = json.load(open(f"{db}/_models/{model}/v1.meta.json"))
    by_id = {int(r["id"]): r for r in rows}
    out = np.full((len(ids), len(meta["features"])), np.nan, dtype=np.float32)
    for i, row_id in enumerate(ids):
        row = by_id[row_id]
        for j, f in enumerate(meta["features"]):
            value = row[f["name"]]
            if value in ("", "NULL"):
                continue
            if f["encoding"] == "ordinal":
                if value in f["categories"]:
                    out[i, j] = f["categories"].index(value)
            else:
                out[i, j] = float(value)
    return xgb.DMatrix(out, missing=np.nan, feature_names=[f["name"] for f in meta["features"]])

def check(model, path, column):
    got = list(csv.DictReader(open(path)))
    ids = [int(r["id"]) for r in got]
    booster = xgb.Booster(model_file=f"{db}/_models/{model}/v1.model.json")
    expected = booster.predict(matrix(model, ids))
    assert len(got) == len(expected) and len(got) > 100, (model, len(got))
    for r, e in zip(got, expected):
        value = float(r[column])
        assert abs(value - float(e)) <= 1e-6 * max(1.0, abs(float(e))), (model, r["id"], value, e)
    print(model, "rows", len(got), "equal")

check("clf", f"{work}/clf.csv", "predicted_y_probability")
check("reg", f"{work}/reg.csv", "predicted_v")
PY

# Determinism: the same data and options give the same model bytes (a second version).
run sql --no-progress --db "$DB" -c "
  create or replace model clf options (model_type = 'boosted_tree_classifier', input_label_cols = ['y'],
    data_split_method = 'SEQ', data_split_col = 'ts', data_split_eval_fraction = 0.25,
    max_iterations = 30, learn_rate = 0.2, max_tree_depth = 4, early_stop = true, seed = 7)
    as select x1, x2, color, y, ts from ev"
expect_code 0 "retrain"
cmp -s "$DB/_models/clf/v1.model.json" "$DB/_models/clf/v2.model.json" || fail "retraining changed the model bytes"

# Lineage and encoders in the metadata.
grep -q '"lineage":\[{"table":"ev","snapshot_id":[1-9]' "$DB/_models/clf/v2.meta.json" || fail "no lineage: $(cat "$DB/_models/clf/v2.meta.json")"
grep -q '"categories":\["blue","green","red"\]' "$DB/_models/clf/v2.meta.json" || fail "no encoder categories"

# DROP MODEL removes every version's files from the warehouse.
run sql --no-progress --db "$DB" -c "drop model reg"
expect_code 0 "drop model"
[ ! -e "$DB/_models/reg" ] || fail "drop model left $DB/_models/reg"
run sql --no-progress --db "$DB" -c "select * from ml.feature_importance(model reg)"
expect_code 1 "a dropped model"
expect_err_contains "Model with name reg does not exist!" "a dropped model's error"

finish
