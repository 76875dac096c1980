# A rank that dies mid-shuffle, or stops answering, ends the whole job with a message that
# names the rank and the stage; no rank waits forever.
source "$(dirname "$0")/../cli/cli_test_lib.sh"
source "$(dirname "$0")/mpi_test_lib.sh"

# A table of 4 partitions: stage 1 (a partial aggregate) runs 2 tasks on each rank.
echo "CREATE TABLE t AS SELECT range AS v FROM range(400000);
SELECT v % 97 AS g, count(*) FROM t GROUP BY g ORDER BY g;" > "$WORK_DIR/query.sql"

# A healthy run first: the fault hooks below are the only difference.
run_ranks 2 sql --threads 1 --format csv -f "$WORK_DIR/query.sql"
expect_code 0 "the query on 2 ranks"
expect_out_contains "96,4123" "the query on 2 ranks"

# Rank 1 aborts when its map tasks of stage 1 have written their rows, before the exchange.
SLUICE_TEST_MPI_FAULT=abort:1:1 run_ranks 2 sql --threads 1 -f "$WORK_DIR/query.sql"
[ "$CODE" -ne 0 ] && [ "$CODE" -ne 124 ] || fail "a dead rank: exit code $CODE (124: it hung)"
expect_err_contains "sluice: rank 1 of 2 died of signal 6 in stage 1" "the dead rank names itself"
expect_out_not_contains "4123" "no result after a rank died"

# Rank 1 stops answering at the same point: rank 0 gives up after SLUICE_MPI_TIMEOUT.
SLUICE_MPI_TIMEOUT=3 SLUICE_TEST_MPI_FAULT=hang:1:1 run_ranks 2 sql --threads 1 -f "$WORK_DIR/query.sql"
[ "$CODE" -ne 0 ] && [ "$CODE" -ne 124 ] || fail "a hung rank: exit code $CODE (124: it hung)"
expect_err_contains "sluice: rank 0 of 2 failed in stage 1: timed out after 3 s waiting for rank 1" \
  "the rank that waits names the one that hangs"

# An error in one rank's tasks (a cast only rank 1's rows fail) ends the job on both.
run_ranks 2 sql --threads 1 -c \
  "SELECT sum(CAST(CASE WHEN range = 99999 THEN 'x' ELSE '1' END AS INTEGER)) FROM range(100000)"
[ "$CODE" -ne 0 ] && [ "$CODE" -ne 124 ] || fail "a failing task: exit code $CODE (124: it hung)"
expect_err_contains "failed in stage" "a failing task names its rank and stage"
expect_err_contains "'x'" "a failing task gives the error"

finish
