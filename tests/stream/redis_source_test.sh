# `sluice stream run` over a Redis stream (issue 13), against a private redis-server on a
# free loopback port: a live job, stopped and restarted, counts each entry once; entries
# with a 'data' field carry JSON, others are read field by field.
source "$(dirname "$0")/../cli/cli_test_lib.sh"
command -v redis-server > /dev/null || { echo "redis-server is not installed"; exit 77; }
DB="$WORK_DIR/db"
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no > "$WORK_DIR/redis.log" 2>&1 &
REDIS=$!
cleanup() {
  kill "$REDIS" 2>/dev/null
  wait "$REDIS" 2>/dev/null
  rm -rf "$WORK_DIR"
}
trap cleanup EXIT
for _ in $(seq 1 100); do
  redis-cli -p "$PORT" PING > /dev/null 2>&1 && break
  sleep 0.1
done
add() { redis-cli -p "$PORT" XADD clicks '*' "$@" > /dev/null; }

cat > "$WORK_DIR/job.sql" <<SQL
CREATE TABLE clicks (page VARCHAR, ts TIMESTAMP, WATERMARK FOR ts AS ts)
  WITH ('connector' = 'redis-stream', 'stream' = 'clicks', 'address' = '127.0.0.1:$PORT');
INSERT INTO page_counts SELECT window_start, page, count(*) AS n
FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, page;
SQL
add data '{"page": "home", "ts": "2024-01-01 10:00:05"}'
add page home ts '2024-01-01 10:00:30'
add page cart ts '2024-01-01 10:00:40'
add page home ts '2024-01-01 10:01:10'
"$SLUICE" stream run -f "$WORK_DIR/job.sql" --db "$DB" --checkpoint-interval 100ms > "$WORK_DIR/job.out" 2>&1 &
JOB=$!
# The job creates its tables before anything else opens the warehouse (see kafka_source_test).
for _ in $(seq 1 100); do
  [ -f "$DB/_streams/page_counts/status.json" ] && break
  sleep 0.1
done
for _ in $(seq 1 100); do
  n="$("$SLUICE" sql --db "$DB" --format csv -c "SELECT count(*) FROM page_counts" 2>/dev/null | tail -1)"
  [ "$n" == "2" ] && break
  sleep 0.1
done
run stream stop page_counts --db "$DB"
wait $JOB || fail "the job exits 0 after stop: $(cat "$WORK_DIR/job.out")"
run sql --db "$DB" --format csv -c "SELECT * FROM page_counts ORDER BY 1, 2"
expect_out "window_start,page,n
2024-01-01 10:00:00,cart,1
2024-01-01 10:00:00,home,2" "the minute closed by the watermark, counted live"
# More entries; the restarted job resumes after the last entry it read.
add page home ts '2024-01-01 10:01:50'
add page cart ts '2024-01-01 10:02:01'
run stream run -f "$WORK_DIR/job.sql" --db "$DB" --until-idle
expect_code 0 "restart"
expect_out_contains "2 records, 2 rows committed, 0 late, 0 dead letters" "the restart reads only new entries"
run sql --db "$DB" --format csv -c "SELECT * FROM page_counts ORDER BY 1, 2"
expect_out "window_start,page,n
2024-01-01 10:00:00,cart,1
2024-01-01 10:00:00,home,2
2024-01-01 10:01:00,home,2
2024-01-01 10:02:00,cart,1" "every entry counted once across the restart"
run sql --db "$DB" --format csv -c "SELECT page, count(*) FROM clicks GROUP BY page ORDER BY page"
expect_out "page,count(*)
cart,2
home,4" "a batch query reads the stream's entries now"
finish
