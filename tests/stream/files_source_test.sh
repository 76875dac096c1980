# `sluice stream run` over a directory of JSON-lines files (issue 13): tumbling counts,
# dead letters, late rows, connector DDL errors, batch reads of the source, list/status,
# kill -9 during a live run then restart counts every event exactly once, and a replay
# with --until-idle writes the same rows as the live run.
source "$(dirname "$0")/../cli/cli_test_lib.sh"
source "$(dirname "$0")/stream_test_lib.sh"
DB="$WORK_DIR/db"
IN="$WORK_DIR/in"
mkdir -p "$IN"

# --- A small job: windows, a late row, two bad records --------------------------------
cat > "$IN/a.jsonl" <<'JSON'
{"auction": 1, "price": 10, "ts": "2024-01-01 00:00:01"}
{"auction": 2, "price": 20, "ts": "2024-01-01 00:00:04"}
{"auction": 1, "price": 30, "ts": "2024-01-01 00:00:12"}
not json
{"auction": "x", "price": 5, "ts": "2024-01-01 00:00:13"}
{"auction": 3, "price": 40, "ts": "2024-01-01 00:00:25"}
{"auction": 3, "price": 41, "ts": "2024-01-01 00:00:02"}
{"auction": 4, "price": 50, "ts": null}
JSON
cat > "$WORK_DIR/job.sql" <<SQL
CREATE TABLE bids (auction BIGINT, price BIGINT, ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '$IN', 'format' = 'json');
INSERT INTO counts
SELECT window_start, window_end, count(*) AS bids, sum(price) AS volume
FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY window_start, window_end;
SQL
run stream run -f "$WORK_DIR/job.sql" --db "$DB" --until-idle
expect_code 0 "small job"
expect_out "8 records, 3 rows committed, 1 late, 2 dead letters, checkpoint 1" "small job summary"
run sql --db "$DB" --format csv -c "SELECT * FROM counts ORDER BY window_start"
expect_out "window_start,window_end,bids,volume
2024-01-01 00:00:00,2024-01-01 00:00:10,2,30
2024-01-01 00:00:10,2024-01-01 00:00:20,1,30
2024-01-01 00:00:20,2024-01-01 00:00:30,1,40" "tumbling counts"
# 00:00:02 arrived when the watermark stood at 00:00:20: its window [0, 10) had closed.
run sql --db "$DB" --format csv -c "SELECT auction, price, ts FROM counts_late"
expect_out "auction,price,ts
3,41,2024-01-01 00:00:02" "late row in the side table"
run sql --db "$DB" --format csv -c "SELECT partition, \"offset\", raw, error LIKE 'not JSON%' OR error LIKE 'column auction%' AS known_error FROM bids_dead_letter ORDER BY 2"
expect_out 'partition,offset,raw,known_error
a.jsonl,171,not json,true
a.jsonl,180,"{""auction"": ""x"", ""price"": 5, ""ts"": ""2024-01-01 00:00:13""}",true' "dead letters keep the raw record, the error and the offset"
# The snapshot of each commit names the job and the checkpoint.
grep -q '"sluice.checkpoint-id" *: *"1"' "$DB"/main/counts/metadata/v*.metadata.json ||
  fail "the sink's snapshot summary records sluice.checkpoint-id"
grep -q '"sluice.job-id" *: *"counts"' "$DB"/main/counts/metadata/v*.metadata.json ||
  fail "the sink's snapshot summary records sluice.job-id"
run stream list --db "$DB"
expect_out "counts	finished" "stream list"
run stream status counts --db "$DB"
expect_out_contains '"rows_out": 3' "stream status"

# A batch query of the source reads what is there now; a bad record fails it, naming it.
run sql --db "$DB" -c "SELECT count(*) FROM bids"
expect_code 1 "batch read with bad records"
expect_err_contains "bad record in partition a.jsonl at offset 171" "batch read names the record"
grep -v -e 'not json' -e '"x"' "$IN/a.jsonl" > "$WORK_DIR/clean" && mv "$WORK_DIR/clean" "$IN/a.jsonl"
run sql --db "$DB" --format csv -c "SELECT window_start, count(*) FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY ALL ORDER BY 1"
expect_out "window_start,count(*)
2024-01-01 00:00:00,3
2024-01-01 00:00:10,1
2024-01-01 00:00:20,1" "the same window function in a batch query"

# --- Connector DDL errors point at the option -------------------------------------------
run sql --db "$DB" -c "CREATE TABLE k (a BIGINT) WITH ('connector' = 'kafka', 'topic' = 't', 'properties.bootstrap.servers' = 'x', 'scan.startup' = 'earliest')"
expect_code 1 "unknown option"
expect_err_contains "connector 'kafka' has no option 'scan.startup'" "unknown option message"
expect_err_contains "line 1, column 109" "unknown option position"
run sql --db "$DB" -c "CREATE TABLE k (a BIGINT) WITH ('connector' = 'kafka', 'topic' = 't')"
expect_err_contains "connector 'kafka' needs option 'properties.bootstrap.servers'" "missing option"
run sql --db "$DB" -c "CREATE TABLE k (a BIGINT) WITH ('connector' = 'pulsar')"
expect_err_contains "unknown connector 'pulsar' (known: filesystem, kafka, nexmark, redis-stream)" "unknown connector"
run sql --db "$DB" -c "CREATE TABLE k (a BIGINT, WATERMARK FOR a AS a) WITH ('connector' = 'filesystem', 'path' = '.')"
expect_err_contains "WATERMARK FOR a: the column is BIGINT, not TIMESTAMP" "watermark type"
run sql --db "$DB" -c "CREATE TABLE k (t TIMESTAMP, WATERMARK FOR t AS t + INTERVAL '1' SECOND) WITH ('connector' = 'filesystem', 'path' = '.')"
expect_err_contains "the watermark is t or t - INTERVAL" "watermark form"

