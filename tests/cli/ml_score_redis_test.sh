# Batch scoring into a real redis-server: `sluice ml score` and CALL ml_score_to_redis publish
# every row's prediction as a new version (the values equal ML.PREDICT's), flip <model>:current
# once, expire the older version; failed runs (a NULL key mid-input, a duplicate key, an
# unknown model or server) leave the current version as it was.
source "$(dirname "$0")/cli_test_lib.sh"
source "$(dirname "$0")/redis_test_lib.sh"

# field KEY NAME: field NAME of the JSON score stored at KEY.
field() {
  rcli GET "$1" | python3 -c "import json, sys; v = json.load(sys.stdin).get('$2'); print(json.dumps(v) if isinstance(v, dict) else ('' if v is None else v))"
}

DB="$WORK_DIR/warehouse"
run sql --no-progress --db "$DB" -c "
  create table users as select range as id, (range * 7) % 101 / 10.0 as x1, (range * 13) % 37 as x2,
    case when (range * 7) % 101 / 10.0 + ((range * 13) % 37) / 10.0 > 8 then 'yes' else 'no' end as churned,
    (range * 7) % 101 / 10.0 * 3 - ((range * 13) % 37) / 5.0 as spend
  from range(3000);
  create model churn options (model_type = 'boosted_tree_classifier', input_label_cols = ['churned'],
    max_iterations = 10, max_tree_depth = 4) as select x1, x2, churned from users;
  create model spend options (model_type = 'boosted_tree_regressor', input_label_cols = ['spend'],
    max_iterations = 10) as select x1, x2, spend from users"
expect_code 0 "create models"

run ml score --db "$DB" --model churn --input users --key id --to "$REDIS_URL"
expect_code 0 "ml score"
expect_out "published 3000 scores of model churn (version 1) as churn:v1; churn:current = 1" "ml score output"
[ "$(rcli GET churn:current)" == "1" ] || fail "churn:current is not 1"
[ "$(rcli HGET churn:v1 rows)" == "3000" ] || fail "the manifest does not count 3000 rows"

run sql --no-progress --db "$DB" --format csv -c \
  "select predicted_churned, round(predicted_churned_probability, 6) from ml.predict(model churn, table users) where id = 1234"
expect_code 0 "predict one"
expected_label="$(echo "$OUT" | sed -n 2p | cut -d, -f1)"
expected_p="$(echo "$OUT" | sed -n 2p | cut -d, -f2)"
[ "$(field churn:v1:1234 prediction)" == "$expected_label" ] || fail "prediction differs from ML.PREDICT's ($expected_label)"
got_p="$(python3 -c "print(round(float('$(field churn:v1:1234 probability)'), 6))")"
python3 -c "import sys; sys.exit(abs($got_p - $expected_p) > 1e-6)" || fail "probability $got_p, ML.PREDICT $expected_p"
[[ "$(field churn:v1:1234 probabilities)" == '{"no": '*', "yes": '* ]] || fail "probabilities JSON: $(rcli GET churn:v1:1234)"
[ "$(field churn:v1:1234 model_version)" == "1" ] || fail "model_version"
[ "$(rcli TTL churn:v1:1234)" == "-1" ] || fail "the current version must not expire"

# The SQL statement: a second version, with the input as a query; the first one expires.
run sql --no-progress --db "$DB" --format csv -c \
  "call ml_score_to_redis('churn', 'select * from users where id < 2000', '$REDIS_URL', key => 'id', expire_seconds => 120)"
expect_code 0 "CALL ml_score_to_redis"
expect_out "version,rows,model_version,current_key
2,2000,1,churn:current" "CALL output"
[ "$(rcli GET churn:current)" == "2" ] || fail "churn:current is not 2"
ttl="$(rcli TTL churn:v1:1234)"
{ [ "$ttl" -gt 0 ] && [ "$ttl" -le 120 ]; } || fail "the old version's key TTL is $ttl"
[ "$(rcli TTL churn:v2:1234)" == "-1" ] || fail "the new version must not expire"
[ "$(rcli EXISTS churn:v2:2500)" == "0" ] || fail "version 2 has a row outside its input"

# Failed runs leave version 2 current.
run ml score --db "$DB" --model churn --key id --to "$REDIS_URL" \
  --query "select case when id = 2500 then null else id end as id, x1, x2 from users order by id nulls last"
