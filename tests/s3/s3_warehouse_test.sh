#!/usr/bin/env bash
# A warehouse on object storage (`--db s3://bucket/prefix`) end to end against a real local
# S3 server (server.mjs: s3rver, signatures verified): tables written and read through the
# bucket, the catalog a local SQLite file; CREATE / INSERT / DELETE / UPDATE, views, time
# travel by tag, a second process (and two writers at once) seeing each other's commits, the
# Iceberg layout of the objects (metadata/vN.metadata.json, data/*.parquet, full s3:// paths),
# path-based iceberg_scan of the bucket, failed writes that keep the previous snapshot, a
# writer killed with SIGKILL, maintenance (remove_orphan_files, expire_snapshots, sluice
# maintain) and DROP through List/Delete, the s3_catalog setting, and errors that name what
# is wrong.
# Usage: s3_warehouse_test.sh <sluice binary>
set -u
SLUICE="$1"
HERE="$(cd "$(dirname "$0")" && pwd)"

# Starts the server (WORK, PORT, ENDPOINT, SERVER_PID, cleanup on exit), sets the AWS
# variables, FAILURES, fail(), expect_ok and expect_error.
source "$HERE/start_server.sh"
# The default catalog lives under the user's cache directory.
export XDG_CACHE_HOME="$WORK/cache"
export TMPDIR="$WORK/tmp"
DB="s3://sluice/wh"
CATALOG="$XDG_CACHE_HOME/sluice/warehouses/127.0.0.1:$PORT/sluice/wh/catalog.db"

# sql SQL [FLAGS...]: runs sluice sql over the warehouse, leaving OUT, ERR and CODE.
sql() {
  local text="$1"
  shift
  OUT="$("$SLUICE" sql --no-progress --format csv --s3-url-style path --db "$DB" "$@" -c "$text" \
    2>"$WORK/stderr")"
  CODE=$?
  ERR="$(cat "$WORK/stderr")"
}
expect_out() {  # expect_out EXPECTED WHAT: the last line of OUT
  [ "$(echo "$OUT" | tail -1)" == "$1" ] || fail "$2: got '$(echo "$OUT" | tail -1)', expected '$1' ($ERR)"
}
# objects PREFIX: the keys of bucket sluice under PREFIX, as s3rver stores them, sorted.
objects() {
  (cd "$WORK/s3/sluice" 2>/dev/null && find "$1" -name '*._S3rver_object' 2>/dev/null |
    sed 's/\._S3rver_object$//' | sort)
}
# catalog_location TABLE: the catalog row's metadata_location.
catalog_location() {
  python3 -c 'import sqlite3, sys
row = sqlite3.connect(sys.argv[1]).execute(
    "SELECT metadata_location FROM iceberg_tables WHERE table_namespace = ? AND table_name = ?",
    (sys.argv[2], sys.argv[3])).fetchone()
print(row[0] if row else "")' "$CATALOG" main "$1"
}

# 1. A table created, appended to and read back; a second process sees it.
sql "CREATE TABLE t AS SELECT range AS id, range % 3 AS k FROM range(1000);
     INSERT INTO t SELECT range + 1000 AS id, 9 AS k FROM range(10)"
expect_ok "CREATE TABLE and INSERT"
sql "SELECT count(*), sum(id), sum(k) FROM t"
expect_ok "SELECT in a second process"
expect_out "1010,509545,1089" "the rows after CREATE and INSERT"
[ -f "$CATALOG" ] || fail "no catalog at $CATALOG"
[ -z "$(objects wh | grep catalog)" ] || fail "the catalog went to the bucket: $(objects wh)"

# 2. The objects are an Iceberg table, every path a full s3:// URL.
objects wh/main/t/metadata | grep -qx 'wh/main/t/metadata/v1.metadata.json' ||
  fail "no v1.metadata.json: $(objects wh/main/t)"
objects wh/main/t/metadata | grep -qx 'wh/main/t/metadata/v2.metadata.json' ||
  fail "no v2.metadata.json: $(objects wh/main/t)"
objects wh/main/t/metadata | grep -q '^wh/main/t/metadata/snap-.*\.avro$' ||
  fail "no manifest list: $(objects wh/main/t)"
[ "$(objects wh/main/t/data | grep -c '^wh/main/t/data/part-.*\.parquet$')" -ge 2 ] ||
  fail "data files: $(objects wh/main/t)"
[ "$(catalog_location t)" == "s3://sluice/wh/main/t/metadata/v2.metadata.json" ] ||
  fail "catalog row: $(catalog_location t)"
