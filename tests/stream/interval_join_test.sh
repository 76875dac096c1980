# Jobs of two sources and interval joins in `sluice stream run` (issue 13): inner (WHERE ...
# BETWEEN), LEFT, RIGHT and FULL (JOIN ... ON, strict bounds too) and windows over them:
# replays equal the batch query of the same SQL; rows outside the interval are never
# joined, rows on its bounds are; the watermark waits for the slower source, and an idle
# source leaves its minimum; rows that can no longer match leave the state and late rows go
# to each source's side table; kill -9 mid-run then restart commits the same rows as an
# uninterrupted run.
source "$(dirname "$0")/../cli/cli_test_lib.sh"
source "$(dirname "$0")/stream_test_lib.sh"
DB="$WORK_DIR/db"

# ddl ORDERS_DIR SHIPMENTS_DIR DELAY: the two sources.
ddl() {
  cat <<SQL
CREATE TABLE orders (id BIGINT, customer VARCHAR, ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '$3' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '$1', 'format' = 'json');
CREATE TABLE shipments (order_id BIGINT, ship_ts TIMESTAMP(3),
  WATERMARK FOR ship_ts AS ship_ts - INTERVAL '$3' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '$2', 'format' = 'json');
SQL
}
INNER="SELECT o.id, o.customer, o.ts, s.ship_ts FROM orders o, shipments s
WHERE o.id = s.order_id AND s.ship_ts BETWEEN o.ts - INTERVAL '2' SECOND AND o.ts + INTERVAL '5' SECOND"
LEFT="SELECT o.id, o.ts, s.order_id, s.ship_ts FROM orders o LEFT JOIN shipments s
ON o.id = s.order_id AND s.ship_ts >= o.ts - INTERVAL '2' SECOND AND s.ship_ts < o.ts + INTERVAL '5' SECOND"
RIGHT="SELECT o.id, o.ts, s.order_id, s.ship_ts FROM orders o RIGHT JOIN shipments s
ON o.id = s.order_id AND s.ship_ts BETWEEN o.ts - INTERVAL '2' SECOND AND o.ts + INTERVAL '5' SECOND"
FULL="SELECT o.id, o.ts, s.order_id, s.ship_ts FROM orders o FULL JOIN shipments s
ON o.id = s.order_id AND o.ts > s.ship_ts - INTERVAL '5' SECOND AND o.ts <= s.ship_ts + INTERVAL '2' SECOND"

# Windows over the joined rows: on the right time (TUMBLE over the inner join) and on the
# left time (HOP over a LEFT join: unmatched orders count too, once final).
WINDOW="SELECT window_start, window_end, count(*) AS shipments, count(DISTINCT id) AS orders
FROM TABLE(TUMBLE((SELECT o.id, o.ts, s.ship_ts FROM orders o, shipments s WHERE o.id = s.order_id
  AND s.ship_ts BETWEEN o.ts - INTERVAL '2' SECOND AND o.ts + INTERVAL '5' SECOND),
  DESCRIPTOR(ship_ts), INTERVAL '10' SECOND))
GROUP BY window_start, window_end"
HOPPED="SELECT window_start, window_end, count(*) AS n, count(shipped) AS shipped, sum(id) AS ids
FROM TABLE(HOP((SELECT o.id, o.ts AS placed, s.ship_ts AS shipped FROM orders o LEFT JOIN shipments s
  ON o.id = s.order_id AND s.ship_ts >= o.ts - INTERVAL '2' SECOND AND s.ship_ts < o.ts + INTERVAL '5' SECOND),
  DESCRIPTOR(placed), INTERVAL '2' SECOND, INTERVAL '6' SECOND))
GROUP BY window_start, window_end"