# --- Live run killed twice, then finished; a replay writes the same rows ----------------
LIVE="$WORK_DIR/live"
mkdir -p "$LIVE"
cat > "$WORK_DIR/live.sql" <<SQL
CREATE TABLE events (id BIGINT, k BIGINT, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '$LIVE', 'format' = 'json');
INSERT INTO live_counts
SELECT window_start, window_end, k, count(*) AS n, sum(id) AS ids
FROM TABLE(HOP(TABLE events, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '4' SECOND))
GROUP BY window_start, window_end, k;
SQL
sed 's/live_counts/replay_counts/' "$WORK_DIR/live.sql" > "$WORK_DIR/replay.sql"
# 30 chunks of 3 files x 40 events, event time rising 1 s per chunk, written over ~3 s.
write_events() {
  python3 - "$LIVE" <<'PY'
import sys, time
for chunk in range(30):
    for f in range(3):
        with open('%s/part-%d.jsonl' % (sys.argv[1], f), 'a') as out:
            for i in range(40):
                n = (chunk * 3 + f) * 40 + i
                out.write('{"id": %d, "k": %d, "ts": "2024-01-01 00:00:%02d.%03d"}\n' % (n, n % 3, chunk, i * 25))
    time.sleep(0.1)
PY
}
live_killed_then_replay 3600 150ms 1 100ms 1.3
# Each event is in 2 hopping windows (starts -2 s .. 28 s: 16, times 3 keys): 7200 = every
# event counted exactly once per window.
run sql --db "$DB" --format csv -c "SELECT sum(n), count(*), count(DISTINCT window_start) FROM live_counts"
expect_out "sum(n),count(*),count(DISTINCT window_start)
7200,48,16" "kill -9 and restart: every event counted exactly once"
expect_same_rows live_counts replay_counts "the replay's rows equal the live run's"
run sql --db "$DB" --format csv -c "SELECT count(*) FROM (SELECT * FROM live_counts EXCEPT ALL SELECT window_start, window_end, k, count(*), sum(id) FROM TABLE(HOP(TABLE events, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '4' SECOND)) GROUP BY ALL)"
expect_out "count(*)
0" "the streamed rows equal the batch query over the same history"

# --- Parquet segments: read once complete, each row once ----------------------------------
# (Segments appearing while a job runs are picked up: stream_unit_test covers the offsets.)
SEG="$WORK_DIR/segments"
mkdir -p "$SEG"
run sql -c "COPY (SELECT range AS auction, range * 10 AS price, TIMESTAMP '2024-01-01' + INTERVAL (range) SECOND AS ts FROM range(30)) TO '$SEG/_part-0.parquet' (FORMAT parquet)"
expect_code 0 "first segment written"
mv "$SEG/_part-0.parquet" "$SEG/part-0.parquet"
run sql -c "COPY (SELECT 30 + range AS auction, 1 AS price, TIMESTAMP '2024-01-01 00:00:30' + INTERVAL (range) SECOND AS ts FROM range(25)) TO '$SEG/_part-1.parquet' (FORMAT parquet)"
mv "$SEG/_part-1.parquet" "$SEG/part-1.parquet"
# A segment still being written (its footer missing) waits.
head -c 100 "$SEG/part-1.parquet" > "$SEG/part-2.parquet"
cat > "$WORK_DIR/segments.sql" <<SQL
CREATE TABLE seg_bids (auction BIGINT, price BIGINT, ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '$SEG', 'format' = 'parquet');
INSERT INTO seg_counts
SELECT window_start, count(*) AS bids, sum(price) AS volume
FROM TABLE(TUMBLE(TABLE seg_bids, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY window_start;
SQL
run stream run -f "$WORK_DIR/segments.sql" --db "$DB" --until-idle
expect_code 0 "job over Parquet segments"
expect_out "55 records, 6 rows committed, 0 late, 0 dead letters, checkpoint 1" "every complete segment's rows read once"
run sql --db "$DB" --format csv -c "SELECT window_start, bids, volume FROM seg_counts ORDER BY 1"
expect_out "window_start,bids,volume
2024-01-01 00:00:00,10,450
2024-01-01 00:00:10,10,1450
2024-01-01 00:00:20,10,2450
2024-01-01 00:00:30,10,10
2024-01-01 00:00:40,10,10
2024-01-01 00:00:50,5,5" "windows over both segments"
run sql --db "$DB" --format csv -c "SELECT count(*) FROM seg_bids"
expect_out "count(*)
55" "a batch read of the segments skips the one being written"
finish