grep -q '"location": "s3://sluice/wh/main/t"' "$WORK/s3/sluice/wh/main/t/metadata/v2.metadata.json._S3rver_object" ||
  fail "the metadata's location is not the table's s3:// URL"
sql "SELECT count(*), count(*) FILTER (WHERE file_path LIKE 's3://sluice/wh/main/t/data/part-%.parquet') FROM t\$files"
expect_out "2,2" "data file paths in the manifests"
# Another reader opens the table by its path in the bucket (version-hint.text).
sql "SELECT count(*), sum(id) FROM iceberg_scan('s3://sluice/wh/main/t')"
expect_out "1010,509545" "iceberg_scan of the table's s3:// directory"

# 3. DELETE, a tag, UPDATE, and time travel to the tag.
sql "DELETE FROM t WHERE k = 0; ALTER TABLE t CREATE TAG before_update;
     UPDATE t SET k = 5 WHERE k = 1"
expect_ok "DELETE, CREATE TAG, UPDATE"
sql "SELECT count(*), sum(k) FROM t"
expect_out "676,2421" "after DELETE and UPDATE"
sql "SELECT count(*), sum(k) FROM t FOR VERSION AS OF 'before_update'"
expect_out "676,1089" "FOR VERSION AS OF the tag"
sql "SELECT count(*) FROM iceberg_snapshots('t')"
[ "$(echo "$OUT" | tail -1)" -ge 2 ] || fail "snapshots kept: $OUT"

# 4. Two writers in two processes at once: both appends commit (one rebases on the other).
"$SLUICE" sql --s3-url-style path --db "$DB" -c "INSERT INTO t SELECT range, 7 FROM range(100)" \
  >"$WORK/w1.out" 2>&1 &
W1=$!
"$SLUICE" sql --s3-url-style path --db "$DB" -c "INSERT INTO t SELECT range, 8 FROM range(50)" \
  >"$WORK/w2.out" 2>&1 &
W2=$!
wait $W1 || fail "concurrent writer 1: $(cat "$WORK/w1.out")"
wait $W2 || fail "concurrent writer 2: $(cat "$WORK/w2.out")"
sql "SELECT count(*), count(*) FILTER (WHERE k = 7), count(*) FILTER (WHERE k = 8) FROM t"
expect_out "826,100,50" "two concurrent appends"

# 5. Failed writes leave the previous snapshot, and no objects of theirs.
BEFORE_LOCATION="$(catalog_location t)"
BEFORE_OBJECTS="$(objects wh/main/t)"
# The table is opened first, so that the refused request is the data file's upload.
sql "SELECT count(*) FROM t; SET s3_secret_access_key = 'wrong'; INSERT INTO t SELECT range, 1 FROM range(10)"
expect_error "SignatureDoesNotMatch" "INSERT with a wrong secret"
sql "INSERT INTO t SELECT CAST(CASE WHEN range = 90000 THEN 'x' ELSE '1' END AS INTEGER), 2 FROM range(100000)"
expect_error "Conversion" "INSERT of a query that fails midway"
[ "$(catalog_location t)" == "$BEFORE_LOCATION" ] || fail "a failed write moved the catalog row"
[ "$(objects wh/main/t)" == "$BEFORE_OBJECTS" ] ||
  fail "failed writes left objects: $(diff <(echo "$BEFORE_OBJECTS") <(objects wh/main/t))"
sql "SELECT count(*), sum(k) FROM t"
expect_out "826,3521" "the rows after failed writes"
[ -z "$(ls -A "$WORK/tmp")" ] || fail "temporary files left: $(ls -A "$WORK/tmp")"

# A writer killed with SIGKILL midway leaves whole commits; the next opens collect its objects.
sql "CREATE TABLE k (i INTEGER)"
for i in $(seq 0 39); do echo "INSERT INTO k VALUES ($i);"; done >"$WORK/k.sql"
"$SLUICE" sql --no-progress --s3-url-style path --db "$DB" -f "$WORK/k.sql" >/dev/null 2>&1 &
KILLED=$!
sleep 1
kill -9 $KILLED 2>/dev/null
wait $KILLED 2>/dev/null
sql "SELECT count(*) = count(DISTINCT i) AND count(*) = coalesce(max(i) + 1, 0) FROM k"
expect_out "true" "appends killed midway left whole commits"
sql "CALL expire_snapshots('k', older_than => TIMESTAMP '2999-01-01', retain_last => 1);
     SELECT count(*) FROM k\$files"
LIVE="$(echo "$OUT" | tail -1)"
[ "$(objects wh/main/k/data | wc -l)" -eq "$LIVE" ] ||
  fail "after a killed writer the bucket holds $(objects wh/main/k/data | wc -l) data files, the table $LIVE"