# write_orders ORDERS_DIR SHIPMENTS_DIR PAUSE: 400 orders 250 ms apart in two files, each with
# 0-3 shipments from 3 s before to 9 s after it (on, inside and just outside the bounds
# above), plus shipments of unknown orders. Each record is written in the 1 s chunk of
# event time it belongs to (the chunks PAUSE seconds apart), so a shipment often arrives
# seconds before or after its order: the join meets rows across steps and from the state.
write_orders() {
  python3 - "$@" <<'PY'
import random, sys, time
orders_dir, ships_dir, pause = sys.argv[1], sys.argv[2], float(sys.argv[3])
rnd = random.Random(13)
def fmt(ms):
    return '2024-01-01 00:%02d:%02d.%03d' % (ms // 60000, ms // 1000 % 60, ms % 1000)
CHUNKS = 100
orders = [[[], []] for _ in range(CHUNKS)]
ships = [[] for _ in range(CHUNKS)]
def ship(order, ms):
    ships[min(max(ms // 1000 - 60, 0), CHUNKS - 1)].append(
        (ms, '{"order_id": %d, "ship_ts": "%s"}\n' % (order, fmt(ms))))
for i in range(CHUNKS * 4):
    ts = 60000 + i * 250
    orders[i // 4][i % 2].append('{"id": %d, "customer": "c%d", "ts": "%s"}\n' % (i, i % 7, fmt(ts)))
    for _ in range(rnd.randint(0, 3)):
        ship(i, ts + rnd.choice([-3000, -2001, -2000, -1000, 0, 1500, 4999, 5000, 5001, 9000]))
    if i % 9 == 0:
        ship(100000 + i, ts)
for chunk in range(CHUNKS):
    for f in range(2):
        with open('%s/orders-%d.jsonl' % (orders_dir, f), 'a') as out:
            out.writelines(orders[chunk][f])
    with open('%s/shipments.jsonl' % ships_dir, 'a') as out:
        out.writelines(line for _, line in sorted(ships[chunk]))
    time.sleep(pause)
PY
}

# expect_batch_equal TABLE SELECT WHAT [MIN]: TABLE holds exactly the rows of the batch
# SELECT, more than MIN (default 100) of them.
expect_batch_equal() {
  run sql --db "$DB" --format csv -c "SELECT (SELECT count(*) FROM $1) > ${4:-100} AS many, count(*) AS differ FROM (SELECT * FROM $1 EXCEPT ALL ($2) UNION ALL (($2) EXCEPT ALL SELECT * FROM $1))"
  expect_out "many,differ
true,0" "$3 ($ERR)"
}

# --- Replays of inner, LEFT and FULL interval joins equal the batch query ---------------
ORD="$WORK_DIR/orders"
SHIP="$WORK_DIR/shipments"
mkdir -p "$ORD" "$SHIP"
write_orders "$ORD" "$SHIP" 0
for kind in INNER LEFT RIGHT FULL WINDOW HOPPED; do
  { ddl "$ORD" "$SHIP" 2; echo "INSERT INTO replay_${kind,,} ${!kind};"; } > "$WORK_DIR/$kind.sql"
  run stream run -f "$WORK_DIR/$kind.sql" --db "$DB" --until-idle
  expect_code 0 "$kind interval join replay"
  expect_out_contains ", 0 late, 0 dead letters" "$kind: no row is late"
  expect_batch_equal "replay_${kind,,}" "${!kind}" "$kind interval join: the replay equals the batch query" 8
done
# Shipments on the bounds are joined, just outside never.
run sql --db "$DB" --format csv -c "SELECT count(*) FILTER (WHERE ship_ts = ts - INTERVAL '2' SECOND) > 0 AS lower_edge, count(*) FILTER (WHERE ship_ts = ts + INTERVAL '5' SECOND) > 0 AS upper_edge, count(*) FILTER (WHERE ship_ts < ts - INTERVAL '2' SECOND OR ship_ts > ts + INTERVAL '5' SECOND) AS outside FROM replay_inner"
expect_out "lower_edge,upper_edge,outside
true,true,0" "inner join: bounds inclusive, nothing outside"
run sql --db "$DB" --format csv -c "SELECT count(*) FILTER (WHERE ship_ts >= ts + INTERVAL '5' SECOND OR ship_ts < ts - INTERVAL '2' SECOND) AS outside, count(*) FILTER (WHERE order_id IS NULL) > 0 AS unmatched FROM replay_left"
expect_out "outside,unmatched
0,true" "LEFT join: strict upper bound, unmatched orders kept"
run sql --db "$DB" --format csv -c "SELECT count(*) FILTER (WHERE id IS NULL) > 0, count(*) FILTER (WHERE order_id IS NULL) = 0 FROM replay_right"
expect_out_contains "true,true" "RIGHT join: unmatched shipments kept"
run sql --db "$DB" --format csv -c "SELECT count(*) FILTER (WHERE id IS NULL) > 0, count(*) FILTER (WHERE order_id IS NULL) > 0 FROM replay_full"
expect_out_contains "true,true" "FULL join: unmatched rows of both sides"
run stream status replay_inner --db "$DB"
expect_out_contains '"buffered_rows": 0' "the end of a replay empties the state"

# --- Errors: a join of two streams without bounds, a window over the join ----------------
{ ddl "$ORD" "$SHIP" 2; echo "INSERT INTO bad SELECT o.id FROM orders o JOIN shipments s ON o.id = s.order_id AND s.ship_ts >= o.ts;"; } > "$WORK_DIR/bad.sql"
run stream run -f "$WORK_DIR/bad.sql" --db "$DB" --until-idle
expect_code 1 "a join of streams without an upper bound"
expect_err_contains "its condition bounds s.ship_ts - o.ts from above too" "unbounded join message"
expect_err_contains "line 7, column" "unbounded join position"

# --- The watermark waits for the slower source; state dropped; late rows ----------------
O2="$WORK_DIR/o2"
S2="$WORK_DIR/s2"
mkdir -p "$O2" "$S2"
{ ddl "$O2" "$S2" 5; echo "INSERT INTO state_join SELECT o.id, s.ship_ts FROM orders o JOIN shipments s ON o.id = s.order_id AND s.ship_ts BETWEEN o.ts - INTERVAL '5' MINUTE AND o.ts + INTERVAL '10' MINUTE;"; } > "$WORK_DIR/state.sql"
"$SLUICE" stream run -f "$WORK_DIR/state.sql" --db "$DB" --checkpoint-interval 50ms > /dev/null 2>&1 &
JOB=$!
# wait_status TEXT: until the job's status contains TEXT (checkpoints write it).
wait_status() {
  for _ in $(seq 1 300); do
    run stream status state_join --db "$DB"
    [[ "$OUT" == *"$1"* ]] && return 0
    sleep 0.1
  done
  fail "the job's status never showed '$1': $OUT"
}
printf '%s\n' '{"id": 1, "ts": "2024-01-01 10:00:00"}' '{"id": 2, "ts": "2024-01-01 10:30:00"}' > "$O2/a.jsonl"
wait_status '"records": 2'
expect_out_contains '"watermark": null' "no shipment yet: the watermark waits for that source"
printf '%s\n' '{"order_id": 1, "ship_ts": "2024-01-01 10:01:00"}' > "$S2/a.jsonl"
wait_status '"records": 3'
expect_out_contains '"watermark": "2024-01-01 10:00:55"' "the watermark is the slower source's"
expect_out_contains '"orders": 2' "both orders may still match"
printf '%s\n' '{"order_id": 2, "ship_ts": "2024-01-01 10:20:00"}' >> "$S2/a.jsonl"
wait_status '"records": 4'
expect_out_contains '"watermark": "2024-01-01 10:19:55"' "the watermark follows the slower source"
# Order 1 (10:00) matches shipments up to 10:10, the 10:01 shipment orders up to 10:06:
# both left the state. Order 2 and the 10:20 shipment may still match.
expect_out_contains '"orders": 1' "an order past its interval leaves the state"
expect_out_contains '"shipments": 1' "a shipment past its interval leaves the state"
# A shipment of order 1 inside its interval, and an order, both behind the watermark.
printf '%s\n' '{"order_id": 1, "ship_ts": "2024-01-01 10:08:00"}' >> "$S2/a.jsonl"
printf '%s\n' '{"id": 3, "ts": "2024-01-01 10:05:00"}' >> "$O2/a.jsonl"
wait_status '"late_rows": 2'
run stream stop state_join --db "$DB"
wait $JOB
run sql --db "$DB" --format csv -c "SELECT * FROM state_join ORDER BY 1, 2"
expect_out "id,ship_ts
1,2024-01-01 10:01:00" "the late shipment is never joined"
run sql --db "$DB" --format csv -c "SELECT id, ts FROM state_join_orders_late"
expect_out "id,ts
3,2024-01-01 10:05:00" "late orders go to their side table"
run sql --db "$DB" --format csv -c "SELECT order_id, ship_ts FROM state_join_shipments_late"
expect_out "order_id,ship_ts
1,2024-01-01 10:08:00" "late shipments go to theirs"

# With an idle timeout, a source without new records leaves the minimum: the watermark
# follows the other one.
O3="$WORK_DIR/o3"
S3="$WORK_DIR/s3"
mkdir -p "$O3" "$S3"
sed -e "s|$O2|$O3|" -e "s|$S2|$S3|" -e 's/state_join/idle_join/' "$WORK_DIR/state.sql" > "$WORK_DIR/idle.sql"
printf '%s\n' '{"id": 1, "ts": "2024-01-01 10:00:00"}' '{"id": 2, "ts": "2024-01-01 10:30:00"}' > "$O3/a.jsonl"
printf '%s\n' '{"order_id": 1, "ship_ts": "2024-01-01 10:01:00"}' > "$S3/a.jsonl"
"$SLUICE" stream run -f "$WORK_DIR/idle.sql" --db "$DB" --checkpoint-interval 50ms --idle-timeout 300ms > /dev/null 2>&1 &
JOB=$!
for _ in $(seq 1 300); do
  run stream status idle_join --db "$DB"
  [[ "$OUT" == *'"watermark": "2024-01-01 10:29:55"'* ]] && break
  sleep 0.1
done
expect_out_contains '"watermark": "2024-01-01 10:29:55"' "idle sources leave the watermark's minimum"
run stream stop idle_join --db "$DB"
wait $JOB

# --- kill -9 twice during a live LEFT join, restart: same rows as the replay and batch ----
LO="$WORK_DIR/live_orders"
LS="$WORK_DIR/live_shipments"
mkdir -p "$LO" "$LS"
{ ddl "$LO" "$LS" 2; echo "INSERT INTO live_left $LEFT;"; } > "$WORK_DIR/live.sql"
sed 's/live_left/replay_left2/' "$WORK_DIR/live.sql" > "$WORK_DIR/replay.sql"
write_orders "$LO" "$LS" 0.03 &
WRITER=$!
kill_live_job_after 100ms 1
kill_live_job_after 150ms 1.2
wait $WRITER
RECORDS=$(($(cat "$LO"/*.jsonl | wc -l) + $(wc -l < "$LS/shipments.jsonl")))
restart_live_and_replay "$RECORDS"
expect_same_rows live_left replay_left2 "kill -9 and restart: the live run's rows equal the replay's"
expect_batch_equal live_left "$LEFT" "kill -9 and restart: the live run's rows equal the batch query"

# --- The same with hopping windows over the LEFT join's rows (emitted as the watermark
# passes each window's end plus the join's bound) ----------------------------------------
rm -rf "$LO" "$LS"
mkdir -p "$LO" "$LS"
{ ddl "$LO" "$LS" 2; echo "INSERT INTO live_hopped $HOPPED;"; } > "$WORK_DIR/live.sql"
sed 's/live_hopped/replay_hopped2/' "$WORK_DIR/live.sql" > "$WORK_DIR/replay.sql"
write_orders "$LO" "$LS" 0.03 &
WRITER=$!
kill_live_job_after 100ms 1.1
wait $WRITER
restart_live_and_replay "$RECORDS"
expect_same_rows live_hopped replay_hopped2 "windows over a join, kill -9: the live rows equal the replay's"
expect_batch_equal live_hopped "$HOPPED" "windows over a join, kill -9: the live rows equal the batch query" 40
finish
