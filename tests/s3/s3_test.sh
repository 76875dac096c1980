#!/usr/bin/env bash
# Object storage end to end against a real local S3 server: s3rver (npm, tests/s3) on a free
# loopback port with a temp directory, started here through server.mjs, which also verifies
# every AWS Signature V4 independently and logs each request. Covers: the S3 client's
# operations (objstore_test's S3Client tests: ranges, listings across continuation tokens,
# multipart upload, errors); COPY to s3:// as Parquet and CSV read back equal to the local
# answer, byte for byte; globs and Hive partitions listed through ListObjectsV2; a large
# multi-row-group Parquet file whose projection fetches only some byte ranges; a missing
# object, bad credentials and an unreachable endpoint as clear errors; failed writes that
# keep the old object.
# Usage: s3_test.sh <sluice binary> <objstore_test binary>
# Exits 77 (skipped) only when node is missing (scripts/install-deps.sh installs it).
set -u
SLUICE="$1"
CLIENT_TEST="$2"
HERE="$(cd "$(dirname "$0")" && pwd)"

# Starts the server (WORK, PORT, ENDPOINT, SERVER_PID, cleanup on exit), sets the AWS
# variables, FAILURES, fail(), expect_ok and expect_error.
source "$HERE/start_server.sh"
export TMPDIR="$WORK/tmp"

# sql SQL...: runs sluice sql, leaving OUT, ERR and CODE.
sql() {
  OUT="$("$SLUICE" sql --no-progress --format csv --s3-url-style path -c "$1" 2>"$WORK/stderr")"
  CODE=$?
  ERR="$(cat "$WORK/stderr")"
}
# stored KEY: the file s3rver keeps object KEY of bucket sluice in.
stored() { echo "$WORK/s3/sluice/$1._S3rver_object"; }

# 1. The client's operations, against this server.
SLUICE_TEST_S3_ENDPOINT="$ENDPOINT" "$CLIENT_TEST" --gtest_filter='S3ClientTest.*' \
  >"$WORK/client.out" 2>&1 || fail "objstore_test S3ClientTest: $(tail -30 "$WORK/client.out")"
grep -q "SKIPPED" "$WORK/client.out" && fail "S3ClientTest skipped although the server runs"
grep -q '^POST /sluice/client/multipart.bin?uploads' "$WORK/requests.log" ||
  fail "the large upload did not use a multipart upload"

# 2. Parquet and CSV written to the bucket read back as the local files do, byte for byte.
ROWS="SELECT range AS id, range % 7 AS k, 'name-' || CAST(range AS VARCHAR) AS name, range * 1.5 AS v FROM range(100000)"
CHECK="count(*), sum(id), sum(k), min(name), max(name), sum(v)"
sql "COPY ($ROWS) TO '$WORK/t.parquet' (FORMAT parquet);
     COPY ($ROWS) TO 's3://sluice/t/data.parquet' (FORMAT parquet);
     COPY ($ROWS) TO '$WORK/t.csv' (FORMAT csv);
     COPY ($ROWS) TO 's3://sluice/t/data.csv' (FORMAT csv)"
expect_ok "COPY to s3"
cmp -s "$WORK/t.parquet" "$(stored t/data.parquet)" || fail "the Parquet object differs from the local file"
cmp -s "$WORK/t.csv" "$(stored t/data.csv)" || fail "the CSV object differs from the local file"
sql "SELECT $CHECK FROM read_parquet('$WORK/t.parquet')"
LOCAL="$OUT"
[ "$(echo "$LOCAL" | sed -n 2p)" == "100000,4999950000,299995,name-0,name-99999,7499925000.0" ] ||
  fail "local answer: $LOCAL"
sql "SELECT $CHECK FROM read_parquet('s3://sluice/t/data.parquet')"
expect_ok "read_parquet s3"
[ "$OUT" == "$LOCAL" ] || fail "read_parquet from s3: $OUT, local: $LOCAL"
sql "SELECT $CHECK FROM read_csv('s3://sluice/t/data.csv')"
expect_ok "read_csv s3"
[ "$OUT" == "$LOCAL" ] || fail "read_csv from s3: $OUT, local: $LOCAL"
sql "SELECT $CHECK FROM 's3://sluice/t/data.parquet'"
[ "$OUT" == "$LOCAL" ] || fail "a quoted s3 path in FROM: $OUT ($ERR)"
# SET instead of the environment; JSON too.
sql "SET s3_endpoint = '127.0.0.1:$PORT'; SET s3_use_ssl = false; SET s3_url_style = 'path';
     COPY (SELECT id, name FROM '$WORK/t.parquet' WHERE id < 5) TO 's3://sluice/t/few.json' (FORMAT json);
     SELECT sum(id), max(name) FROM read_json('s3://sluice/t/few.json')"
