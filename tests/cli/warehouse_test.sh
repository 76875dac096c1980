# `sluice sql --db DIR`: tables, views and schemas written by one process are read by the next.
source "$(dirname "$0")/cli_test_lib.sh"

DB="$WORK_DIR/warehouse"

run sql --no-progress --db "$DB" -c \
  "create table t as select range as id, 'n' || range as name from range(4);
   create schema s;
   create table s.u as select 42 as answer;
   create view v as select id from t where id >= 2"
expect_code 0 "create in a warehouse"
[ -f "$DB/main/t/metadata/v1.metadata.json" ] || fail "table directory has no Iceberg metadata file"
[ -f "$DB/catalog.db" ] || fail "warehouse has no Iceberg SQL catalog"
ls "$DB/main/t/data/"part-*.parquet >/dev/null 2>&1 || fail "table has no Parquet data files"

run sql --no-progress --format csv --db "$DB" -c "select id, name from t order by id"
expect_code 0 "read back in a second process"
expect_out 'id,name
0,n0
1,n1
2,n2
3,n3' "table persists"

run sql --no-progress --format csv --db "$DB" -c "select id from v order by id"
expect_code 0 "view in a second process"
expect_out 'id
2
3' "view persists"

run sql --no-progress --format csv --db "$DB" -c \
  "insert into t values (10, 'ten'); delete from t where id = 0;
   update t set name = 'one' where id = 1;
   merge into t using (select 3 as id) src on t.id = src.id when matched then delete"
expect_code 0 "DML in a warehouse"

run sql --no-progress --format csv --db "$DB" -c "select id, name from t order by id; "
expect_out 'id,name
1,one
2,n2
10,ten' "DML persists"

run sql --no-progress --format csv --db "$DB" -c "select count(*) as n from v"
expect_out 'n
2' "view re-bound over the new snapshot"

run sql --no-progress --format csv --db "$DB" -c "show tables"
expect_out 'name
s.u
t
v' "show tables"

# A failing statement leaves the committed table.
run sql --no-progress --db "$DB" -c "insert into t select cast('x' as integer), 'bad'"
expect_code 1 "failing insert"
run sql --no-progress --format csv --db "$DB" -c "select count(*) as n from t"
expect_out 'n
3' "failed insert left the old snapshot"

# Without --db nothing persists.
run sql --no-progress -c "create table gone as select 1 as x"
expect_code 0 "in-memory create"
run sql --no-progress -c "select * from gone"
expect_code 1 "in-memory table is gone"

finish
