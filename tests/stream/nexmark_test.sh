# `sluice gen nexmark` (issue 13): the Nexmark model's proportions, deterministic files, the
# declared tables readable in batch, and bench/nexmark's windowed queries (q5, q7, q8, q11)
# streamed equal to their batch queries.
source "$(dirname "$0")/../cli/cli_test_lib.sh"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
run gen nexmark --events 5000 --out "$WORK_DIR/a"
expect_code 0 "gen nexmark"
expect_out_contains "Nexmark: 100 persons, 300 auctions, 4600 bids" "1 : 3 : 46 proportions"
run gen nexmark --events 5000 --out "$WORK_DIR/b"
for t in person auction bid; do
  cmp -s "$WORK_DIR/a/$t/part-0.jsonl" "$WORK_DIR/b/$t/part-0.jsonl" || fail "$t files differ between two runs"
done
DB="$WORK_DIR/db"
run sql --db "$DB" -f "$WORK_DIR/a/nexmark.sql"
expect_code 0 "the generated DDL"
run sql --db "$DB" --format csv -c "SELECT count(*), count(DISTINCT auction) > 50, min(dateTime), max(dateTime), min(auction) FROM bid"
expect_out "count(*),count(DISTINCT auction) > 50,min(dateTime),max(dateTime),min(auction)
4600,true,2024-01-01 00:00:00.0004,2024-01-01 00:00:00.4999,1000" "bids: event time 100 us apart, ids from 1000"
run sql --db "$DB" --format csv -c "SELECT count(*) FROM bid b JOIN auction a ON b.auction = a.id"
expect_out "count(*)
4600" "every bid names an auction generated before it"
# The windowed queries over 40 s of event time (100 events/s): several windows each.
run gen nexmark --events 4000 --rate 100 --out "$WORK_DIR/c"
expect_code 0 "gen nexmark --rate 100"
DB="$WORK_DIR/db-c"  # nexmark.sql declares its tables IF NOT EXISTS: a fresh warehouse
for q in q5 q7 q8 q11; do
  cat "$WORK_DIR/c/nexmark.sql" "$ROOT/bench/nexmark/$q.sql" > "$WORK_DIR/$q.sql"
  run stream run -f "$WORK_DIR/$q.sql" --db "$DB" --until-idle
  expect_code 0 "$q streamed"
  batch="$(sed -n "/^INSERT INTO $q\$/,\$p" "$ROOT/bench/nexmark/$q.sql" | sed '1d')"
  run sql --db "$DB" --format csv -c "SELECT count(*) > 0 AS has_rows, (SELECT count(*) FROM ((SELECT * FROM $q EXCEPT ALL (${batch%;})) UNION ALL ((${batch%;}) EXCEPT ALL SELECT * FROM $q))) AS differing FROM $q"
  expect_out "has_rows,differing
true,0" "$q streamed equals $q in batch"
done
run sql --db "$DB" --format csv -c "SELECT count(DISTINCT window_end) > 2 AS windows FROM q8"
expect_out "windows
true" "the streamed q8 spans several windows"
finish