sql "DROP TABLE k"

# 6. Views and schemas: the view's JSON is an object; another process sees both.
sql "CREATE SCHEMA s; CREATE TABLE s.u AS SELECT 1 AS x;
     CREATE VIEW s.v AS SELECT k, count(*) AS n FROM t GROUP BY k"
expect_ok "CREATE SCHEMA, table and view"
objects wh/s | grep -qx 'wh/s/_views/v.json' || fail "no view object: $(objects wh/s)"
sql "SELECT n FROM s.v WHERE k = 5; SELECT x FROM s.u"
[ "$(echo "$OUT" | tr '\n' ' ')" == "n 333 x 1 " ] || fail "view and table of a schema: $OUT ($ERR)"

# 7. Maintenance through List and Delete.
# (Unreferenced objects under data/ and metadata/ go with the garbage collection when the
# table opens; remove_orphan_files takes the others.)
sql "COPY (SELECT 1 AS x) TO 's3://sluice/wh/main/t/old.parquet' (FORMAT parquet)"
expect_ok "an orphan object"
sql "CALL remove_orphan_files('t')"
expect_ok "remove_orphan_files"
objects wh/main/t | grep -qx 'wh/main/t/old.parquet' ||
  fail "remove_orphan_files took an object younger than 3 days (LastModified)"
sql "CALL remove_orphan_files('t', older_than => TIMESTAMP '2999-01-01')"
expect_out "s3://sluice/wh/main/t/old.parquet" "remove_orphan_files"
objects wh/main/t | grep -q old.parquet && fail "the orphan object is still there"
sql "CALL expire_snapshots('t', older_than => TIMESTAMP '2999-01-01', retain_last => 1);
     ALTER TABLE t DROP TAG before_update;
     CALL expire_snapshots('t', older_than => TIMESTAMP '2999-01-01', retain_last => 1);
     SELECT count(*) FROM t\$files"
expect_ok "expire_snapshots"
LIVE="$(echo "$OUT" | tail -1)"
[ "$(objects wh/main/t/data | wc -l)" -eq "$LIVE" ] ||
  fail "after expire_snapshots the bucket holds $(objects wh/main/t/data | wc -l) data files, the table $LIVE"
sql "SELECT count(*), sum(k) FROM t"
expect_out "826,3521" "the rows after maintenance"
# sluice maintain over the bucket: compaction of the small data files into one.
OUT="$("$SLUICE" maintain --no-progress --s3-url-style path --db "$DB" --table t \
  --min-input-files 2 --older-than 0m 2>&1)" || fail "sluice maintain: $OUT"
sql "SELECT count(*) FROM t\$files"
expect_out "1" "data files after sluice maintain"
[ "$(objects wh/main/t/data | wc -l)" -eq 1 ] ||
  fail "after sluice maintain the bucket holds data files $(objects wh/main/t/data)"
sql "SELECT count(*), sum(k) FROM t"
expect_out "826,3521" "the rows after sluice maintain"
sql "DROP TABLE s.u; DROP VIEW s.v"
expect_ok "DROP TABLE and VIEW"
[ -z "$(objects wh/s)" ] || fail "DROP left objects: $(objects wh/s)"

# 8. The catalog where the s3_catalog setting says; errors name what is wrong.
sql "CREATE TABLE w2 AS SELECT 42 AS answer" --s3-catalog "$WORK/own/catalog.db"
expect_ok "--s3-catalog"
[ -f "$WORK/own/catalog.db" ] || fail "--s3-catalog did not put the catalog at $WORK/own/catalog.db"
sql "SELECT answer FROM w2" --s3-catalog "$WORK/own/catalog.db"
expect_out "42" "a table of a catalog given by --s3-catalog"
sql "SELECT answer FROM w2"
expect_error "w2" "a table of another catalog"
OUT="$("$SLUICE" sql --db "$WORK/local" --s3-catalog "$WORK/x.db" -c "SELECT 1" 2>&1)" &&
  fail "--s3-catalog with a local --db succeeded"
[[ "$OUT" == *"s3_catalog"* ]] || fail "--s3-catalog with a local --db: $OUT"
OUT="$("$SLUICE" sql --s3-url-style path --db s3://nobucket/wh -c "SELECT 1" 2>&1)" &&
  fail "a warehouse in a missing bucket opened"
[[ "$OUT" == *"NoSuchBucket"* ]] || fail "a missing bucket: $OUT"

if [ "$FAILURES" -ne 0 ]; then
  echo "$FAILURES check(s) failed" >&2
  exit 1
fi
echo "s3_warehouse_test: all checks passed"
