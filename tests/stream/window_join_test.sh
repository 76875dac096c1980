# Window joins in `sluice stream run` (issue 13, Nexmark q8's shape): windowed aggregates of
# two sources joined on their windows. A window is emitted when the watermark (the lower of
# the two sources') passes its end; a row of either source in an emitted window is late; a
# live run killed twice and restarted, a replay and the batch query hold the same rows.
source "$(dirname "$0")/../cli/cli_test_lib.sh"
source "$(dirname "$0")/stream_test_lib.sh"
DB="$WORK_DIR/db"
mkdir -p "$WORK_DIR/p" "$WORK_DIR/a"

# --- Small: people and their auctions per 10 s window ------------------------------------
cat > "$WORK_DIR/p/p.jsonl" <<'JSON'
{"id": 1, "name": "ana", "ts": "2024-01-01 00:00:01"}
{"id": 2, "name": "bo", "ts": "2024-01-01 00:00:04"}
{"id": 3, "name": "cy", "ts": "2024-01-01 00:00:12"}
{"id": 4, "name": "di", "ts": "2024-01-01 00:00:31"}
JSON
cat > "$WORK_DIR/a/a.jsonl" <<'JSON'
{"seller": 1, "item": "lamp", "ts": "2024-01-01 00:00:02"}
{"seller": 2, "item": "desk", "ts": "2024-01-01 00:00:15"}
{"seller": 3, "item": "sofa", "ts": "2024-01-01 00:00:18"}
{"seller": 4, "item": "rug", "ts": "2024-01-01 00:00:33"}
{"seller": 1, "item": "vase", "ts": "2024-01-01 00:00:03"}
JSON
ddl() {
  cat <<SQL
CREATE TABLE person (id BIGINT, name VARCHAR, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '$1', 'format' = 'json');
CREATE TABLE auction (seller BIGINT, item VARCHAR, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '$2', 'format' = 'json');
SQL
}
QUERY="SELECT P.id, P.name, A.auctions, P.window_start, P.window_end
FROM (SELECT id, name, window_start, window_end
      FROM TABLE(TUMBLE(TABLE person, DESCRIPTOR(ts), INTERVAL '10' SECOND))
      GROUP BY id, name, window_start, window_end) P
JOIN (SELECT seller, count(*) AS auctions, window_start, window_end
      FROM TABLE(TUMBLE(TABLE auction, DESCRIPTOR(ts), INTERVAL '10' SECOND))
      GROUP BY seller, window_start, window_end) A
ON P.id = A.seller AND P.window_start = A.window_start AND P.window_end = A.window_end"
{ ddl "$WORK_DIR/p" "$WORK_DIR/a"; echo "INSERT INTO new_sellers $QUERY;"; } > "$WORK_DIR/job.sql"
run stream run -f "$WORK_DIR/job.sql" --db "$DB" --until-idle
expect_code 0 "window join"
expect_out_contains "9 records, 3 rows committed, 1 late" "window join summary"
# bo's auction (15 s) is in the next window; the vase (3 s) came after the watermark (the
# lower of the two sources', 29 s) had closed [0, 10): late.
run sql --db "$DB" --format csv -c "SELECT * FROM new_sellers ORDER BY window_start, id"
expect_out "id,name,auctions,window_start,window_end
1,ana,1,2024-01-01 00:00:00,2024-01-01 00:00:10
3,cy,1,2024-01-01 00:00:10,2024-01-01 00:00:20
4,di,1,2024-01-01 00:00:30,2024-01-01 00:00:40" "people with an auction in their window"
run sql --db "$DB" --format csv -c "SELECT seller, item FROM new_sellers_auction_late"
expect_out "seller,item
1,vase" "the auction behind the watermark is late"
# Windows of another shape on the other source are refused.
sed 's/TUMBLE(TABLE auction, DESCRIPTOR(ts), INTERVAL .10. SECOND)/TUMBLE(TABLE auction, DESCRIPTOR(ts), INTERVAL '"'"'5'"'"' SECOND)/; s/new_sellers/bad_sellers/' \
  "$WORK_DIR/job.sql" > "$WORK_DIR/bad.sql"
run stream run -f "$WORK_DIR/bad.sql" --db "$DB" --until-idle
expect_code 1 "windows of two shapes"
expect_err_contains "have one shape" "the error says the windows differ"

# --- Live run killed twice, then finished; a replay and the batch query agree -------------
LP="$WORK_DIR/lp"
LA="$WORK_DIR/la"
mkdir -p "$LP" "$LA"
{ ddl "$LP" "$LA"; echo "INSERT INTO live_sellers $QUERY;"; } > "$WORK_DIR/live.sql"
sed 's/live_sellers/replay_sellers/' "$WORK_DIR/live.sql" > "$WORK_DIR/replay.sql"
# 30 chunks, time rising 1 s per chunk: 8 people and 20 auctions per chunk, sellers among
# the people of the last few seconds.
write_events() {
  python3 - "$LP" "$LA" <<'PY'
import sys, time
for chunk in range(30):
    with open('%s/p.jsonl' % sys.argv[1], 'a') as out:
        for i in range(8):
            pid = chunk * 8 + i
            out.write('{"id": %d, "name": "p%d", "ts": "2024-01-01 00:00:%02d.%03d"}\n' % (pid, pid, chunk, i * 120))
    with open('%s/a.jsonl' % sys.argv[2], 'a') as out:
        for i in range(20):
            seller = max(0, chunk * 8 - (i * 7) % 40)
            out.write('{"seller": %d, "item": "i%d", "ts": "2024-01-01 00:00:%02d.%03d"}\n' % (seller, chunk * 20 + i, chunk, i * 45))
    time.sleep(0.1)
PY
}
live_killed_then_replay 840 150ms 1 100ms 1.3
expect_same_rows live_sellers replay_sellers "the replay's rows equal the live run's"
run sql --db "$DB" --format csv -c "SELECT count(*) > 20 AS many, count(DISTINCT window_start) FROM live_sellers"
expect_out "many,count(DISTINCT window_start)
true,3" "rows in every window"
run sql --db "$DB" --format csv -c "SELECT count(*) FROM (SELECT * FROM live_sellers EXCEPT ALL ($QUERY) UNION ALL (($QUERY) EXCEPT ALL SELECT * FROM live_sellers))"
expect_out "count(*)
0" "the streamed rows equal the batch query over the same history"
finish