expect_code 1 "a NULL key mid-input"
expect_err_contains "row 3000 has a NULL key (id)" "NULL key message"
[ "$(rcli EXISTS churn:v3:5)" == "1" ] || fail "the failed run stopped before writing (not mid-run)"
[ "$(rcli GET churn:current)" == "2" ] || fail "the failed run changed churn:current"
run ml score --db "$DB" --model churn --key k --to "$REDIS_URL" \
  --query "select id % 100 as k, x1, x2 from users"
expect_code 1 "duplicate keys"
expect_err_contains "appears in more than one row" "duplicate key message"
run ml score --db "$DB" --model nope --input users --to "$REDIS_URL"
expect_code 1 "unknown model"
expect_err_contains "Model with name nope does not exist" "unknown model message"
run ml score --db "$DB" --model churn --input users --key id --to "redis://127.0.0.1:1/1"
expect_code 1 "no server"
expect_err_contains "cannot connect to Redis" "no server message"
run ml score --db "$DB" --model churn --input users --key nokey --to "$REDIS_URL"
expect_code 1 "unknown key column"
expect_err_contains "has no key column nokey" "key column message"
run ml score --db "$DB" --model churn --to "$REDIS_URL"
expect_code 2 "no input"
[ "$(rcli GET churn:current)" == "2" ] || fail "a failed run changed churn:current"
[ "$(field churn:v2:1999 model_version)" == "1" ] || fail "version 2 is not whole after failed runs"

# A regressor, with the default key (the first column) and its own prefix.
run ml score --db "$DB" --model spend --input users --prefix nightly --to "$REDIS_URL"
expect_code 0 "ml score regressor"
run sql --no-progress --db "$DB" --format csv -c \
  "select predicted_spend from ml.predict(model spend, table users) where id = 7"
pred="$(field nightly:v1:7 prediction)"
python3 -c "import sys; sys.exit(abs(float('$pred') - float('$(echo "$OUT" | sed -n 2p)')) > 1e-4)" \
  || fail "regressor prediction $pred vs $(echo "$OUT" | sed -n 2p)"
[ "$(field nightly:v1:7 probability)" == "" ] || fail "a regressor has no probability"

# A multiclass classifier (an integer label of three values): the predicted class and every
# class's probability, equal to ML.PREDICT's, for every row.
run sql --no-progress --db "$DB" -c "
  create model tier options (model_type = 'boosted_tree_classifier', input_label_cols = ['tier'],
    max_iterations = 8, max_tree_depth = 3)
    as select x1, x2, case when x1 > 7 then 30 when x1 + x2 / 10.0 > 5 then 20 else 10 end as tier from users"
expect_code 0 "create multiclass model"
run ml score --db "$DB" --model tier --input users --key id --to "$REDIS_URL"
expect_code 0 "ml score multiclass"
run sql --no-progress --db "$DB" --format csv -c \
  "select id, predicted_tier, e.label, e.prob from (select id, predicted_tier, unnest(predicted_tier_probs) as e
   from ml.predict(model tier, table users)) t order by id, e.label"
expect_code 0 "ML.PREDICT multiclass"
echo "$OUT" > "$WORK_DIR/tier.csv"
for id in 0 7 1234 2999; do rcli GET "tier:v1:$id"; done > "$WORK_DIR/tier_redis.json"
python3 - "$WORK_DIR/tier.csv" "$WORK_DIR/tier_redis.json" <<'PY' || fail "multiclass batch scores differ from ML.PREDICT"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
stored = [json.loads(line) for line in open(sys.argv[2])]
for id, score in zip([0, 7, 1234, 2999], stored):
    mine = [r for r in rows if int(r["id"]) == id]
    assert [r["label"] for r in mine] == ["10", "20", "30"], mine
    assert score["prediction"] == mine[0]["predicted_tier"], (score, mine)
    assert list(score["probabilities"]) == ["10", "20", "30"], score
    for r in mine:
        assert abs(score["probabilities"][r["label"]] - float(r["prob"])) < 1e-9, (score, r)
    assert abs(sum(score["probabilities"].values()) - 1) < 1e-6, score
    assert score["probability"] == max(score["probabilities"].values()), score
    assert score["model_version"] == 1, score
PY

finish
