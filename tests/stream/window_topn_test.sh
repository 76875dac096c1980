# Window Top-N in `sluice stream run` (Flink's window Top-N: ROW_NUMBER() OVER (PARTITION BY
# window_start, window_end ORDER BY ...) filtered by rn <= n over a window table function).
# A live run (events written while the job runs, the job killed once and restarted), a replay
# with --until-idle and the batch query of the same SQL hold the same rows.
source "$(dirname "$0")/../cli/cli_test_lib.sh"
source "$(dirname "$0")/stream_test_lib.sh"
DB="$WORK_DIR/db"
LIVE="$WORK_DIR/live"
mkdir -p "$LIVE"
cat > "$WORK_DIR/live.sql" <<SQL
CREATE TABLE bids (id BIGINT, auction BIGINT, price BIGINT, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '$LIVE', 'format' = 'json');
INSERT INTO live_top
SELECT window_start, window_end, auction, price, id, rn FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end
                               ORDER BY price DESC, id) AS rn
  FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '3' SECOND)))
WHERE rn <= 3;
SQL
sed 's/live_top/replay_top/' "$WORK_DIR/live.sql" > "$WORK_DIR/replay.sql"
# 20 chunks of 2 files x 30 events, event time rising 1 s per chunk and out of order by up
# to 1.5 s inside it (within the watermark's delay), written over ~2 s.
write_events() {
  python3 - "$LIVE" <<'PY'
import sys, time
for chunk in range(20):
    for f in range(2):
        with open('%s/part-%d.jsonl' % (sys.argv[1], f), 'a') as out:
            for i in range(30):
                n = (chunk * 2 + f) * 30 + i
                ms = chunk * 1000 + (i * 37 % 30) * 50
                out.write('{"id": %d, "auction": %d, "price": %d, "ts": "2024-01-01 00:00:%02d.%03d"}\n'
                          % (n, n % 7, (n * 7919) % 1000, ms // 1000, ms % 1000))
    time.sleep(0.1)
PY
}
live_killed_then_replay 1200 100ms 1
# Windows of 3 s over 20 s of events: 7 windows, 3 rows each, ranked 1..3.
run sql --db "$DB" --format csv -c "SELECT count(*), count(DISTINCT window_start), sum(rn) FROM live_top"
expect_out "count(*),count(DISTINCT window_start),sum(rn)
21,7,42" "three rows per window"
expect_same_rows live_top replay_top "the replay's rows equal the live run's"
run sql --db "$DB" --format csv -c "SELECT count(*) FROM (SELECT * FROM live_top EXCEPT ALL SELECT window_start, window_end, auction, price, id, rn FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY price DESC, id) AS rn FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '3' SECOND))) WHERE rn <= 3)"
expect_out "count(*)
0" "the streamed rows equal the batch query over the same history"
# The highest price of each window is its rank 1.
run sql --db "$DB" --format csv -c "SELECT count(*) FROM live_top t JOIN (SELECT window_start, max(price) AS p FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '3' SECOND)) GROUP BY window_start) m ON t.window_start = m.window_start AND t.rn = 1 AND t.price = m.p"
expect_out "count(*)
7" "rank 1 holds each window's highest price"
finish
