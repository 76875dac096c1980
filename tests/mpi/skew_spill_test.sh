# On 2 ranks, a skewed join (split adaptively) and a group-by that spills under a small
# memory_limit print the same bytes as one process, and the adaptive decisions are the same:
# they are taken from statistics gathered from both ranks.
source "$(dirname "$0")/../cli/cli_test_lib.sh"
source "$(dirname "$0")/mpi_test_lib.sh"

# 80% of the fact rows carry key 7: its partition is 60x the median. Results are printed
# without ORDER BY, in the engine's partition order, which must not depend on the ranks.
cat > "$WORK_DIR/tables.sql" <<'SQL'
CREATE TABLE facts AS SELECT CASE WHEN range % 10 < 8 THEN 7 ELSE range % 1000 END AS k, range AS v, 'payload-' || CAST(range % 7919 AS VARCHAR) AS s FROM range(300000);
CREATE TABLE dims AS SELECT range AS k, 'name' || CAST(range AS VARCHAR) AS name FROM range(1000);
SQL
SKEW_QUERY="SELECT d.name, count(*), sum(f.v), min(f.v) FROM facts f JOIN dims d ON f.k = d.k GROUP BY d.name"
SKEW_FLAGS=(--threads 1 --broadcast_threshold -1 --prefer_in_process_broadcast false
  --skew_threshold 64KB --format csv)
{ cat "$WORK_DIR/tables.sql"; echo "$SKEW_QUERY;"; } > "$WORK_DIR/skew.sql"
{ cat "$WORK_DIR/tables.sql"; echo "EXPLAIN ANALYZE $SKEW_QUERY;"; } > "$WORK_DIR/skew_plan.sql"

for ranks in 2 4; do
  expect_same_as_one_process "$ranks" "skewed join" sql "${SKEW_FLAGS[@]}" -f "$WORK_DIR/skew.sql"
done
run_ranks 2 sql "${SKEW_FLAGS[@]}" -f "$WORK_DIR/skew_plan.sql"
expect_code 0 "EXPLAIN ANALYZE of the skewed join on 2 ranks"
expect_out_contains "skew split: partition 8" "the skewed partition is split on 2 ranks"
expect_out_contains "coalesced 16 -> 1 partitions" "small partitions are coalesced on 2 ranks"

# The final aggregate reads 4 partitions (no coalescing), 2 per rank, which spill under each
# rank's 2 MB budget; the exchange's map output spills too.
SPILL_QUERY="SELECT v % 150000 AS g, count(*), sum(v), max(s) FROM facts GROUP BY g"
SPILL_FLAGS=(--threads 1 --memory_limit 2MB --shuffle_partitions 4 --target_partition_bytes 1KB
  --format csv)
{ cat "$WORK_DIR/tables.sql"; echo "$SPILL_QUERY;"; } > "$WORK_DIR/spill.sql"
{ cat "$WORK_DIR/tables.sql"; echo "EXPLAIN ANALYZE $SPILL_QUERY;"; } > "$WORK_DIR/spill_plan.sql"
expect_same_as_one_process 2 "spilling group-by" sql "${SPILL_FLAGS[@]}" -f "$WORK_DIR/spill.sql"
run_ranks 2 sql "${SPILL_FLAGS[@]}" -f "$WORK_DIR/spill_plan.sql"
expect_code 0 "EXPLAIN ANALYZE of the spilling group-by on 2 ranks"
expect_out_contains "mode=final groups=[#g0] aggregates=[count_star(), sum(facts.v), max(facts.s)]  (rows=" \
  "the final aggregate ran on rank 0"
[[ "$OUT" =~ mode=final[^$'\n']*spilled= ]] || fail "the final aggregate spilled on rank 0:
$OUT"
[[ "$OUT" =~ Exchange[^$'\n']*spilled= ]] || fail "the exchange spilled on rank 0:
$OUT"

finish
