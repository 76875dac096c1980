# Deduplication (keep the first row of each key) and first-n per key in `sluice stream run`:
# ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts) filtered by rn = 1 or rn <= n. A live run
# (events written while the job runs, killed once and restarted), a replay and the batch
# query of the same SQL hold the same rows; the job's state keeps the first rows of each key
# only; shapes whose results could change as rows arrive are refused.
source "$(dirname "$0")/../cli/cli_test_lib.sh"
source "$(dirname "$0")/stream_test_lib.sh"
DB="$WORK_DIR/db"
LIVE="$WORK_DIR/live"
mkdir -p "$LIVE"
source_ddl() {
  cat <<SQL
CREATE TABLE ev (id BIGINT, k BIGINT, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '$LIVE', 'format' = 'json');
SQL
}
RANKED="SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts, id) AS rn FROM ev"
{ source_ddl; echo "INSERT INTO live_first SELECT k, id, ts FROM ($RANKED) WHERE rn = 1;"; } > "$WORK_DIR/live.sql"
sed 's/live_first/replay_first/' "$WORK_DIR/live.sql" > "$WORK_DIR/replay.sql"
{ source_ddl; echo "INSERT INTO first_two SELECT k, id, ts, rn FROM ($RANKED) t WHERE t.rn <= 2;"; } > "$WORK_DIR/two.sql"
# 20 chunks of 2 files x 25 events, time rising 1 s per chunk, out of order by up to 1.5 s
# inside it (within the watermark's delay); keys 0..16 repeat, keys 100+ appear late on.
write_events() {
  python3 - "$LIVE" <<'PY'
import sys, time
for chunk in range(20):
    for f in range(2):
        with open('%s/part-%d.jsonl' % (sys.argv[1], f), 'a') as out:
            for i in range(25):
                n = (chunk * 2 + f) * 25 + i
                ms = chunk * 1000 + (n * 37 % 30) * 50
                k = n % 17 if chunk < 15 else 100 + n % 4
                out.write('{"id": %d, "k": %d, "ts": "2024-01-01 00:00:%02d.%03d"}\n'
                          % (n, k, ms // 1000, ms % 1000))
    time.sleep(0.1)
PY
}
live_killed_then_replay 1000 100ms 1
run sql --db "$DB" --format csv -c "SELECT count(*), count(DISTINCT k) FROM live_first"
expect_out "count(*),count(DISTINCT k)
21,21" "one row per key"
expect_same_rows live_first replay_first "the replay's rows equal the live run's"
run sql --db "$DB" --format csv -c "SELECT count(*) FROM (SELECT * FROM live_first EXCEPT ALL SELECT k, id, ts FROM ($RANKED) WHERE rn = 1)"
expect_out "count(*)
0" "the streamed rows equal the batch query over the same history"
# The job's state holds the first row of each key, not every row seen.
run stream status replay_first --db "$DB"
expect_out_contains '"buffered_rows": 21' "the state keeps one row per key"

# First two per key, into another table.
run stream run -f "$WORK_DIR/two.sql" --db "$DB" --until-idle
expect_code 0 "first two per key"
run sql --db "$DB" --format csv -c "SELECT count(*), sum(rn) FROM first_two"
expect_out "count(*),sum(rn)
42,63" "two rows per key"
run sql --db "$DB" --format csv -c "SELECT count(*) FROM (SELECT * FROM first_two EXCEPT ALL SELECT k, id, ts, rn FROM ($RANKED) WHERE rn <= 2)"
expect_out "count(*)
0" "first two per key equal the batch query"

# Keep-last (a changelog) and rankings not by the event time are refused.
{ source_ddl; echo "INSERT INTO last_one SELECT k, id, ts FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts DESC) AS rn FROM ev) WHERE rn = 1;"; } > "$WORK_DIR/last.sql"
run stream run -f "$WORK_DIR/last.sql" --db "$DB" --until-idle
expect_code 1 "keep-last refused"
expect_err_contains "ranked by event time ascending" "keep-last refused with the shape"
{ source_ddl; echo "INSERT INTO by_id SELECT k, id, ts FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY id) AS rn FROM ev) WHERE rn = 1;"; } > "$WORK_DIR/by_id.sql"
run stream run -f "$WORK_DIR/by_id.sql" --db "$DB" --until-idle
expect_code 1 "ranking by another column refused"
{ source_ddl; echo "INSERT INTO no_ts SELECT k, id FROM ($RANKED) WHERE rn = 1;"; } > "$WORK_DIR/no_ts.sql"
run stream run -f "$WORK_DIR/no_ts.sql" --db "$DB" --until-idle
expect_code 1 "a job that drops the time column"
expect_err_contains "selects the time column ts" "the time column is required"
finish