expect_ok "SET s3_* and JSON"
[ "$(echo "$OUT" | tail -1)" == "10,name-4" ] || fail "JSON from s3: $OUT"

# Virtual-host style (the default): bucket.endpoint/key.
AWS_ENDPOINT_URL="http://s3.localhost:$PORT" OUT="$("$SLUICE" sql --no-progress --format csv -c \
  "COPY (SELECT 42 AS answer) TO 's3://sluice/t/vhost.csv' (FORMAT csv);
   SELECT answer FROM 's3://sluice/t/vhost.csv'" 2>&1)"
[ "$(echo "$OUT" | tail -1)" == "42" ] || fail "vhost style: $OUT"
grep -q '^PUT /t/vhost.csv ' "$WORK/requests.log" || fail "the vhost-style PUT did not go to /t/vhost.csv"
[ -f "$(stored t/vhost.csv)" ] || fail "the vhost-style PUT did not reach bucket sluice"

# 3. Globs and Hive partitions list through ListObjectsV2.
sql "COPY (SELECT * FROM '$WORK/t.parquet' WHERE id < 1000) TO 's3://sluice/glob/a.parquet';
     COPY (SELECT * FROM '$WORK/t.parquet' WHERE id >= 1000 AND id < 3000) TO 's3://sluice/glob/b.parquet';
     COPY (SELECT * FROM '$WORK/t.parquet' WHERE id >= 3000 AND id < 6000) TO 's3://sluice/glob/sub/c.parquet';
     COPY (SELECT 1 AS x) TO 's3://sluice/glob/skip.csv' (FORMAT csv)"
expect_ok "COPY glob files"
sql "SELECT count(*), sum(id) FROM read_parquet('s3://sluice/glob/*.parquet')"
[ "$(echo "$OUT" | sed -n 2p)" == "3000,4498500" ] || fail "glob *.parquet: $OUT $ERR"
sql "SELECT count(*), sum(id) FROM read_parquet('s3://sluice/glob/**/*.parquet')"
[ "$(echo "$OUT" | sed -n 2p)" == "6000,17997000" ] || fail "glob **/*.parquet: $OUT $ERR"
sql "COPY (SELECT * FROM '$WORK/t.parquet') TO '$WORK/hive' (FORMAT parquet, PARTITION_BY (k));
     COPY (SELECT * FROM '$WORK/t.parquet') TO 's3://sluice/hive' (FORMAT parquet, PARTITION_BY (k))"
expect_ok "partitioned COPY to s3"
[ "$(find "$WORK/s3/sluice/hive" -name '*._S3rver_object' | wc -l)" == "$(find "$WORK/hive" -type f | wc -l)" ] ||
  fail "the partitioned objects are not the local files: $(find "$WORK/s3/sluice/hive" -name '*._S3rver_object')"
HIVE_Q="SELECT k, count(*), sum(id) FROM read_parquet('%s', hive_partitioning = true) WHERE k IN (2, 5) GROUP BY k ORDER BY k"
sql "$(printf "$HIVE_Q" "$WORK/hive/*/*.parquet")"
LOCAL_HIVE="$OUT"
sql "$(printf "$HIVE_Q" "s3://sluice/hive/*/*.parquet")"
expect_ok "hive read from s3"
[ "$OUT" == "$LOCAL_HIVE" ] && [ -n "$OUT" ] || fail "hive partitions from s3: $OUT, local: $LOCAL_HIVE"
sql "SELECT count(*) FROM read_parquet('s3://sluice/hive')"
[ "$(echo "$OUT" | sed -n 2p)" == "100000" ] || fail "a prefix as a directory: $OUT $ERR"
# A second partitioned write replaces the first: partitions it does not have are gone.
sql "COPY (SELECT * FROM '$WORK/t.parquet' WHERE k < 3) TO 's3://sluice/hive' (FORMAT parquet, PARTITION_BY (k))"
expect_ok "partitioned overwrite"
sql "SELECT count(DISTINCT k), count(*) FROM read_parquet('s3://sluice/hive/*/*.parquet', hive_partitioning = true)"
[ "$(echo "$OUT" | sed -n 2p)" == "3,42858" ] || fail "after the overwrite: $OUT $ERR"

# 4. A large file of several row groups: reads are ranged GETs, and a projection of one
# column fetches only a part of the object.
WIDE="SELECT range AS id, md5(CAST(range AS VARCHAR)) AS h1, md5(CAST(range + 1 AS VARCHAR)) AS h2, md5(CAST(range + 2 AS VARCHAR)) AS h3 FROM range(400000)"
sql "COPY ($WIDE) TO '$WORK/big.parquet' (FORMAT parquet, ROW_GROUP_SIZE 100000);
     COPY ($WIDE) TO 's3://sluice/big/big.parquet' (FORMAT parquet, ROW_GROUP_SIZE 100000)"
