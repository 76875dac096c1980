# --resume DIR (docs/scale-out.md): a job whose rank dies mid-shuffle fails cleanly; rerun with
# the same DIR, it loads the map stages that completed instead of running them, skips the
# statements whose writes committed, and prints the bytes of a run that never failed.
source "$(dirname "$0")/../cli/cli_test_lib.sh"
source "$(dirname "$0")/mpi_test_lib.sh"

# Two committed writes into a --db warehouse, then a query of two shuffles: stage 1 and 2
# scan the tables into a hash exchange each (no broadcast), stage 3 joins them and
# pre-aggregates into a third, stage 4 aggregates, sorts and prints.
cat > "$WORK_DIR/job.sql" <<'SQL'
CREATE TABLE facts AS SELECT range AS k, range % 1000 AS g, 'v' || CAST(range % 313 AS VARCHAR) AS s FROM range(200000);
CREATE TABLE dims AS SELECT range AS g, 'name' || CAST(range % 37 AS VARCHAR) AS name FROM range(900);
INSERT INTO dims SELECT range AS g, 'late' || CAST(range % 5 AS VARCHAR) AS name FROM range(900, 1000);
SELECT d.name, count(*), sum(f.k), max(f.s) FROM facts f JOIN dims d ON f.g = d.g GROUP BY d.name ORDER BY d.name;
SELECT count(*) FROM dims;
SQL
FLAGS=(--threads 1 --broadcast_threshold -1 --prefer_in_process_broadcast false --format csv)

# The answer of a run that never failed.
run_ranks 2 sql "${FLAGS[@]}" --db "$WORK_DIR/clean" -f "$WORK_DIR/job.sql"
expect_code 0 "the job without a fault"
EXPECTED="$OUT"
[[ "$EXPECTED" == *"late4,4000,"* && "$EXPECTED" == *$'\n'"1000" ]] ||
  fail "the job without a fault gives its answer: $EXPECTED"

# Rank 1 dies at the end of stage 3 of the query (statement 4), after stages 1 and 2 stored
# their output.
RESUME="$WORK_DIR/resume"
SLUICE_TEST_MPI_FAULT=abort:1:3 run_ranks 2 sql "${FLAGS[@]}" --db "$WORK_DIR/db" \
  --resume "$RESUME" -f "$WORK_DIR/job.sql"
[ "$CODE" -ne 0 ] && [ "$CODE" -ne 124 ] || fail "a dead rank: exit code $CODE (124: it hung)"
expect_err_contains "sluice: rank 1 of 2 died of signal 6 in stage 3" "the dead rank names itself"
expect_out_not_contains "late4" "no result after a rank died"
for stage in 1 2; do
  for rank in 0 1; do
    ls "$RESUME"/stages/job4.1-stage$stage-*/r$rank.done > /dev/null 2>&1 ||
      fail "stage $stage of the query is marked complete for rank $rank: $(ls -R "$RESUME")"
  done
done
if ls "$RESUME"/stages/job4.1-stage3-*/r1.done > /dev/null 2>&1; then
  fail "stage 3, where rank 1 died, is not marked complete for it"
fi

# The rerun: the writes are not made again, stages 1 and 2 are loaded, stage 3 runs.
run_ranks 2 sql "${FLAGS[@]}" --db "$WORK_DIR/db" --resume "$RESUME" -f "$WORK_DIR/job.sql"
expect_code 0 "the resumed job"
[ "$OUT" == "$EXPECTED" ] || fail "the resumed job prints the bytes of the job without a fault:
$(diff <(echo "$EXPECTED") <(echo "$OUT") | head -20)"
for statement in 1 2 3; do
  expect_err_contains "sluice: --resume: statement $statement committed in an earlier run: skipped" \
    "committed statement $statement is skipped"
done
for stage in 1 2; do
  expect_err_contains "sluice: --resume: stage $stage of query 4.1 reused its stored map output" \
    "stage $stage is loaded"
done
[[ "$ERR" != *"stage 3 of query 4.1 reused"* ]] || fail "stage 3 ran again: $ERR"
[ ! -e "$RESUME/stages" ] && [ ! -e "$RESUME/statements" ] ||
  fail "the job succeeded: its stored stages are removed: $(ls -R "$RESUME")"

# In one process: a final stage that fails for good (an injected fault, no retries) leaves
# the map stages stored; the rerun loads all three and shows it in EXPLAIN ANALYZE.
echo "SELECT d.name, count(*), sum(f.k) FROM facts f JOIN dims d ON f.g = d.g GROUP BY d.name ORDER BY d.name;" \
  > "$WORK_DIR/query.sql"
echo "EXPLAIN ANALYZE SELECT d.name, count(*), sum(f.k) FROM facts f JOIN dims d ON f.g = d.g GROUP BY d.name ORDER BY d.name;" \
  > "$WORK_DIR/explain.sql"
run sql "${FLAGS[@]}" --db "$WORK_DIR/clean" -f "$WORK_DIR/query.sql"
expect_code 0 "the query in one process"
EXPECTED="$OUT"
run sql "${FLAGS[@]}" --db "$WORK_DIR/clean" --inject_faults final:1 --task_retries 0 \
  --resume "$WORK_DIR/one" -f "$WORK_DIR/query.sql"
[ "$CODE" -eq 1 ] || fail "a failing final stage: exit code $CODE"
run sql "${FLAGS[@]}" --db "$WORK_DIR/clean" --resume "$WORK_DIR/one" -f "$WORK_DIR/query.sql"
expect_code 0 "the resumed query in one process"
[ "$OUT" == "$EXPECTED" ] || fail "the resumed query in one process prints the same bytes"
expect_err_contains "stage 3 of query 1.1 reused its stored map output" "one process loads stage 3"
run sql "${FLAGS[@]}" --db "$WORK_DIR/clean" --inject_faults final:1 --task_retries 0 \
  --resume "$WORK_DIR/one" -f "$WORK_DIR/explain.sql"
run sql "${FLAGS[@]}" --db "$WORK_DIR/clean" --resume "$WORK_DIR/one" -f "$WORK_DIR/explain.sql"
expect_code 0 "the resumed EXPLAIN ANALYZE"
expect_out_contains "map output reused from --resume" "EXPLAIN ANALYZE shows the loaded stages"

finish
