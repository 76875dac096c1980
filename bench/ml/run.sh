#!/usr/bin/env bash
# Issue 14's serving figures, each beside its peer measured in the same run on this machine:
#  1. batch scoring of N users into Redis (sluice ml score: ML.PREDICT + pipelined SETs of a
#     new version + the atomic flip; the whole process, start to end) vs
#     `redis-benchmark -P 64 -t set` with as many requests (3-byte values, and values as long
#     as the scores');
#  2. online latency of `sluice serve --threads 2`: p50/p99 and requests/s of POST
#     /v1/predict and GET /v1/scores/{key} from a python3 client with 2 threads (the
#     client's own time is included: the figures are an upper bound).
#  3. the PIT join of PIT_LABELS label rows against PIT_FEATURES feature rows vs DuckDB's
#     ASOF JOIN (pit.sh; default 10000000 x 100000000, the issue's size);
#  4. training time vs python3-xgboost on TRAIN_ROWS rows (train.sh; default 1000000).
# Redis runs on a private loopback port, without persistence, and is stopped at the end.
#   bench/ml/run.sh [N_USERS]   (default 1000000)
# Environment: PIT_LABELS, PIT_FEATURES, TRAIN_ROWS; SKIP_PIT=1 / SKIP_TRAIN=1 leave a part out.
set -euo pipefail
cd "$(dirname "$0")/../.."
SLUICE=${SLUICE:-build/sluice}
N=${1:-1000000}
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --loglevel warning \
  --dir "$WORK" >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
SERVE_PID=""
trap '[ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null; kill "$REDIS_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done
URL="redis://127.0.0.1:$PORT/0"
DB="$WORK/warehouse"

"$SLUICE" sql --db "$DB" --no-progress -c "
  CREATE TABLE users AS SELECT range AS user_id, (range * 7) % 101 / 10.0 AS x1,
    (range * 13) % 37 AS x2, CASE WHEN range % 3 = 0 THEN 'red' ELSE 'blue' END AS color,
    CASE WHEN (range * 7) % 101 / 10.0 + ((range * 13) % 37) / 10.0 > 8 THEN 1 ELSE 0 END AS y
  FROM range($N);
  CREATE MODEL churn OPTIONS (model_type = 'boosted_tree_classifier', input_label_cols = ['y'],
    max_iterations = 20, max_tree_depth = 5) AS SELECT x1, x2, color, y FROM users WHERE user_id < 50000"

echo "== batch scoring of $N users into Redis"
t0=$(date +%s.%N)
"$SLUICE" ml score --db "$DB" --model churn --input users --key user_id --to "$URL"
t1=$(date +%s.%N)
SCORE_S=$(python3 -c "print(f'{$t1 - $t0:.2f}')")
SCORE_RATE=$(python3 -c "print(int($N / ($t1 - $t0)))")
BENCH=$(redis-benchmark -p "$PORT" -P 64 -t set -n "$N" -r "$N" -q | tr "\r" "\n" | grep "requests per second" | tail -1)
SET_RATE=$(echo "$BENCH" | sed -n 's/^SET: \([0-9.]*\) requests per second.*/\1/p' | cut -d. -f1)
# The same command shape as the scores (SET of a value as long as a score's JSON, random
# keys): what Redis itself does per row of the scoring run.
VALUE_BYTES=$(redis-cli -p "$PORT" STRLEN churn:v1:12345)
DBENCH=$(redis-benchmark -p "$PORT" -P 64 -t set -n "$N" -r "$N" -d "$VALUE_BYTES" -q | tr "\r" "\n" | grep "requests per second" | tail -1)
DSET_RATE=$(echo "$DBENCH" | sed -n 's/^SET: \([0-9.]*\) requests per second.*/\1/p' | cut -d. -f1)
echo "sluice ml score: $N rows in ${SCORE_S}s = $SCORE_RATE rows/s (ML.PREDICT, then one SET of a $VALUE_BYTES-byte JSON value per row)"
echo "redis-benchmark -P 64 -t set: $SET_RATE SET/s"
echo "redis-benchmark -P 64 -t set -d $VALUE_BYTES: $DSET_RATE SET/s"
python3 -c "print(f'ratio: redis-benchmark SET rate / sluice scoring rate = {$SET_RATE / $SCORE_RATE:.2f}x (aim: within 2x); SET of $VALUE_BYTES bytes / sluice = {$DSET_RATE / $SCORE_RATE:.2f}x')"
echo "memory of Redis: $(redis-cli -p "$PORT" info memory | grep '^used_memory_human' | tr -d '\r')"

echo
echo "== online latency (sluice serve --threads 2)"
"$SLUICE" serve --db "$DB" --model churn --redis "$URL" --port 0 --threads 2 >"$WORK/serve.out" 2>&1 &
SERVE_PID=$!
for _ in $(seq 1 100); do grep -q "listening on" "$WORK/serve.out" 2>/dev/null && break; sleep 0.05; done
HTTP_PORT=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$WORK/serve.out")
python3 - "$HTTP_PORT" "$N" <<'PY'
import http.client, json, sys, threading, time
port, n = int(sys.argv[1]), int(sys.argv[2])
def run(path, body, count=2000, threads=2):
    lat, lock = [], threading.Lock()
    def worker(t):
        conn = http.client.HTTPConnection("127.0.0.1", port)  # keep-alive
        mine = []
        for i in range(count // threads):
            p = path.format(i=(i * 7919 + t) % n)
            start = time.perf_counter()
            conn.request("POST" if body else "GET", p, body=body)
            r = conn.getresponse(); r.read()
            mine.append(time.perf_counter() - start)
            assert r.status == 200, r.status
        with lock: lat.extend(mine)
    start = time.perf_counter()
    ts = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
    for t in ts: t.start()
    for t in ts: t.join()
    wall = time.perf_counter() - start
    lat.sort()
    print(f"{('POST' if body else 'GET'):4} {path.split('{')[0]:14} p50 {lat[len(lat)//2]*1e3:.3f} ms  "
          f"p99 {lat[int(len(lat)*0.99)]*1e3:.3f} ms  {len(lat)/wall:.0f} req/s (2 client threads)")
run("/v1/predict", json.dumps({"features": {"x1": 3.5, "x2": 7, "color": "red"}}))
run("/v1/scores/{i}", None)
PY
kill "$SERVE_PID" 2>/dev/null || true
wait "$SERVE_PID" 2>/dev/null || true
SERVE_PID=""

echo
[ "${SKIP_PIT:-0}" = 1 ] || bench/ml/pit.sh "${PIT_LABELS:-10000000}" "${PIT_FEATURES:-100000000}" 2
echo
[ "${SKIP_TRAIN:-0}" = 1 ] || bench/ml/train.sh "${TRAIN_ROWS:-1000000}"
