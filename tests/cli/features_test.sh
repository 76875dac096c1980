# The feature store end to end against a real redis-server: `sluice features apply` checks a
# YAML project against the warehouse and stores it; materialize writes each entity's latest
# values of a window (only when not older than what is online); materialize-incremental
# writes only the rows after the high-water mark (its first run starts at END - TTL);
# `sluice serve --features` scores an entity from its online features (a missing entity is a
# 404), and a value older than its view's TTL at the request time is missing
# (OUTSIDE_MAX_AGE) while a fresh one is used. Materialize makes each hash expire in Redis at
# its event time + the view's TTL (a value already past it is not kept: the entity reads as
# missing); --no-expire replays history (the 2024 rows here) for `serve --as-of`.
source "$(dirname "$0")/cli_test_lib.sh"
source "$(dirname "$0")/redis_test_lib.sh"
SERVE_PID=""
trap '[ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null; kill "$REDIS_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK_DIR"' EXIT

DB="$WORK_DIR/warehouse"
PROJECT="$WORK_DIR/project"
mkdir -p "$PROJECT"
cat >"$PROJECT/feature_store.yaml" <<'YAML'
project: shop
entities:
  - name: user
    join_keys: [user_id]
YAML
cat >"$PROJECT/views.yaml" <<'YAML'
feature_views:
  - name: user_stats
    entities: [user]
    source:
      table: events
      timestamp_field: event_timestamp
      created_timestamp_column: created
    ttl: 7d
    online: true
    schema:
      - {name: clicks, dtype: Int64}
      - {name: spend, dtype: Float64}
YAML

run sql --no-progress --db "$DB" -c "
  create table events as select range % 100 as user_id,
    timestamp '2024-01-01' + interval (range) hour as event_timestamp,
    timestamp '2024-01-01' + interval (range) hour as created,
    (range * 7) % 13 as clicks, ((range * 11) % 17) / 2.0 as spend
  from range(1000)"
expect_code 0 "events"

run features apply --db "$DB" --project "$PROJECT"
expect_code 0 "apply"
expect_out "applied project shop: 1 feature view" "apply output"
run features list --db "$DB"
expect_code 0 "list"
expect_out_contains "user_stats	keys: user_id	source: events	ttl: 604800s	online: yes	features: clicks,spend" "list output"

# Window [2024-01-01, 2024-01-11): hours 0..239, so users 0..99 each have rows; the latest of
# user 7 is hour 207.
run features materialize 2024-01-01 2024-01-11 --db "$DB" --redis "$REDIS_URL" --no-expire
expect_code 0 "materialize"
expect_out "user_stats: [2024-01-01 00:00:00, 2024-01-11 00:00:00): 100 entities, 100 written" "materialize output"
[ "$(rcli HGET shop:user_stats:7 clicks)" == "$(( (207 * 7) % 13 ))" ] || fail "user 7 clicks: $(rcli HGETALL shop:user_stats:7)"
[ "$(rcli HGET shop:user_stats:7 _event_timestamp)" == "2024-01-09 15:00:00" ] || fail "user 7 time"

# An earlier window never replaces newer online values.
run features materialize 2024-01-01 2024-01-02 --db "$DB" --redis "$REDIS_URL" --no-expire
expect_code 0 "materialize an older window"
expect_out_contains "24 entities, 0 written" "older window writes nothing"
[ "$(rcli HGET shop:user_stats:7 _event_timestamp)" == "2024-01-09 15:00:00" ] || fail "an older row replaced a newer one"

# Incremental: the first run starts at END - TTL (7 days: older rows are past their TTL at
# END); the second only reads what is after the mark.
run features materialize-incremental 2024-01-11 --db "$DB" --redis "$REDIS_URL" --no-expire
expect_code 0 "first incremental"
expect_out_contains "[2024-01-04 00:00:00, 2024-01-11 00:00:00): 100 entities, 100 written" "first incremental"
run features materialize-incremental 2024-01-11 06:00:00 --db "$DB" --redis "$REDIS_URL"
expect_code 2 "two time words"
run features materialize-incremental "2024-01-11 06:00:00" --db "$DB" --redis "$REDIS_URL" --no-expire
expect_code 0 "second incremental"
expect_out "user_stats: [2024-01-11 00:00:00, 2024-01-11 06:00:00): 6 entities, 6 written" "incremental reads only the new rows"
[ "$(rcli GET shop:_materialized:user_stats)" == "1704952800000000" ] || fail "high-water mark: $(rcli GET shop:_materialized:user_stats)"
[ "$(rcli HGET shop:user_stats:44 _event_timestamp)" == "2024-01-11 04:00:00" ] || fail "user 44 not updated"
[ "$(rcli HGET shop:user_stats:7 _event_timestamp)" == "2024-01-09 15:00:00" ] || fail "user 7 changed"
[ "$(rcli PTTL shop:user_stats:7)" == "-1" ] || fail "--no-expire set an expiry: $(rcli PTTL shop:user_stats:7)"

