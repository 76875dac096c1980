# Exchange rows travel between ranks LZ4-compressed where that pays: on 2 ranks, a group-by
# over compressible rows prints the same bytes as one process with and without compression,
# and with it the rows served to the other rank take fewer bytes than serialized
# (SLUICE_MPI_STATS=1 reports each rank's traffic).
source "$(dirname "$0")/../cli/cli_test_lib.sh"
source "$(dirname "$0")/mpi_test_lib.sh"

cat > "$WORK_DIR/query.sql" <<'SQL'
CREATE TABLE t AS SELECT range % 5000 AS k, 'label-' || CAST(range % 50 AS VARCHAR) AS s, range AS v FROM range(200000);
SELECT k, max(s), sum(v), count(*) FROM t GROUP BY k ORDER BY k;
SQL
FLAGS=(--threads 1 --shuffle_partitions 4 --broadcast_threshold -1 --format csv -f "$WORK_DIR/query.sql")

# served_bytes CODEC: RAW and SENT, the bytes of the rows rank 1 served, from its stats line.
served_bytes() {
  SLUICE_MPI_COMPRESSION=$1 SLUICE_MPI_STATS=1 run_ranks 2 sql "${FLAGS[@]}"
  expect_code 0 "the group-by on 2 ranks with SLUICE_MPI_COMPRESSION=$1"
  read -r RAW SENT <<< "$(sed -n 's/.*rank 1 of 2 .*served exchange rows of \([0-9]*\) bytes as \([0-9]*\) bytes.*/\1 \2/p' <<< "$ERR")"
}

for codec in lz4 none; do
  SLUICE_MPI_COMPRESSION=$codec expect_same_as_one_process 2 "group-by" sql "${FLAGS[@]}"
done

served_bytes lz4
[ -n "$RAW" ] && [ "$RAW" -gt 0 ] || fail "rank 1 reported no served rows: $ERR"
[ -n "$SENT" ] && [ "$SENT" -lt "$RAW" ] || fail "lz4: $SENT bytes sent for $RAW bytes of rows"
LZ4_SENT=$SENT
served_bytes none
[ -n "$SENT" ] && [ "$SENT" -ge "$RAW" ] || fail "none: $SENT bytes sent for $RAW bytes of rows"
echo "rank 1 served $RAW bytes of rows as $LZ4_SENT bytes with lz4, as $SENT without"
finish
