# A --db warehouse is Iceberg: its catalog, metadata and manifests conform to the spec as
# read by tools independent of Sluice (Python's sqlite3, python3-avro); two processes
# appending to one table lose no commit; a writer killed with SIGKILL at any point leaves
# the table at its old or its new snapshot.
source "$(dirname "$0")/cli_test_lib.sh"

DB="$WORK_DIR/warehouse"
CHECK="$(dirname "$0")/../iceberg/check_warehouse.py"

run sql --no-progress --db "$DB" -c \
  "create schema s;
   create table s.t as select range as id, 'n' || range as name from range(1000);
   insert into s.t values (5000, 'x');
   delete from s.t where id < 10;
   update s.t set name = 'u' where id = 500;
   create table e (a integer, b varchar)"
expect_code 0 "writes in a warehouse"
OUT="$(/usr/bin/python3 "$CHECK" "$DB" 2>&1)"
expect_out "main.e rows=0 files=0
s.t rows=991 files=2" "the catalog, metadata and manifests conform to the spec"

# The table read as a path-based Iceberg table (its version hint), as other engines do.
run sql --no-progress --format csv -c \
  "select count(*) as n, max(id) as hi from iceberg_scan('$DB/s/t')"
expect_out "n,hi
991,5000" "iceberg_scan reads the warehouse table"

# Two processes append 30 commits each to one table: every row is there.
run sql --no-progress --db "$DB" -c "create table c (p integer, i integer)"
expect_code 0 "create c"
for p in 1 2; do
  for i in $(seq 1 30); do echo "insert into c values ($p, $i);"; done >"$WORK_DIR/ins$p.sql"
done
"$SLUICE" sql --no-progress --db "$DB" -f "$WORK_DIR/ins1.sql" >"$WORK_DIR/a1" 2>&1 &
pid1=$!
"$SLUICE" sql --no-progress --db "$DB" -f "$WORK_DIR/ins2.sql" >"$WORK_DIR/a2" 2>&1 &
pid2=$!
wait $pid1 || fail "appender 1 failed: $(tail -3 "$WORK_DIR/a1")"
wait $pid2 || fail "appender 2 failed: $(tail -3 "$WORK_DIR/a2")"
run sql --no-progress --format csv --db "$DB" -c \
  "select p, count(*) as n, count(distinct i) as d, sum(i) as s from c group by p order by p"
expect_out "p,n,d,s
1,30,30,465
2,30,30,465" "no concurrent append was lost"
OUT="$(/usr/bin/python3 "$CHECK" "$DB" 2>&1 | grep '^main.c')"
expect_out "main.c rows=60 files=60" "the concurrent commits' manifests list every file"

# SIGKILL during appends and during copy-on-write updates: the table is always readable and
# holds whole commits only.
run sql --no-progress --db "$DB" -c "create table k (i integer)"
for i in $(seq 0 59); do echo "insert into k values ($i);"; done >"$WORK_DIR/k.sql"
for delay in 0.5 1.5; do
  "$SLUICE" sql --no-progress --db "$DB" -f "$WORK_DIR/k.sql" >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 $pid 2>/dev/null
  wait $pid 2>/dev/null
  run sql --no-progress --format csv --db "$DB" -c \
    "select count(*) = count(distinct i) and count(*) = coalesce(max(i) + 1, 0) as whole from k"
  expect_code 0 "read after SIGKILL during appends ($delay s)"
  expect_out "whole
true" "appends killed after $delay s left whole commits"
  run sql --no-progress --db "$DB" -c "delete from k"
done

run sql --no-progress --db "$DB" -c "insert into k select range from range(100)"
for i in $(seq 1 20); do echo "update k set i = i + 1;"; done >"$WORK_DIR/u.sql"
for delay in 1.5; do
  "$SLUICE" sql --no-progress --db "$DB" -f "$WORK_DIR/u.sql" >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 $pid 2>/dev/null
  wait $pid 2>/dev/null
  # Every row was moved by the same number of updates.
  run sql --no-progress --format csv --db "$DB" -c \
    "select count(*) as n, count(distinct i - (select min(i) from k)) as d,
            max(i) - min(i) as span from k"
  expect_code 0 "read after SIGKILL during updates ($delay s)"
  expect_out "n,d,span
100,100,99" "updates killed after $delay s left whole commits"
done
OUT="$(/usr/bin/python3 "$CHECK" "$DB" 2>&1 | grep -c '^FAIL')"
expect_out "0" "the warehouse still conforms after the kills"

finish