# Errors.
run features apply --db "$DB" --project "$WORK_DIR/nowhere"
expect_code 1 "apply a missing project"
run features materialize 2024-01-01 2024-01-02 --db "$DB" --redis "$REDIS_URL" --view nope
expect_code 1 "unknown view"
expect_err_contains "no feature view nope" "unknown view message"
run features materialize 2024-01-01 --db "$DB" --redis "$REDIS_URL"
expect_code 2 "materialize without END"
printf 'project: shop\nfeature_views: [{name: v, entities: [user], source: events, features: [x]}]\n' >"$WORK_DIR/bad.yaml"
mkdir -p "$WORK_DIR/badproject" && mv "$WORK_DIR/bad.yaml" "$WORK_DIR/badproject/"
run features apply --db "$DB" --project "$WORK_DIR/badproject"
expect_code 1 "a bad project"
expect_err_contains "bad.yaml:2:" "the error names the file and line"

# Online scoring from the online features.
run sql --no-progress --db "$DB" -c "
  create model buyer options (model_type = 'boosted_tree_classifier', input_label_cols = ['big'],
    max_iterations = 8, max_tree_depth = 3)
    as select clicks, spend, spend > 4 as big from events"
expect_code 0 "create model"
run sql --no-progress --db "$DB" --format csv -c \
  "select predicted_big_probability from ml.predict(model buyer, (select clicks, spend from events where user_id = 44 and event_timestamp = timestamp '2024-01-11 04:00:00'))"
expect_code 0 "ML.PREDICT"
P44="$(echo "$OUT" | sed -n 2p)"
# The online rows are from 2024: the TTL (7 days) is checked as of a time in the data.
start_serve --db "$DB" --model buyer --features user_stats --redis "$REDIS_URL" --as-of "2024-01-11 06:00:00"
python3 - "$PORT" "$P44" <<'PY' || fail "online predictions"
import json, sys, urllib.request, urllib.error
base, p44 = f"http://127.0.0.1:{sys.argv[1]}", float(sys.argv[2])
def post(body):
    req = urllib.request.Request(base + "/v1/predict", data=json.dumps(body).encode(), method="POST")
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())
status, out = post({"entity": {"user_id": 44}})
assert status == 200 and abs(out["probability"] - p44) < 1e-6, (status, out, p44)
assert out["feature_timestamps"]["user_stats"] == "2024-01-11 04:00:00", out
assert out["feature_statuses"] == {"clicks": "PRESENT", "spend": "PRESENT"}, out
assert out["features"]["clicks"] == (244 * 7) % 13, out
# A request feature overrides the online one.
status, out2 = post({"entity": {"user_id": 44}, "features": {"spend": 0}})
assert status == 200 and out2["probability"] != out["probability"], out2
status, out = post({"entity": {"user_id": 12345}})
assert status == 404 and "user_id=12345 has no online features" in out["error"], out
status, out = post({"entity": {"customer": 1}})
assert status == 400 and "missing entity key 'user_id'" in out["error"], out
PY
kill "$SERVE_PID" && wait "$SERVE_PID" 2>/dev/null

# User 7's online row (2024-01-09 15:00) is exactly 7 days old at 2024-01-16 15:00: still
# within the TTL (inclusive, as offline); one second later it is past it.
for case in "2024-01-16 15:00:00,PRESENT" "2024-01-16 15:00:01,OUTSIDE_MAX_AGE"; do
  start_serve --db "$DB" --model buyer --features user_stats --redis "$REDIS_URL" --as-of "${case%,*}"
  python3 - "$PORT" "${case#*,}" <<'PY' || fail "TTL as of ${case%,*}"
import json, sys, urllib.request
req = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/v1/predict", data=b'{"entity": {"user_id": 7}}', method="POST")
out = json.loads(urllib.request.urlopen(req).read())
want = sys.argv[2]
assert out["feature_statuses"] == {"clicks": want, "spend": want}, out
assert (out["features"]["clicks"] is None) == (want != "PRESENT"), out
PY
  kill "$SERVE_PID" && wait "$SERVE_PID" 2>/dev/null
done

