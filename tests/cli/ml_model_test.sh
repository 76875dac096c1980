# CREATE MODEL in a warehouse: the model file XGBoost wrote is loaded by Debian's
# python3-xgboost, whose predictions on the same rows (encoded with the model's recorded
# encoders) equal ML.PREDICT's -- binary, regressor, and multiclass with one-hot, dummy and
# label (ordinal) encoding, scored in a later process (the warehouse reopened) on rows with a
# category unseen in training; training twice on the same data and options writes the same
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
    (range * 7) % 101 / 10.0 * 3 + (range % 3) - ((range * 13) % 37) / 5.0 as v,
    case when (range * 7) % 101 / 10.0 + (range % 3) * 3 > 9 then 'high'
         when (range * 7) % 101 / 10.0 + ((range * 13) % 37) / 10.0 > 5 then 'mid' else 'low' end as band
  from range(3000);
  create model clf options (model_type = 'boosted_tree_classifier', input_label_cols = ['y'],
    data_split_method = 'SEQ', data_split_col = 'ts', data_split_eval_fraction = 0.25,
    max_iterations = 30, learn_rate = 0.2, max_tree_depth = 4, early_stop = true, seed = 7)
    as select x1, x2, color, y, ts from ev;
  create model reg options (model_type = 'boosted_tree_regressor', input_label_cols = ['v'],
    max_iterations = 15, max_tree_depth = 5) as select x1, x2, color, v from ev;
  create model mc_oh options (model_type = 'boosted_tree_classifier', input_label_cols = ['band'],
    category_encoding_method = 'ONE_HOT_ENCODING', max_iterations = 12, max_tree_depth = 4)
    as select x1, x2, color, band from ev;
  create model mc_lab options (model_type = 'boosted_tree_classifier', input_label_cols = ['band'],
    category_encoding_method = 'LABEL_ENCODING', max_iterations = 12, max_tree_depth = 4)
    as select x1, x2, color, band from ev;
  create model mc_dum options (model_type = 'boosted_tree_classifier', input_label_cols = ['band'],
    category_encoding_method = 'DUMMY_ENCODING', max_iterations = 12, max_tree_depth = 4)
    as select x1, x2, color, band from ev"
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
# The multiclass models scored (in new processes: the warehouse reopened) on rows where a
# tenth of the colors are 'purple', a category not seen in training.
SCORED="(select id, x1, x2, case when id % 10 = 4 then 'purple' else color end as color from ev)"
run sql --no-progress --db "$DB" --format csv -c "select id, x1, x2, color from $SCORED t order by id"
expect_code 0 "rows with an unseen category"
echo "$OUT" > "$WORK_DIR/rows_unseen.csv"
for m in mc_oh mc_lab mc_dum; do
  run sql --no-progress --db "$DB" --format csv -c \
    "select id, predicted_band, e.label, e.prob from (select id, predicted_band, unnest(predicted_band_probs) as e
     from ml.predict(model $m, $SCORED)) t order by id, e.label"
  expect_code 0 "predict $m"
  echo "$OUT" > "$WORK_DIR/$m.csv"
done
run sql --no-progress --db "$DB" --format csv -c \
  "select feature, importance_weight, importance_gain from ml.feature_importance(model mc_oh) order by feature"
expect_code 0 "feature importance of a one-hot model"
echo "$OUT" > "$WORK_DIR/mc_oh_importance.csv"

"$PYTHON" - "$DB" "$WORK_DIR" <<'PY' || fail "python3-xgboost's predictions differ"
import csv, json, math, sys
import numpy as np
import xgboost as xgb

db, work = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(f"{work}/rows.csv")))

def indicator_categories(f):
    return f["categories"][1:] if f["encoding"] == "dummy" else f["categories"]

def matrix(model, ids, rows=rows):
    meta = json.load(open(f"{db}/_models/{model}/v1.meta.json"))
    by_id = {int(r["id"]): r for r in rows}
    names = []
    for f in meta["features"]:
        if f["encoding"] in ("one_hot", "dummy"):
            names += [f["name"] + "=" + c for c in indicator_categories(f)]
        else:
            names.append(f["name"])
    out = np.full((len(ids), len(names)), np.nan, dtype=np.float32)
    for i, row_id in enumerate(ids):
        row = by_id[row_id]
        j = 0
        for f in meta["features"]:
            value = row[f["name"]]
            if f["encoding"] in ("one_hot", "dummy"):
                # One 0/1 column per category (dummy: but the first, which is all zeros);
                # NULL and unseen values are all zeros.
                cats = indicator_categories(f)
                out[i, j:j + len(cats)] = 0
                if value in cats:
                    out[i, j + cats.index(value)] = 1
                j += len(cats)
                continue
            if value not in ("", "NULL"):
                if f["encoding"] == "ordinal":
                    if value in f["categories"]:
                        out[i, j] = f["categories"].index(value)
                else:
                    out[i, j] = float(value)
            j += 1
    return xgb.DMatrix(out, missing=np.nan, feature_names=names)

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

