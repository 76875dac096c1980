# Writes of files under MPI: every rank writes the data files of its own tasks, rank 0
# commits one snapshot listing them in task order, and the other ranks see it in the next
# statement. A rank that fails first leaves the table at its previous snapshot. DDL on the
# shared warehouse runs on rank 0 alone.
source "$(dirname "$0")/../cli/cli_test_lib.sh"
source "$(dirname "$0")/mpi_test_lib.sh"

# script DIR: a table of 8 files (written by one task), then CTAS over it (8 tasks) of a big
# table (3 files per task) and of a small one (every task's rows held, written together at
# commit), each read back in the same job; their snapshots' file lists (row counts in list
# order); an INSERT; COPYs to a Parquet file, a partitioned directory and a CSV file, read
# back. On N ranks it must print what one process prints and write the same files.
script() {
  echo "SET target_file_rows = 50000;
CREATE TABLE src AS SELECT range AS v, range % 13 AS k, 'n' || (range % 101) AS s
  FROM range(400000);
SET target_file_rows = 20000;
CREATE TABLE big AS SELECT v, k, s FROM src;
SELECT count(*), sum(v), count(DISTINCT s) FROM big;
SELECT k, count(*), min(s), max(v) FROM big GROUP BY k ORDER BY k;
CREATE TABLE small AS SELECT v, v * 2 AS w FROM src WHERE v % 1000 < 30;
SELECT * FROM small ORDER BY v LIMIT 5 OFFSET 9000;
SELECT record_count FROM iceberg_files('big');
SELECT record_count FROM iceberg_files('small');
SELECT count(*) FROM iceberg_snapshots('big');
INSERT INTO small SELECT range, -range FROM range(1000);
SELECT count(*), sum(w) FROM small;
SELECT count(*) FROM iceberg_snapshots('small');
COPY (SELECT * FROM big) TO '$1/big.parquet' (FORMAT parquet);
COPY (SELECT k, count(*) AS n FROM big GROUP BY k ORDER BY k) TO '$1/agg.csv';
COPY big TO '$1/by_k' (FORMAT parquet, PARTITION_BY (k));
SELECT count(*), sum(v), sum(k) FROM read_parquet('$1/big.parquet');
SELECT count(*), sum(v) FROM read_parquet('$1/by_k/k=3/*.parquet');
SELECT sum(n) FROM read_csv('$1/agg.csv');"
}

for ranks in 2 4; do
  rm -rf "$WORK_DIR/one" "$WORK_DIR/n"
  mkdir -p "$WORK_DIR/one" "$WORK_DIR/n"
  run sql --threads 1 --format csv --db "$WORK_DIR/one/db" -c "$(script "$WORK_DIR/one")"
  expect_code 0 "the script in one process"
  expected="$OUT"
  # Rank 0 writes its files with mode 644, the others with 640: which rank wrote a file shows.
  OUT="$(timeout 300 mpirun -n "$ranks" --oversubscribe bash -c \
    'if [ "$OMPI_COMM_WORLD_RANK" = 0 ]; then umask 022; else umask 027; fi; exec "$0" "$@"' \
    "$SLUICE" sql --threads 1 --format csv --db "$WORK_DIR/n/db" -c "$(script "$WORK_DIR/n")" \
    2>"$WORK_DIR/stderr")"
  CODE=$?
  ERR="$(cat "$WORK_DIR/stderr")"
  expect_code 0 "the script on $ranks ranks"
  [ "$OUT" == "$expected" ] || fail "the script on $ranks ranks: output differs from one process:
$(diff <(echo "$expected") <(echo "$OUT") | head -20)"
  cmp -s "$WORK_DIR/one/big.parquet" "$WORK_DIR/n/big.parquet" ||
    fail "COPY TO parquet on $ranks ranks wrote other bytes than one process"
  diff -r "$WORK_DIR/one/by_k" "$WORK_DIR/n/by_k" > /dev/null ||
    fail "COPY TO a partitioned directory on $ranks ranks: other files than one process"
  [ "$(ls "$WORK_DIR/n/by_k" | wc -l)" -eq 13 ] || fail "$ranks ranks: by_k: $(ls "$WORK_DIR/n/by_k")"
  cmp -s "$WORK_DIR/one/agg.csv" "$WORK_DIR/n/agg.csv" ||
    fail "COPY TO csv on $ranks ranks wrote other bytes than one process"
  # The big table's one snapshot lists files of rank 0 and of the other ranks.
  files="$(ls "$WORK_DIR/n/db/main/big/data")"
  [ "$(echo "$files" | wc -l)" -ge "$ranks" ] || fail "$ranks ranks: files of big: $files"
  modes="$(cd "$WORK_DIR/n/db/main/big/data" && stat -c %a $files | sort | uniq -c)"
  echo "$modes" | grep -q " 644$" || fail "$ranks ranks: rank 0 wrote no file of big: $modes"
  echo "$modes" | grep -q " 640$" || fail "$ranks ranks: other ranks wrote no file of big: $modes"
done

