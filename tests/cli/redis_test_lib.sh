# Starts a real redis-server for a CLI test on a free loopback port, with no persistence, and
# stops it when the test exits (even on failure). Source it after cli_test_lib.sh; it sets
# REDIS_PORT and REDIS_URL and defines rcli (redis-cli against that server).
REDIS_PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
  --loglevel warning --dir "$WORK_DIR" >"$WORK_DIR/redis.log" 2>&1 &
REDIS_PID=$!
trap 'kill "$REDIS_PID" 2>/dev/null; wait "$REDIS_PID" 2>/dev/null; rm -rf "$WORK_DIR"' EXIT
REDIS_URL="redis://127.0.0.1:$REDIS_PORT/1"

rcli() { redis-cli -p "$REDIS_PORT" -n 1 "$@"; }

for _ in $(seq 1 200); do
  [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" == "PONG" ] && break
  sleep 0.05
done
[ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" == "PONG" ] || {
  echo "redis-server did not start: $(cat "$WORK_DIR/redis.log")" >&2
  exit 1
}