# Multiclass: one row per (id, class) in class order; python3-xgboost's probabilities on the
# same rows, and the predicted class is the most probable one.
unseen = list(csv.DictReader(open(f"{work}/rows_unseen.csv")))
assert sum(r["color"] == "purple" for r in unseen) == 300
for model in ("mc_oh", "mc_lab", "mc_dum"):
    meta = json.load(open(f"{db}/_models/{model}/v1.meta.json"))
    assert meta["classes"] == ["high", "low", "mid"], meta["classes"]
    got = list(csv.DictReader(open(f"{work}/{model}.csv")))
    ids = sorted({int(r["id"]) for r in got})
    booster = xgb.Booster(model_file=f"{db}/_models/{model}/v1.model.json")
    expected = booster.predict(matrix(model, ids, unseen))
    assert expected.shape == (3000, 3), expected.shape
    assert len(got) == 3 * len(ids) == 9000, len(got)
    for n, r in enumerate(got):
        i, c = divmod(n, 3)
        assert int(r["id"]) == ids[i] and r["label"] == meta["classes"][c], r
        e = float(expected[i][c])
        assert abs(float(r["prob"]) - e) <= 1e-6, (model, r, e)
        assert r["predicted_band"] == meta["classes"][int(np.argmax(expected[i]))], (model, r)
    print(model, "rows", len(ids), "equal")

# A one-hot feature's importance is the sum of its columns'.
importance = {r["feature"]: r for r in csv.DictReader(open(f"{work}/mc_oh_importance.csv"))}
booster = xgb.Booster(model_file=f"{db}/_models/mc_oh/v1.model.json")
weight = booster.get_score(importance_type="weight")
gain = booster.get_score(importance_type="total_gain")
color_weight = sum(v for k, v in weight.items() if k.startswith("color="))
color_gain = sum(v for k, v in gain.items() if k.startswith("color="))
assert color_weight > 0 and abs(float(importance["color"]["importance_weight"]) - color_weight) < 1e-6, (importance, weight)
assert abs(float(importance["color"]["importance_gain"]) - color_gain) <= 1e-4 * color_gain, (importance, gain)
assert abs(float(importance["x1"]["importance_weight"]) - weight["x1"]) < 1e-6
print("importance equal")
PY

# Determinism: the same data and options give the same model bytes (a second version).
run sql --no-progress --db "$DB" -c "
  create or replace model clf options (model_type = 'boosted_tree_classifier', input_label_cols = ['y'],
    data_split_method = 'SEQ', data_split_col = 'ts', data_split_eval_fraction = 0.25,
    max_iterations = 30, learn_rate = 0.2, max_tree_depth = 4, early_stop = true, seed = 7)
    as select x1, x2, color, y, ts from ev"
expect_code 0 "retrain"
cmp -s "$DB/_models/clf/v1.model.json" "$DB/_models/clf/v2.model.json" || fail "retraining changed the model bytes"
run sql --no-progress --db "$DB" -c "
  create or replace model mc_oh options (model_type = 'boosted_tree_classifier', input_label_cols = ['band'],
    category_encoding_method = 'ONE_HOT_ENCODING', max_iterations = 12, max_tree_depth = 4)
    as select x1, x2, color, band from ev"
expect_code 0 "retrain mc_oh"
cmp -s "$DB/_models/mc_oh/v1.model.json" "$DB/_models/mc_oh/v2.model.json" || fail "retraining mc_oh changed the model bytes"
grep -q '"name":"color","type":"VARCHAR","encoding":"one_hot","categories":\["blue","green","red"\]' "$DB/_models/mc_oh/v2.meta.json" || fail "no one-hot encoder: $(cat "$DB/_models/mc_oh/v2.meta.json")"

grep -q '"name":"color","type":"VARCHAR","encoding":"dummy","categories":\["blue","green","red"\]' "$DB/_models/mc_dum/v1.meta.json" || fail "no dummy encoder: $(cat "$DB/_models/mc_dum/v1.meta.json")"
grep -q '"feature_names":\["x1","x2","color=green","color=red"\]' "$DB/_models/mc_dum/v1.model.json" || fail "dummy encoding's inputs: $(head -c 600 "$DB/_models/mc_dum/v1.model.json")"

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