# A fault on rank 1 after its tasks wrote their files (stage 1, the 4 tasks of a scan of 4
# files): nothing is committed, and the next open of the table collects the files.
rm -rf "$WORK_DIR/f"
run sql --threads 1 --format csv --db "$WORK_DIR/f" -c \
  "CREATE TABLE t AS SELECT range AS v FROM range(1000);
SET target_file_rows = 25000;
CREATE TABLE src AS SELECT range AS v FROM range(100000);"
expect_code 0 "the table before the fault"
before="$(ls "$WORK_DIR/f/main/t/data")"
insert="INSERT INTO t SELECT v + 1000000 FROM src"
SLUICE_TEST_MPI_FAULT=abort:1:1 run_ranks 2 sql --threads 1 --db "$WORK_DIR/f" -c "$insert"
[ "$CODE" -ne 0 ] && [ "$CODE" -ne 124 ] || fail "a rank died in a write: exit code $CODE"
expect_err_contains "sluice: rank 1 of 2 died of signal 6 in stage 1" "the dead writer names itself"
run sql --threads 1 --format csv --db "$WORK_DIR/f" -c \
  "SELECT count(*), max(v) FROM t; SELECT count(*) FROM iceberg_snapshots('t');"
expect_code 0 "the table after the fault"
expect_out "$(printf 'count(*),max(v)\n1000,999\ncount(*)\n1')" "the table after the fault"
[ "$(ls "$WORK_DIR/f/main/t/data")" == "$before" ] ||
  fail "files of the failed write were not collected: $(ls "$WORK_DIR/f/main/t/data")"
# An error in a task of rank 1 (its rows alone fail a cast) commits nothing either.
run_ranks 2 sql --threads 1 --db "$WORK_DIR/f" -c \
  "INSERT INTO t SELECT CAST(CASE WHEN v = 99999 THEN 'x' ELSE '1' END AS INTEGER) FROM src"
[ "$CODE" -ne 0 ] && [ "$CODE" -ne 124 ] || fail "a failing write task: exit code $CODE"
expect_err_contains "sluice: rank 1 of 2 failed in stage 1" "the failing writer names itself"
run sql --threads 1 --format csv --db "$WORK_DIR/f" -c \
  "SELECT count(*), max(v) FROM t; SELECT count(*) FROM iceberg_snapshots('t');"
expect_out "$(printf 'count(*),max(v)\n1000,999\ncount(*)\n1')" "the table after a task failed"
[ "$(ls "$WORK_DIR/f/main/t/data")" == "$before" ] ||
  fail "files of the failed write were not collected: $(ls "$WORK_DIR/f/main/t/data")"

# The same write without the fault commits one snapshot.
run_ranks 2 sql --threads 1 --format csv --db "$WORK_DIR/f" -c \
  "$insert; SELECT count(*), max(v) FROM t; SELECT count(*) FROM iceberg_snapshots('t');"
expect_code 0 "the write without the fault"
expect_out "$(printf 'count(*),max(v)\n101000,1099999\ncount(*)\n2')" \
  "the write without the fault"

# DDL on the shared warehouse: each statement runs once, and every rank sees its effect in
# the next statement.
ddl="CREATE SCHEMA s;
CREATE TABLE s.t (a INTEGER, b VARCHAR);
INSERT INTO s.t VALUES (1, 'x'), (2, 'y');
CREATE VIEW s.v AS SELECT a * 10 AS a10, b FROM s.t;
SELECT * FROM s.v ORDER BY a10;
ALTER TABLE s.t ADD COLUMN c INTEGER;
INSERT INTO s.t VALUES (3, 'z', 30);
SELECT * FROM s.t ORDER BY a;
CREATE OR REPLACE VIEW s.v AS SELECT count(*) AS n FROM s.t;
SELECT * FROM s.v;
DROP VIEW s.v;
DROP TABLE s.t;
SELECT count(*) FROM information_schema.tables WHERE table_schema = 's';"
rm -rf "$WORK_DIR/d1" "$WORK_DIR/d2"
run sql --threads 1 --format csv --db "$WORK_DIR/d1" -c "$ddl"
expect_code 0 "DDL in one process"
expected="$OUT"
run_ranks 2 sql --threads 1 --format csv --db "$WORK_DIR/d2" -c "$ddl"
expect_code 0 "DDL on 2 ranks"
[ "$OUT" == "$expected" ] || fail "DDL on 2 ranks: output differs from one process:
$(diff <(echo "$expected") <(echo "$OUT") | head -20)"
[[ "$ERR" != *"already exists"* ]] || fail "DDL on 2 ranks raced: $ERR"

# A DDL error on rank 0 is every rank's error.
run_ranks 2 sql --threads 1 --db "$WORK_DIR/d2" -c "CREATE SCHEMA s; CREATE SCHEMA s;"
[ "$CODE" -ne 0 ] && [ "$CODE" -ne 124 ] || fail "a failing DDL: exit code $CODE"
expect_err_contains 'Schema with name "s" already exists' "a failing DDL"

finish
