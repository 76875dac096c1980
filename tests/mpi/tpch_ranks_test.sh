# The 22 TPC-H queries at SF 0.1 print the same bytes on 1, 2 and 4 ranks as in one process
# (SLUICE_MPI_TEST_SF changes the scale). The tables live in a warehouse
# written with small files (lineitem in 15), so that every rank scans a share of them and
# every exchange moves rows between ranks.
source "$(dirname "$0")/../cli/cli_test_lib.sh"
source "$(dirname "$0")/mpi_test_lib.sh"
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
SF="${SLUICE_MPI_TEST_SF:-0.1}"
FILE_ROWS="$(awk "BEGIN { print int($SF * 400000) }")"

"$SLUICE" gen tpch --sf "$SF" --out "$WORK_DIR/data" --threads 2 > /dev/null ||
  fail "generating TPC-H"
sed "s#@DIR@#$WORK_DIR/data#g" "$REPO/bench/tpch/load.sql" > "$WORK_DIR/load.sql"
"$SLUICE" sql --db "$WORK_DIR/wh" --target_file_rows "$FILE_ROWS" -f "$WORK_DIR/load.sql" ||
  fail "loading TPC-H"

# q15's view is a temporary one here: every rank runs a statement's DDL itself, and ranks
# creating and dropping one view in a shared --db warehouse race each other (not yet
# coordinated: docs/scale-out.md).
sed 's/^CREATE VIEW revenue0/CREATE TEMP VIEW revenue0/' "$REPO/bench/tpch/q15.sql" > "$WORK_DIR/q15.sql"
grep -q "^CREATE TEMP VIEW revenue0" "$WORK_DIR/q15.sql" || fail "q15 has no view to make temporary"

for q in $(seq -w 1 22); do
  query="$REPO/bench/tpch/q$q.sql"
  [ "$q" = 15 ] && query="$WORK_DIR/q15.sql"
  # One rank (mpirun without a cluster: the plain path) on a few, 2 and 4 ranks on all.
  case "$q" in 01 | 09 | 18) rank_counts="1 2 4" ;; *) rank_counts="2 4" ;; esac
  for ranks in $rank_counts; do
    expect_same_as_one_process "$ranks" "TPC-H q$q" sql --db "$WORK_DIR/wh" --threads 1 -f "$query"
  done
done

# Rows travel in chunks under the 2 GiB limit of MPI's int counts: with 1000-byte chunks,
# every exchange message is many chunks, and the answer is the same.
SLUICE_MPI_CHUNK_BYTES=1000 expect_same_as_one_process 2 "TPC-H q03" \
  sql --db "$WORK_DIR/wh" --threads 1 -f "$REPO/bench/tpch/q03.sql"

# mpirun gives standard input to rank 0 only: the other ranks run rank 0's script.
OUT="$(timeout 300 mpirun -n 2 --oversubscribe "$SLUICE" sql --db "$WORK_DIR/wh" --threads 1 \
  --format csv < "$REPO/bench/tpch/q06.sql" 2>"$WORK_DIR/stderr")"
CODE=$?
expect_code 0 "q06 from standard input on 2 ranks"
expect_out "$("$SLUICE" sql --db "$WORK_DIR/wh" --threads 1 --format csv -f "$REPO/bench/tpch/q06.sql")" \
  "q06 from standard input on 2 ranks"

finish
