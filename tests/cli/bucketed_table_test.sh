# Bucketed tables in a warehouse: the layout written by one process (CLUSTERED BY ... INTO n
# BUCKETS, stored as the Iceberg partition field bucket[n](k)) is used by the next one: its
# join on the bucket key has no exchange, an INSERT from a third process keeps the layout,
# and the answers equal those of an unbucketed copy.
source "$(dirname "$0")/cli_test_lib.sh"

DB="$WORK_DIR/warehouse"

run sql --no-progress --db "$DB" -c \
  "create table f clustered by (k) into 6 buckets as
     select range % 500 as k, range as v from range(20000);
   create table d clustered by (k) into 6 buckets as select range as k, range % 7 as w from range(400);
   create table f0 as select * from f;
   create table d0 as select * from d"
expect_code 0 "create bucketed tables"
grep -q '"transform" *: *"bucket\[6\]"' "$DB/main/f/metadata/"v*.metadata.json || fail "table metadata has no bucket[6] partition field"
grep -q '"name" *: *"k_bucket"' "$DB/main/f/metadata/"v*.metadata.json || fail "the partition field is not named k_bucket"
if grep -q 'sluice.bucket-count' "$DB/main/f/metadata/"v*.metadata.json; then
  fail "a one-column bucketing is kept in Sluice's own properties too"
fi

run sql --no-progress --format csv --db "$DB" -c \
  "explain select f.k, v, w from f join d on f.k = d.k"
expect_code 0 "explain in a second process"
expect_out_contains "co-partitioned hash join: both inputs hash-partitioned on the keys (6 partitions): no exchange" "join strategy"
expect_out_contains "table f (20000 rows, 6 Iceberg buckets by (k))" "bucketed scan"
case "$OUT" in *Exchange*) fail "a join of tables bucketed alike has an exchange: $OUT" ;; esac

run sql --no-progress --db "$DB" -c \
  "insert into f select range % 900, -range from range(3000);
   insert into f0 select range % 900, -range from range(3000)"
expect_code 0 "insert from a third process"

QUERY="select w, count(*), sum(v) from {f} join {d} on {f}.k = {d}.k group by w order by w"
run sql --no-progress --format csv --db "$DB" --threads 8 -c "$(echo "$QUERY" | sed 's/{f}/f/g; s/{d}/d/g')"
expect_code 0 "bucketed join, 8 threads"
BUCKETED="$OUT"
run sql --no-progress --format csv --db "$DB" --threads 1 -c "$(echo "$QUERY" | sed 's/{f}/f/g; s/{d}/d/g')"
[ "$OUT" = "$BUCKETED" ] || fail "1 and 8 threads differ: $OUT vs $BUCKETED"
run sql --no-progress --format csv --db "$DB" -c "$(echo "$QUERY" | sed 's/{f}/f0/g; s/{d}/d0/g')"
expect_code 0 "unbucketed join"
[ "$OUT" = "$BUCKETED" ] || fail "bucketed and unbucketed answers differ: $BUCKETED vs $OUT"
expect_out_contains "0,2537,22769106" "answer rows (w = 0: 58 keys x 40 rows + 217 inserted)"

run sql --no-progress --db "$DB" -c "create table bad clustered by (nope) into 3 buckets as select 1 as k"
expect_code 1 "unknown bucket column"
expect_err_contains 'bucket column "nope" is not a column of table "bad"' "error names the column"

finish
