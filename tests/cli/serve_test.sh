# `sluice serve` on loopback against a real redis-server: predictions equal ML.PREDICT's,
# batch scores follow the current version, bad requests get 4xx with a message, a missing
# entity a 404; a bounded load from 4 client threads with bad requests mixed in gets the
# expected status for every request and /metrics counts them; a new model version and a new
# score version are picked up without a restart.
source "$(dirname "$0")/cli_test_lib.sh"
source "$(dirname "$0")/redis_test_lib.sh"
SERVE_PID=""
trap '[ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null; kill "$REDIS_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK_DIR"' EXIT

DB="$WORK_DIR/warehouse"
run sql --no-progress --db "$DB" -c "
  create table users as select range as id, (range * 7) % 101 / 10.0 as x1,
    case when range % 3 = 0 then 'red' when range % 3 = 1 then 'green' else 'blue' end as color,
    case when (range * 7) % 101 / 10.0 + (range % 3) * 2 > 7 then 1 else 0 end as churned
  from range(2000);
  create model churn options (model_type = 'boosted_tree_classifier', input_label_cols = ['churned'],
    max_iterations = 10, max_tree_depth = 4) as select x1, color, churned from users"
expect_code 0 "create model"
run ml score --db "$DB" --model churn --input users --key id --to "$REDIS_URL"
expect_code 0 "ml score"
run sql --no-progress --db "$DB" --format csv -c \
  "select x1, color, predicted_churned, predicted_churned_probability from ml.predict(model churn, table users) where id = 1234"
expect_code 0 "ML.PREDICT one row"
ROW="$(echo "$OUT" | sed -n 2p)"

start_serve --db "$DB" --model churn --redis "$REDIS_URL" --threads 2

python3 - "$PORT" "$ROW" <<'PY' || fail "HTTP checks"
import json, sys, threading, urllib.request, urllib.error
port, row = sys.argv[1], sys.argv[2].split(",")
base = f"http://127.0.0.1:{port}"
failures = []

def call(method, path, body=None):
    data = body.encode() if isinstance(body, str) else None
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()

def check(cond, what):
    if not cond:
        failures.append(what)

status, text = call("GET", "/health")
check(status == 200 and json.loads(text)["model_version"] == 1, f"health: {status} {text}")

# A prediction from request features equals ML.PREDICT's on the same values.
x1, color, label, p = float(row[0]), row[1], row[2], float(row[3])
status, text = call("POST", "/v1/predict", json.dumps({"features": {"x1": x1, "color": color}}))
check(status == 200, f"predict: {status} {text}")
if status == 200:
    out = json.loads(text)
    check(abs(out["probability"] - p) < 1e-6, f"probability {out['probability']} vs ML.PREDICT {p}")
    check(out["prediction"] == label, f"label {out['prediction']} vs {label}")
    check(abs(out["probabilities"]["1"] - p) < 1e-6, f"probabilities {out}")

# The batch score of the current version.
status, text = call("GET", "/v1/scores/1234")
check(status == 200, f"score: {status} {text}")
if status == 200:
    out = json.loads(text)
    check(out["version"] == 1 and abs(out["probability"] - p) < 1e-6, f"score: {out}")

# Bad requests: each gets its status and a message.
bad = [
    ("POST", "/v1/predict", "{not json", 400, "invalid JSON"),
    ("POST", "/v1/predict", "[1, 2]", 400, "must be a JSON object"),
    ("POST", "/v1/predict", json.dumps({"features": {"nope": 1}}), 400, "unknown feature 'nope'"),
    ("POST", "/v1/predict", json.dumps({"features": {"x1": "abc"}}), 400, "feature x1"),
    ("POST", "/v1/predict", json.dumps({"features": {"x1": [1]}}), 400, "must be a number"),
    ("POST", "/v1/predict", json.dumps({"feature": {}}), 400, "unknown field 'feature'"),
    ("GET", "/v1/scores/no-such-user", None, 404, "no batch score for key 'no-such-user'"),
    ("GET", "/nowhere", None, 404, "no route GET /nowhere"),
]
for method, path, body, want, message in bad:
    status, text = call(method, path, body)
    check(status == want and message in json.loads(text).get("error", ""),
          f"{method} {path} {body}: {status} {text}")

# A bounded load: 4 threads x 60 requests, a third of them bad.
expected = {}
lock = threading.Lock()
def worker(t):
    for i in range(60):
        kind = (t + i) % 3
        if kind == 0:
            s, _ = call("POST", "/v1/predict", json.dumps({"features": {"x1": i / 10, "color": "red"}}))
            want = 200
        elif kind == 1:
            s, _ = call("GET", f"/v1/scores/{(t * 97 + i) % 2000}")
            want = 200
        else:
            s, _ = call("POST", "/v1/predict", "{bad")
            want = 400
        with lock:
            expected[want] = expected.get(want, 0) + 1
            if s != want:
                failures.append(f"load: status {s}, expected {want}")
threads = [threading.Thread(target=worker, args=(t,)) for t in range(4)]
for t in threads: t.start()
for t in threads: t.join()

