# `sluice stream run` over Kafka (issue 13), against librdkafka's mock cluster started by
# the kafka_mock_producer helper (loopback only, no broker): windowed counts, dead letters,
# and a partition that never gets a record stalls the watermark unless it is idle.
source "$(dirname "$0")/../cli/cli_test_lib.sh"
PRODUCER="$2"
DB="$WORK_DIR/db"
mkfifo "$WORK_DIR/feed"
"$PRODUCER" bids 2 < "$WORK_DIR/feed" > "$WORK_DIR/producer.out" 2>&1 &
PRODUCER_PID=$!
exec 3>"$WORK_DIR/feed"
cleanup() {
  exec 3>&-
  kill "$PRODUCER_PID" 2>/dev/null
  wait "$PRODUCER_PID" 2>/dev/null
  rm -rf "$WORK_DIR"
}
trap cleanup EXIT
for _ in $(seq 1 100); do
  grep -q '^bootstrap=' "$WORK_DIR/producer.out" && break
  sleep 0.1
done
SERVERS="$(sed -n 's/^bootstrap=//p' "$WORK_DIR/producer.out")"
[ -n "$SERVERS" ] || { echo "the mock cluster did not start: $(cat "$WORK_DIR/producer.out")"; exit 1; }

# Every record goes to partition 0; partition 1 stays empty.
for s in 1 3 7 12 14 25; do
  printf '0\t{"auction": %d, "price": %d, "ts": "2024-01-01 00:00:%02d"}\n' "$s" "$((s * 10))" "$s" >&3
done
printf '0\t{"auction": 1, "price": "ten", "ts": "2024-01-01 00:00:02"}\n' >&3
for _ in $(seq 1 100); do
  [ "$(grep -c '^produced' "$WORK_DIR/producer.out")" -ge 7 ] && break
  sleep 0.1
done

job() {  # job SINK: the job file for sink SINK
  cat > "$WORK_DIR/$1.sql" <<SQL
CREATE TABLE bids (auction BIGINT, price BIGINT, ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)
  WITH ('connector' = 'kafka', 'topic' = 'bids', 'properties.bootstrap.servers' = '$SERVERS',
        'format' = 'json', 'scan.startup.mode' = 'earliest-offset');
INSERT INTO $1 SELECT window_start, window_end, count(*) AS n, sum(price) AS volume
FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY window_start, window_end;
SQL
  echo "$WORK_DIR/$1.sql"
}

run stream run -f "$(job counts)" --db "$DB" --until-idle
expect_code 0 "kafka replay"
expect_out "7 records, 3 rows committed, 0 late, 1 dead letters, checkpoint 1" "kafka replay summary"
run sql --db "$DB" --format csv -c "SELECT * FROM counts ORDER BY 1"
expect_out "window_start,window_end,n,volume
2024-01-01 00:00:00,2024-01-01 00:00:10,3,110
2024-01-01 00:00:10,2024-01-01 00:00:20,2,260
2024-01-01 00:00:20,2024-01-01 00:00:30,1,250" "kafka windowed counts"
run sql --db "$DB" --format csv -c "SELECT partition, \"offset\" FROM bids_dead_letter"
expect_out "partition,offset
0,6" "kafka dead letter names partition and offset"

# live_rows SINK N: the rows of SINK once there are N (waits up to 30 s: a loaded machine
# may commit the windows in more than one checkpoint), else the last count seen.
live_rows() {
  local n=0
  for _ in $(seq 1 300); do
    n="$("$SLUICE" sql --db "$DB" --format csv -c "SELECT count(*) FROM $1" 2>/dev/null | tail -1)"
    [ "$n" == "$2" ] && break
    sleep 0.1
  done
  echo "${n:-0}"
}

# status_shows JOB TEXT: waits up to 30 s for the job's status (written at checkpoints) to
# hold TEXT.
status_shows() {
  for _ in $(seq 1 300); do
    grep -q "$2" "$DB/_streams/$1/status.json" 2>/dev/null && return
    sleep 0.1
  done
}

# started JOB: waits until the job has created its tables and written its status. (Another
# process opening the warehouse while a table's first commit is in flight would take the
# table's directory for the leftover of an interrupted create.)
started() {
  for _ in $(seq 1 100); do
    [ -f "$DB/_streams/$1/status.json" ] && return
    sleep 0.1
  done
}
# Without an idle timeout the empty partition holds the watermark back: nothing closes.
"$SLUICE" stream run -f "$(job stalled)" --db "$DB" --checkpoint-interval 100ms > "$WORK_DIR/stalled.out" 2>&1 &
STALLED=$!
started stalled
# With one, the empty partition leaves the watermark (00:00:20): two windows close live.
"$SLUICE" stream run -f "$(job flowing)" --db "$DB" --checkpoint-interval 100ms --idle-timeout 300ms > "$WORK_DIR/flowing.out" 2>&1 &
FLOWING=$!
started flowing
[ "$(live_rows flowing 2)" == "2" ] || fail "an idle partition does not stall the watermark"
run stream stop flowing --db "$DB"
wait $FLOWING || fail "the flowing job exits 0 after stop: $(cat "$WORK_DIR/flowing.out")"
status_shows stalled '"records": 7'
run stream status stalled --db "$DB"
expect_out_contains '"records": 7' "the stalled job has read every record"
run stream stop stalled --db "$DB"
wait $STALLED || fail "the stalled job exits 0 after stop: $(cat "$WORK_DIR/stalled.out")"
run sql --db "$DB" --format csv -c "SELECT count(*) FROM stalled"
[ -z "$ERR" ] || fail "reading stalled: $ERR"
expect_out "count(*)
0" "a partition without records stalls the watermark without an idle timeout"
run sql --db "$DB" --format csv -c "SELECT window_start, n FROM flowing ORDER BY 1"
expect_out "window_start,n
2024-01-01 00:00:00,3
2024-01-01 00:00:10,2" "windows closed by the watermark of the active partition"
run stream list --db "$DB"
expect_out "counts	finished
flowing	stopped
stalled	stopped" "stream list"
finish
