# 'connector' = 'nexmark' (issue 13 item 7): the events generated on the fly equal those
# `sluice gen nexmark` writes, so a job over the connector and the same job over the files
# commit the same rows; a batch read needs 'events'; bad options are named.
source "$(dirname "$0")/../cli/cli_test_lib.sh"
DB="$WORK_DIR/db"
run gen nexmark --events 20000 --out "$WORK_DIR/gen"
expect_code 0 "gen nexmark"
job() {  # job SINK CONNECTOR_OPTIONS
  cat <<SQL
CREATE TABLE bid (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR,
  url VARCHAR, dateTime TIMESTAMP(3), extra VARCHAR,
  WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND)
  WITH ($2);
INSERT INTO $1 SELECT window_start, window_end, auction, count(*) AS n, max(price) AS top
FROM TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '500' MILLISECOND, INTERVAL '1' SECOND))
GROUP BY window_start, window_end, auction;
SQL
}
job from_connector "'connector' = 'nexmark', 'table' = 'bid', 'events' = '20000'" > "$WORK_DIR/a.sql"
run stream run -f "$WORK_DIR/a.sql" --db "$DB" --until-idle
expect_code 0 "job over the nexmark connector"
expect_out_contains "18400 records" "46 bids in every 50 events"
job from_files "'connector' = 'filesystem', 'path' = '$WORK_DIR/gen/bid', 'format' = 'json'" > "$WORK_DIR/b.sql"
run stream run -f "$WORK_DIR/b.sql" --db "$DB" --until-idle
expect_code 0 "job over the generated files"
run sql --db "$DB" --format csv -c "SELECT (SELECT count(*) FROM from_connector) > 100 AS wrote, (SELECT count(*) FROM (SELECT * FROM from_connector EXCEPT ALL SELECT * FROM from_files UNION ALL (SELECT * FROM from_files EXCEPT ALL SELECT * FROM from_connector))) AS differ"
expect_out "wrote,differ
true,0" "the connector's job equals the files' job"

# Batch reads of the connector: bounded by 'events'.
cat > "$WORK_DIR/ddl.sql" <<'SQL'
CREATE TABLE person (id BIGINT, name VARCHAR, state VARCHAR, dateTime TIMESTAMP(3))
  WITH ('connector' = 'nexmark', 'table' = 'person', 'events' = '1000');
SELECT count(*), min(id), max(id) FROM person;
SQL
run sql --db "$DB" --format csv -f "$WORK_DIR/ddl.sql"
expect_code 0 "batch read of persons"
expect_out_contains "20,1000,1019" "one person in every 50 events, dense ids"
run sql --db "$DB" -c "CREATE TABLE forever (id BIGINT) WITH ('connector' = 'nexmark', 'table' = 'person'); SELECT count(*) FROM forever"
expect_code 1 "an unbounded Nexmark table in a batch query"
expect_err_contains "needs its 'events' option" "unbounded batch read refused"
cat > "$WORK_DIR/bad.sql" <<'SQL'
CREATE TABLE b2 (auction BIGINT, dateTime TIMESTAMP(3), WATERMARK FOR dateTime AS dateTime)
  WITH ('connector' = 'nexmark', 'table' = 'bids', 'events' = '10');
INSERT INTO b2_out SELECT * FROM b2;
SQL
run stream run -f "$WORK_DIR/bad.sql" --db "$DB" --until-idle
expect_code 1 "a bad table option"
expect_err_contains "is not a Nexmark table" "bad table named"
finish
