# Writes on 2 ranks: a table in memory is made whole on every rank (the next statement reads
# it everywhere), and a file is written once, with the bytes one process writes (each rank
# writes its tasks' part, rank 0 joins them; shared_writes_test.sh tests more).
source "$(dirname "$0")/../cli/cli_test_lib.sh"
source "$(dirname "$0")/mpi_test_lib.sh"

mkdir -p "$WORK_DIR/one" "$WORK_DIR/two"
script() {  # script DIR: CTAS in memory, COPY of an aggregate over it, a query of the file
  echo "CREATE TABLE t AS SELECT range AS v, range % 13 AS k FROM range(400000);
COPY (SELECT k, count(*) AS n, sum(v) AS s FROM t GROUP BY k ORDER BY k) TO '$1/out.csv';
SELECT sum(n), sum(s) FROM read_csv('$1/out.csv');"
}
run sql --threads 1 --format csv -c "$(script "$WORK_DIR/one")"
expect_code 0 "the script in one process"
expect_out "$(printf 'sum(n),sum(s)\n400000,79999800000')" "the script in one process"
run_ranks 2 sql --threads 1 --format csv -c "$(script "$WORK_DIR/two")"
expect_code 0 "the script on 2 ranks"
expect_out "$(printf 'sum(n),sum(s)\n400000,79999800000')" "the script on 2 ranks"
cmp -s "$WORK_DIR/one/out.csv" "$WORK_DIR/two/out.csv" ||
  fail "COPY on 2 ranks wrote other bytes than one process"
[ "$(ls "$WORK_DIR/two")" == "out.csv" ] || fail "COPY on 2 ranks left: $(ls "$WORK_DIR/two")"

# Plans are compared across ranks: ranks that plan differently (here, different
# shuffle_partitions) stop with one clear error instead of exchanging the wrong rows.
echo 'CREATE TABLE t AS SELECT range % 7 AS k FROM range(400000);
SELECT k, count(*) FROM t GROUP BY k ORDER BY k;' > "$WORK_DIR/q.sql"
OUT="$(timeout 300 mpirun --oversubscribe -n 1 "$SLUICE" sql --threads 1 \
  --shuffle_partitions 4 -f "$WORK_DIR/q.sql" : -n 1 "$SLUICE" sql --threads 1 \
  --shuffle_partitions 8 -f "$WORK_DIR/q.sql" 2>"$WORK_DIR/stderr")"
CODE=$?
ERR="$(cat "$WORK_DIR/stderr")"
[ "$CODE" -ne 0 ] && [ "$CODE" -ne 124 ] || fail "different plans: exit code $CODE"
expect_err_contains "rank 1 planned a different physical plan than rank 0" "different plans"

finish
