# Warehouse storage: filters prune the row groups and files of a table (EXPLAIN ANALYZE
# shows it: files by their manifest bounds before their footers are read, then row groups by
# their statistics), and concurrent writer processes do not lose each other's commits.
source "$(dirname "$0")/cli_test_lib.sh"

DB="$WORK_DIR/warehouse"

# 245765 rows: 3 row groups (122880 rows each) in the first file, a second file of 10 rows.
run sql --no-progress --db "$DB" -c \
  "create table t as select range as id from range(245765);
   insert into t select range + 1000000 as id from range(10)"
expect_code 0 "create and append"

run sql --no-progress --format csv --db "$DB" -c \
  "explain analyze select count(*) as n from t where id >= 1000000"
expect_code 0 "explain analyze on a warehouse table"
expect_out_contains "table t (245775 rows, 1 row groups, 1 file skipped by bounds)" \
  "filter on the appended range skips the first file"

run sql --no-progress --format csv --db "$DB" -c \
  "explain analyze select count(*) as n from t where id between 130000 and 130010"
expect_out_contains "3 row groups, 2 pruned by statistics, 1 file skipped by bounds)" \
  "filter inside the second row group keeps only it"
expect_out_contains "(rows=11 " "the filter still applies to the rows of the kept row group"

# A filter that prunes no file and no row group is still applied inside the scan, as the
# Parquet reader decodes (the filter column first, the others for passing rows): the scan
# hands on the 245675 matching rows, not all 245775.
run sql --no-progress --format csv --db "$DB" -c \
  "explain analyze select count(*) as n, sum(id) from t where id >= 100"
expect_out_contains "table t (245775 rows, 4 row groups)  (rows=245675 " \
  "a filter that prunes nothing is applied by the scan"

# A bound from a subquery (dbt's `where ts > (select max(ts) from {{ this }})`) prunes like a
# constant: the subquery runs first, then the scan is planned with its value.
run sql --no-progress --format csv --db "$DB" -c \
  "explain analyze select count(*) as n from t where id > (select max(id) - 10 from t)"
expect_code 0 "explain analyze with a subquery bound"
expect_out_contains "Subquery \$1 (scalar), runs first:" "the subquery ran as an earlier job"
expect_out_contains "table t (245775 rows, 1 row groups, 1 file skipped by bounds)" \
  "the subquery's value prunes the scan"

run sql --no-progress --format csv --db "$DB" -c \
  "select count(*) as n, min(id) as lo, max(id) as hi from t where id >= 1000000 or id < 2"
expect_out 'n,lo,hi
12,0,1000009' "pruned scan gives the same rows"

run sql --no-progress --format csv --db "$DB" -c "explain analyze select count(*) from t"
expect_out_contains "table t (245775 rows, 4 row groups)" "no filter: nothing pruned"

# Concurrent appends from 6 processes: every row lands (a commit that lost the race rebases).
run sql --no-progress --db "$DB" -c "create table c (k integer)"
expect_code 0 "create c"
pids=()
for i in 1 2 3 4 5 6; do
  "$SLUICE" sql --no-progress --db "$DB" \
    -c "insert into c values ($i); insert into c values ($((i + 100)))" \
    >"$WORK_DIR/out$i" 2>&1 &
  pids+=($!)
done
for i in "${!pids[@]}"; do
  wait "${pids[$i]}" || fail "concurrent insert $((i + 1)) failed: $(cat "$WORK_DIR/out$((i + 1))")"
done
run sql --no-progress --format csv --db "$DB" -c "select count(*) as n, sum(k) as s from c"
expect_out 'n,s
12,642' "no concurrent append was lost"

# Concurrent updates: each either commits or fails with a conflict naming the table; the
# table ends with exactly the committed ones applied.
pids=()
for i in 1 2 3 4; do
  "$SLUICE" sql --no-progress --db "$DB" -c "update c set k = k + 1000 where k = $i" \
    >"$WORK_DIR/upd$i" 2>&1 &
  pids+=($!)
done
committed=0
for i in "${!pids[@]}"; do
  if wait "${pids[$i]}"; then
    committed=$((committed + 1))
  else
    grep -q "Conflict Error: table '.*c' was changed by another writer" "$WORK_DIR/upd$((i + 1))" ||
      fail "failed update $((i + 1)) without a conflict error: $(cat "$WORK_DIR/upd$((i + 1))")"
  fi
done
[ "$committed" -ge 1 ] || fail "no concurrent update committed"
run sql --no-progress --format csv --db "$DB" -c "select count(*) as n from c where k > 1000"
expect_out "n
$committed" "exactly the committed updates are in the table"

finish
