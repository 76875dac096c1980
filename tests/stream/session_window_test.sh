# SESSION windows in `sluice stream run` (issue 13): sessions per key close when the
# watermark passes their last row plus the gap; a row at or behind the watermark goes to the
# late table (an emitted session never changes); a live run killed twice and restarted, a
# replay and the batch query of the same SESSION over the same history hold the same rows.
source "$(dirname "$0")/../cli/cli_test_lib.sh"
source "$(dirname "$0")/stream_test_lib.sh"
DB="$WORK_DIR/db"
IN="$WORK_DIR/in"
mkdir -p "$IN"

# --- A small job: sessions per bidder, a late row, a row behind the maximum but on time --
cat > "$IN/a.jsonl" <<'JSON'
{"bidder": 1, "price": 10, "ts": "2024-01-01 00:00:01"}
{"bidder": 2, "price": 20, "ts": "2024-01-01 00:00:03"}
{"bidder": 1, "price": 30, "ts": "2024-01-01 00:00:05"}
{"bidder": 1, "price": 40, "ts": "2024-01-01 00:00:14"}
{"bidder": 2, "price": 50, "ts": "2024-01-01 00:00:30"}
{"bidder": 2, "price": 60, "ts": "2024-01-01 00:00:35"}
{"bidder": 1, "price": 70, "ts": "2024-01-01 00:00:40"}
{"bidder": 2, "price": 80, "ts": "2024-01-01 00:00:08"}
{"bidder": 3, "price": 90, "ts": "2024-01-01 00:00:36"}
JSON
cat > "$WORK_DIR/job.sql" <<SQL
CREATE TABLE bids (bidder BIGINT, price BIGINT, ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '$IN', 'format' = 'json');
INSERT INTO sessions
SELECT bidder, window_start, window_end, count(*) AS bids, sum(price) AS volume
FROM TABLE(SESSION(TABLE bids PARTITION BY bidder, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY bidder, window_start, window_end;
SQL
run stream run -f "$WORK_DIR/job.sql" --db "$DB" --until-idle
expect_code 0 "session job"
expect_out "9 records, 5 rows committed, 1 late, 0 dead letters, checkpoint 1" "session job summary"
# Bidder 1's rows 1 s, 5 s and 14 s are each within 10 s of the previous one: one session
# to 24 s; 40 s starts another. 00:00:08 came when the watermark stood at 35 s: late.
run sql --db "$DB" --format csv -c "SELECT * FROM sessions ORDER BY bidder, window_start"
expect_out "bidder,window_start,window_end,bids,volume
1,2024-01-01 00:00:01,2024-01-01 00:00:24,3,80
1,2024-01-01 00:00:40,2024-01-01 00:00:50,1,70
2,2024-01-01 00:00:03,2024-01-01 00:00:13,1,20
2,2024-01-01 00:00:30,2024-01-01 00:00:45,2,110
3,2024-01-01 00:00:36,2024-01-01 00:00:46,1,90" "sessions per bidder"
run sql --db "$DB" --format csv -c "SELECT bidder, price, ts FROM sessions_late"
expect_out "bidder,price,ts
2,80,2024-01-01 00:00:08" "the row behind the watermark is in the late table"

# A session must say when it is complete: window_end is selected.
sed 's/SELECT bidder, window_start, window_end,/SELECT bidder, window_start,/; s/GROUP BY bidder, window_start, window_end/GROUP BY bidder, window_start/; s/INTO sessions/INTO sessions_bad/' \
  "$WORK_DIR/job.sql" > "$WORK_DIR/bad.sql"
run stream run -f "$WORK_DIR/bad.sql" --db "$DB" --until-idle
expect_code 1 "a session job without window_end"
expect_err_contains "selects window_end" "the error names window_end"
sed 's/PARTITION BY bidder/PARTITION BY buyer/; s/INTO sessions/INTO sessions_bad2/' \
  "$WORK_DIR/job.sql" > "$WORK_DIR/bad2.sql"
run stream run -f "$WORK_DIR/bad2.sql" --db "$DB" --until-idle
expect_code 1 "an unknown session key"
expect_err_contains "buyer" "the error names the key"

# --- Live run killed twice, then finished; a replay and the batch query agree -------------
LIVE="$WORK_DIR/live"
mkdir -p "$LIVE"
cat > "$WORK_DIR/live.sql" <<SQL
CREATE TABLE events (id BIGINT, k BIGINT, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '3' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '$LIVE', 'format' = 'json');
INSERT INTO live_sessions
SELECT k, window_start, window_end, count(*) AS n, sum(id) AS ids
FROM TABLE(SESSION(TABLE events PARTITION BY k, DESCRIPTOR(ts), INTERVAL '2' SECOND))
GROUP BY k, window_start, window_end;
SQL
sed 's/live_sessions/replay_sessions/' "$WORK_DIR/live.sql" > "$WORK_DIR/replay.sql"
# 30 chunks of 3 files x 40 events, time rising 1 s per chunk and in order within a file;
# key k is quiet for 4 s out of every 12, so its sessions break there.
write_events() {
  python3 - "$LIVE" <<'PY'
import sys, time
for chunk in range(30):
    for f in range(3):
        with open('%s/part-%d.jsonl' % (sys.argv[1], f), 'a') as out:
            for i in range(40):
                n = (chunk * 3 + f) * 40 + i
                k = n % 3
                if (chunk // 4 + k) % 3 == 0:
                    continue
                out.write('{"id": %d, "k": %d, "ts": "2024-01-01 00:00:%02d.%03d"}\n' % (n, k, chunk, i * 25))
    time.sleep(0.1)
PY
}
live_killed_then_replay "" 150ms 1 100ms 1.3
expect_same_rows live_sessions replay_sessions "the replay's sessions equal the live run's"
run sql --db "$DB" --format csv -c "SELECT (SELECT sum(n) FROM live_sessions) = (SELECT count(*) FROM events) AS once, (SELECT count(*) FROM live_sessions) AS sessions"
# Each key is active in three stretches of 4-8 s: three sessions per key.
expect_out "once,sessions
true,9" "kill -9 and restart: every event in exactly one session"
BATCH="SELECT k, window_start, window_end, count(*), sum(id) FROM TABLE(SESSION(TABLE events PARTITION BY k, DESCRIPTOR(ts), INTERVAL '2' SECOND)) GROUP BY ALL"
run sql --db "$DB" --format csv -c "SELECT count(*) FROM (SELECT * FROM live_sessions EXCEPT ALL ($BATCH) UNION ALL (($BATCH) EXCEPT ALL SELECT * FROM live_sessions))"
expect_out "count(*)
0" "the streamed sessions equal the batch query over the same history"
finish