expect_ok "COPY big"
SIZE="$(stat -c %s "$(stored big/big.parquet)")"
[ "$SIZE" -gt $((4 << 20)) ] || fail "big.parquet is only $SIZE bytes"
grep -q '^POST /sluice/big/big.parquet?uploads' "$WORK/requests.log" ||
  fail "big.parquet was not uploaded in parts"
sql "SELECT count(*), sum(id), max(h2) FROM read_parquet('$WORK/big.parquet')"
LOCAL_BIG="$OUT"
sql "SELECT count(*), sum(id), max(h2) FROM read_parquet('s3://sluice/big/big.parquet')"
[ "$OUT" == "$LOCAL_BIG" ] || fail "big from s3: $OUT, local: $LOCAL_BIG ($ERR)"
BEFORE="$(wc -l <"$WORK/requests.log")"
sql "SELECT sum(id) FROM read_parquet('s3://sluice/big/big.parquet')"
[ "$(echo "$OUT" | sed -n 2p)" == "79999800000" ] || fail "projection sum: $OUT $ERR"
FETCHED="$(tail -n +"$((BEFORE + 1))" "$WORK/requests.log" |
  awk '$1 == "GET" && $2 == "/sluice/big/big.parquet" { bytes += $NF; n++ } END { print n + 0, bytes + 0 }')"
RANGED="$(tail -n +"$((BEFORE + 1))" "$WORK/requests.log" |
  awk '$1 == "GET" && $2 == "/sluice/big/big.parquet" && $3 !~ /^bytes=/ { n++ } END { print n + 0 }')"
read -r GETS BYTES <<<"$FETCHED"
[ "$RANGED" == "0" ] || fail "$RANGED GETs of big.parquet without a Range"
[ "$GETS" -ge 5 ] || fail "only $GETS GETs for a file of 4 row groups"
[ "$BYTES" -lt $((SIZE / 3)) ] || fail "sum(id) fetched $BYTES of $SIZE bytes"
echo "projection of 1 of 4 columns: $GETS ranged GETs, $BYTES of $SIZE bytes"

# 5. Clear errors naming the s3 URL.
sql "SELECT * FROM read_parquet('s3://sluice/t/missing.parquet')"
expect_error "s3://sluice/t/missing.parquet" "a missing object"
sql "SELECT * FROM read_parquet('s3://sluice/nothing/*.parquet')"
expect_error "No files found that match the pattern 's3://sluice/nothing/*.parquet'" "an empty glob"
sql "SELECT * FROM read_parquet('s3://no-such-bucket/x/*.parquet')"
expect_error "NoSuchBucket" "a missing bucket"
AWS_SECRET_ACCESS_KEY=wrong sql "SELECT count(*) FROM read_parquet('s3://sluice/glob/*.parquet')"
expect_error "SignatureDoesNotMatch" "a wrong secret"
AWS_ACCESS_KEY_ID=NOBODY sql "SELECT count(*) FROM read_parquet('s3://sluice/glob/*.parquet')"
expect_error "InvalidAccessKeyId" "an unknown access key"
AWS_ENDPOINT_URL="http://127.0.0.1:1" sql "SELECT count(*) FROM read_parquet('s3://sluice/t/data.parquet')"
expect_error "s3://sluice/t/data.parquet" "an unreachable endpoint"

# 6. Failed writes keep the old object, and leave no temporary files behind.
cp "$(stored t/data.csv)" "$WORK/old.csv"
AWS_SECRET_ACCESS_KEY=wrong sql "COPY (SELECT 1 AS x) TO 's3://sluice/t/data.csv' (FORMAT csv)"
expect_error "SignatureDoesNotMatch" "COPY with a wrong secret"
cmp -s "$WORK/old.csv" "$(stored t/data.csv)" || fail "a refused upload changed the object"
sql "COPY (SELECT CAST(CASE WHEN range = 90000 THEN 'x' ELSE '1' END AS INTEGER) AS x FROM range(100000)) TO 's3://sluice/t/data.csv' (FORMAT csv)"
expect_error "Conversion" "COPY of a query that fails midway"
cmp -s "$WORK/old.csv" "$(stored t/data.csv)" || fail "a failed COPY changed the object"
[ -z "$(ls -A "$WORK/tmp")" ] || fail "temporary files left: $(ls -A "$WORK/tmp")"
sql "SELECT $CHECK FROM read_csv('s3://sluice/t/data.csv')"
[ "$OUT" == "$LOCAL" ] || fail "the old object after failed writes: $OUT"

if [ "$FAILURES" -ne 0 ]; then
  echo "$FAILURES check(s) failed" >&2
  exit 1
fi
echo "s3_test: all checks passed"