# Online TTL against the wall clock, kept by Redis: user 1's row is 10 days old, user 2's one
# hour old, user 3's is 6 seconds short of the view's TTL (a day). Materialize makes each hash
# expire at its event time + TTL (PEXPIRETIME checked to the millisecond); user 1's row is
# past it already and is not kept. Serving uses user 2's values; user 1 reads as missing
# (404), and user 3 too once its expiry has passed.
OLD="$(date -u -d '10 days ago' '+%Y-%m-%d %H:%M:%S')"
FRESH="$(date -u -d '1 hour ago' '+%Y-%m-%d %H:%M:%S')"
EDGE="$(date -u -d '1 day ago 6 seconds' '+%Y-%m-%d %H:%M:%S')"
run sql --no-progress --db "$DB" -c "
  create table recent_events as
    select 1 as user_id, timestamp '$OLD' as event_timestamp, 9 as clicks, 7.5 as spend
    union all select 2, timestamp '$FRESH', 3, 1.5
    union all select 3, timestamp '$EDGE', 4, 2.5"
expect_code 0 "recent events"
cat >"$PROJECT/recent.yaml" <<'YAML'
feature_views:
  - name: recent_stats
    entities: [user]
    source: {table: recent_events, timestamp_field: event_timestamp}
    ttl: 1d
    features: [clicks, spend]
YAML
run features apply --db "$DB" --project "$PROJECT"
expect_code 0 "apply with recent_stats"
run features materialize "$(date -u -d '30 days ago' '+%Y-%m-%d')" "$(date -u -d 'tomorrow' '+%Y-%m-%d')" --db "$DB" --redis "$REDIS_URL" --view recent_stats
expect_code 0 "materialize recent_stats"
expect_out_contains "3 entities, 2 written, 1 past their TTL (not kept)" "user 1 is past its TTL"
[ "$(rcli EXISTS shop:recent_stats:1)" == "0" ] || fail "user 1 is online past its TTL"
EXPIRE2=$(( ($(date -u -d "$FRESH" +%s) + 86400) * 1000 ))
EXPIRE3=$(( ($(date -u -d "$EDGE" +%s) + 86400) * 1000 ))
[ "$(rcli PEXPIRETIME shop:recent_stats:2)" == "$EXPIRE2" ] || fail "user 2 expiry: $(rcli PEXPIRETIME shop:recent_stats:2), want $EXPIRE2"
# User 3 may already be gone on a slow machine; if it is there, its expiry is exact.
E3="$(rcli PEXPIRETIME shop:recent_stats:3)"
[ "$E3" == "$EXPIRE3" ] || [ "$E3" == "-2" ] || fail "user 3 expiry: $E3, want $EXPIRE3"
run sql --no-progress --db "$DB" --format csv -c "
  select predicted_big_probability from ml.predict(model buyer, (select 3 as clicks, 1.5 as spend))"
expect_code 0 "ML.PREDICT of user 2's values"
P_FRESH="$(echo "$OUT" | sed -n 2p)"
while [ "$(date +%s%3N)" -le "$EXPIRE3" ]; do sleep 0.2; done
[ "$(rcli EXISTS shop:recent_stats:3)" == "0" ] || fail "user 3 is online past its TTL"
start_serve --db "$DB" --model buyer --features recent_stats --redis "$REDIS_URL"
python3 - "$PORT" "$P_FRESH" <<'PY' || fail "online TTL"
import json, sys, urllib.request, urllib.error
base, p_fresh = f"http://127.0.0.1:{sys.argv[1]}", float(sys.argv[2])
def post(body):
    req = urllib.request.Request(base + "/v1/predict", data=json.dumps(body).encode(), method="POST")
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())
for user in (1, 3):
    status, out = post({"entity": {"user_id": user}})
    assert status == 404 and f"user_id={user} has no online features" in out["error"], (user, status, out)
status, fresh = post({"entity": {"user_id": 2}})
assert status == 200, (status, fresh)
assert fresh["feature_statuses"] == {"clicks": "PRESENT", "spend": "PRESENT"}, fresh
assert fresh["features"] == {"clicks": 3, "spend": 1.5}, fresh
assert abs(fresh["probability"] - p_fresh) < 1e-6, (fresh, p_fresh)
print("online TTL ok")
PY
kill "$SERVE_PID" && wait "$SERVE_PID" 2>/dev/null

# Without --no-expire the 2024 rows of user_stats are long past their TTL: materializing them
# again (every row, so no newer value is online) removes every entity's hash instead of
# serving stale values.
run features materialize 2024-01-01 2024-03-01 --db "$DB" --redis "$REDIS_URL" --view user_stats
expect_code 0 "materialize past the TTL"
expect_out_contains "100 entities, 0 written, 100 past their TTL (not kept)" "every 2024 row is past its TTL"
[ "$(rcli EXISTS shop:user_stats:7)" == "0" ] || fail "user 7's stale hash is still online"
finish