status, text = call("GET", "/metrics")
check(status == 200, "metrics")
counts = {}
for line in text.splitlines():
    if line.startswith("sluice_serve_requests_total{"):
        labels, n = line.rsplit(" ", 1)
        counts[labels] = int(n)
predict_400 = counts.get('sluice_serve_requests_total{route="/v1/predict",status="400"}', 0)
check(predict_400 == expected[400] + 6, f"metrics count of predict 400s: {predict_400}, sent {expected[400] + 6}")
check('sluice_serve_request_duration_seconds_bucket{le="+Inf"}' in text, "latency histogram")
check(counts.get('sluice_serve_requests_total{route="other",status="404"}', 0) == 1, f"404 count: {counts}")
if failures:
    print("\n".join(failures[:20]), file=sys.stderr)
    sys.exit(1)
PY

# A new model version and a new score version, picked up without a restart.
run sql --no-progress --db "$DB" -c "
  create or replace model churn options (model_type = 'boosted_tree_classifier', input_label_cols = ['churned'],
    max_iterations = 3, max_tree_depth = 2) as select x1, color, churned from users"
expect_code 0 "retrain"
run ml score --db "$DB" --model churn --input users --key id --to "$REDIS_URL"
expect_code 0 "score again"
python3 - "$PORT" <<'PY' || fail "new versions"
import json, sys, urllib.request
base = f"http://127.0.0.1:{sys.argv[1]}"
health = json.loads(urllib.request.urlopen(base + "/health").read())
assert health["model_version"] == 2, health
score = json.loads(urllib.request.urlopen(base + "/v1/scores/5").read())
assert score["version"] == 2 and score["model_version"] == 2, score
req = urllib.request.Request(base + "/v1/predict", data=b'{"features": {"x1": 1}}', method="POST")
assert json.loads(urllib.request.urlopen(req).read())["model_version"] == 2
PY

# A dropped model: predictions answer 503 with a message, until it exists again.
run sql --no-progress --db "$DB" -c "drop model churn"
expect_code 0 "drop model"
python3 - "$PORT" <<'PY' || fail "dropped model"
import json, sys, urllib.request, urllib.error
req = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/v1/predict", data=b'{"features": {"x1": 1}}', method="POST")
try:
    urllib.request.urlopen(req)
    raise SystemExit("no error for a dropped model")
except urllib.error.HTTPError as e:
    body = json.loads(e.read())
    assert e.code == 503 and "model churn no longer exists" in body["error"], (e.code, body)
PY

# Redis gone: the batch score answers 503 with a message; /health says degraded.
kill "$REDIS_PID"; wait "$REDIS_PID" 2>/dev/null
python3 - "$PORT" <<'PY' || fail "redis down"
import json, sys, urllib.request, urllib.error
base = f"http://127.0.0.1:{sys.argv[1]}"
for path in ["/v1/scores/5", "/health"]:
    try:
        urllib.request.urlopen(base + path)
        raise SystemExit(f"{path}: no error")
    except urllib.error.HTTPError as e:
        assert e.code == 503, (path, e.code)
PY

# A multiclass model with one-hot features (no Redis: request features only): the answer has
# the most probable class and every class's probability, equal to ML.PREDICT's.
kill "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null
run sql --no-progress --db "$DB" -c "
  create model segment options (model_type = 'boosted_tree_classifier', input_label_cols = ['segment'],
    category_encoding_method = 'ONE_HOT_ENCODING', max_iterations = 6, max_tree_depth = 3)
    as select x1, color, case when x1 > 6 then 'gold' when color = 'red' then 'red-ish' else 'basic' end as segment from users"
expect_code 0 "create a multiclass model"
run sql --no-progress --db "$DB" --format csv -c \
  "select predicted_segment, e.label, e.prob from (select predicted_segment, unnest(predicted_segment_probs) as e
   from ml.predict(model segment, (select 2.5 as x1, 'red' as color))) t order by e.label"
expect_code 0 "ML.PREDICT multiclass"
echo "$OUT" > "$WORK_DIR/segment.csv"
start_serve --db "$DB" --model segment
python3 - "$PORT" "$WORK_DIR/segment.csv" <<'PY' || fail "multiclass predict"
import csv, json, sys, urllib.request
rows = list(csv.DictReader(open(sys.argv[2])))
req = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/v1/predict",
                             data=json.dumps({"features": {"x1": 2.5, "color": "red"}}).encode(), method="POST")
out = json.loads(urllib.request.urlopen(req).read())
assert [r["label"] for r in rows] == ["basic", "gold", "red-ish"], rows
assert out["prediction"] == rows[0]["predicted_segment"] == "red-ish", (out, rows)
assert sorted(out["probabilities"]) == ["basic", "gold", "red-ish"], out
for r in rows:
    assert abs(out["probabilities"][r["label"]] - float(r["prob"])) < 1e-9, (out, r)
assert out["probability"] == out["probabilities"]["red-ish"], out
assert out["features"] == {"x1": 2.5, "color": "red"}, out
PY

run serve --db "$DB" --model nope --port 0
expect_code 1 "unknown model"
expect_err_contains "Model with name nope does not exist" "unknown model message"
run serve --db "$DB"
expect_code 2 "no model"
finish
