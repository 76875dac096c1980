# `sluice maintain --db DIR`: compaction, snapshot expiry and orphan removal over every table
# of a warehouse; the metadata stays spec-valid (python3-avro, sqlite3); a maintenance killed
# with SIGKILL leaves every table readable with all its rows.
source "$(dirname "$0")/cli_test_lib.sh"

DB="$WORK_DIR/warehouse"
CHECK="$(dirname "$0")/../iceberg/check_warehouse.py"

run maintain --help
expect_code 0 "maintain --help"
expect_out_contains "Usage: sluice maintain --db DIR" "maintain --help prints its usage"
run --help
expect_out_contains "maintain      compact, expire snapshots" "sluice --help lists maintain"
run maintain
expect_code 2 "maintain without --db"
run maintain --db "$DB" --older-than soon
expect_code 2 "a bad --older-than"
expect_err_contains "--older-than needs a time" "a bad --older-than is named"

# Two tables of many small commits each (every snapshot kept), a tag on one, a view.
run sql --no-progress --db "$DB" -c \
  "create table t (i integer);
   alter table t set tblproperties ('history.expire.min-snapshots-to-keep' = '100');
   create schema s;
   create table s.u (name varchar);
   create view v as select 1"
expect_code 0 "create the tables"
for i in $(seq 1 8); do
  echo "insert into t values ($i); insert into s.u values ('n$i');"
  [ "$i" = 2 ] && echo "alter table t create tag early;"
done >"$WORK_DIR/ins.sql"
run sql --no-progress --db "$DB" -f "$WORK_DIR/ins.sql"
expect_code 0 "small commits"
mkdir -p "$DB/main/t/stray" && echo x >"$DB/main/t/stray/old.txt"

run maintain --no-progress --db "$DB" --table nope
expect_code 1 "maintain of a table that does not exist"
expect_err_contains "the warehouse has no table nope" "the missing table is named"

run maintain --no-progress --db "$DB" --older-than 0m --min-input-files 2
expect_code 0 "maintain"
expect_out "t: compacted 8 data files into 1; expired 8 snapshots (removed 6 data files, 6 manifests, 8 manifest lists); removed 1 orphan files
s.u: compacted 8 data files into 1; expired 1 snapshots (removed 8 data files, 8 manifests, 1 manifest lists); removed 0 orphan files
maintained 2 tables" "maintain compacts, expires and removes orphans"
[ -e "$DB/main/t/stray/old.txt" ] && fail "the orphan file is still there"

run sql --no-progress --format csv --db "$DB" -c \
  "select (select count(*) from t) as n, (select sum(i) from t) as s,
          (select count(*) from t for version as of 'early') as early,
          (select count(*) from s.u) as u, (select count(*) from t\$files) as files"
expect_out "n,s,early,u,files
8,36,2,8,1" "every row and the tagged snapshot are still there"
OUT="$(/usr/bin/python3 "$CHECK" "$DB" 2>&1)"
expect_out "main.t rows=8 files=1
s.u rows=8 files=1" "after compaction and expiry the metadata conforms to the spec"

# Nothing left to do: a second run changes nothing.
run maintain --no-progress --db "$DB" --table t --min-input-files 2
expect_out "t: compacted 0 data files into 0; expired 0 snapshots (removed 0 data files, 0 manifests, 0 manifest lists); removed 0 orphan files
maintained 1 table" "a second maintain has nothing to do"

# SIGKILL while maintaining a table of many files: it is readable with all its rows after,
# at the snapshot before or after each step, and the next maintain finishes the work.
run sql --no-progress --db "$DB" -c "create table k (i integer)"
for i in $(seq 0 79); do echo "insert into k values ($i);"; done >"$WORK_DIR/k.sql"
run sql --no-progress --db "$DB" -f "$WORK_DIR/k.sql"
for delay in 0.1 0.3 0.6; do
  "$SLUICE" maintain --no-progress --db "$DB" --table k --min-input-files 2 --older-than 0m \
    >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 $pid 2>/dev/null
  wait $pid 2>/dev/null
  run sql --no-progress --format csv --db "$DB" -c \
    "select count(*) as n, count(distinct i) as d, sum(i) as s from k"
  expect_code 0 "read after SIGKILL during maintain ($delay s)"
  expect_out "n,d,s
80,80,3160" "maintain killed after $delay s lost no row"
  run sql --no-progress --db "$DB" -c "insert into k select 1000 + range from range(3); delete from k where i >= 1000"
done
run maintain --no-progress --db "$DB" --table k --min-input-files 2 --older-than 0m
expect_code 0 "maintain after the kills"
OUT="$(/usr/bin/python3 "$CHECK" "$DB" 2>&1 | grep '^main.k')"
expect_out "main.k rows=80 files=1" "maintain after the kills compacts the table, spec-valid"

finish
