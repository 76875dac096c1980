# Temporal joins in `sluice stream run` (issue 13): `JOIN rates FOR SYSTEM_TIME AS OF o.ts`
# against an Iceberg table of the warehouse is a lookup join: each order meets the table's
# snapshot current when the job processes it, so a rate changed while the job runs applies
# to the orders read after the change; a replay meets today's rates, as the batch query does.
source "$(dirname "$0")/../cli/cli_test_lib.sh"
DB="$WORK_DIR/db"
IN="$WORK_DIR/orders"
mkdir -p "$IN"
run sql --db "$DB" -c "CREATE TABLE rates (cur VARCHAR, rate DOUBLE); INSERT INTO rates VALUES ('EUR', 1.5), ('GBP', 2.0)"
expect_code 0 "the rates table"
job() {
  cat <<SQL
CREATE TABLE orders (id BIGINT, cur VARCHAR, amount DOUBLE, ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '$IN', 'format' = 'json');
INSERT INTO $1
SELECT o.id, o.cur, o.amount * r.rate AS value, o.ts
FROM orders o JOIN rates FOR SYSTEM_TIME AS OF o.ts AS r ON o.cur = r.cur;
SQL
}
job priced > "$WORK_DIR/live.sql"
job replayed > "$WORK_DIR/replay.sql"
"$SLUICE" stream run -f "$WORK_DIR/live.sql" --db "$DB" --checkpoint-interval 50ms > /dev/null 2>&1 &
JOB=$!
wait_status() {  # wait_status TEXT: until the job's status shows TEXT
  for _ in $(seq 1 300); do
    run stream status priced --db "$DB"
    [[ "$OUT" == *"$1"* ]] && return 0
    sleep 0.1
  done
  fail "the job's status never showed '$1': $OUT"
}
printf '%s\n' '{"id": 1, "cur": "EUR", "amount": 10, "ts": "2024-01-01 10:00:00"}' \
  '{"id": 2, "cur": "GBP", "amount": 10, "ts": "2024-01-01 10:00:01"}' \
  '{"id": 3, "cur": "JPY", "amount": 10, "ts": "2024-01-01 10:00:02"}' > "$IN/a.jsonl"
wait_status '"rows_out": 2'
run sql --db "$DB" -c "UPDATE rates SET rate = 3.0 WHERE cur = 'EUR'"
expect_code 0 "a rate changes while the job runs"
printf '%s\n' '{"id": 4, "cur": "EUR", "amount": 10, "ts": "2024-01-01 10:00:03"}' >> "$IN/a.jsonl"
wait_status '"rows_out": 3'
run stream stop priced --db "$DB"
wait $JOB
run sql --db "$DB" --format csv -c "SELECT id, cur, value FROM priced ORDER BY id"
expect_out "id,cur,value
1,EUR,15.0
2,GBP,20.0
4,EUR,30.0" "each order meets the rates current when it is processed"

run stream run -f "$WORK_DIR/replay.sql" --db "$DB" --until-idle
expect_code 0 "replay"
run sql --db "$DB" --format csv -c "SELECT count(*) FROM (SELECT * FROM replayed EXCEPT ALL SELECT o.id, o.cur, o.amount * r.rate, o.ts FROM orders o JOIN rates FOR SYSTEM_TIME AS OF o.ts AS r ON o.cur = r.cur), (SELECT count(*) AS n FROM replayed) WHERE n = 3"
expect_out "count(*)
0" "a replay meets today's rates, as the batch query"
finish
