# A Lambda serving view while its two writers run (issue 13 item 6): a speed writer appends
# events 1..N to the speed table in small commits; a batch writer commits the same events
# to the batch table in chunks, each followed by CALL set_high_water_mark in another process.
# Readers check at every moment that the view holds events 1..K, each exactly once: no
# double count and no gap at the boundary, whatever the interleaving.
source "$(dirname "$0")/../cli/cli_test_lib.sh"
DB="$WORK_DIR/db"
N=120
CHUNK=20
sql() { "$SLUICE" sql --db "$DB" --format csv -c "$1"; }
# Event i happens at 2026-01-01 00:00:00 + i seconds.
at() { printf "TIMESTAMP '2026-01-01 00:%02d:%02d'" $(($1 / 60)) $(($1 % 60)); }
rows() {  # rows FROM TO SRC: the VALUES of events FROM..TO
  local out="" i
  for i in $(seq "$1" "$2"); do out="$out${out:+, }($i, '$3', $(at "$i"))"; done
  echo "$out"
}
# count, distinct ids, min id, max id, rows from the batch table
CHECK="SELECT count(*), count(DISTINCT id), coalesce(min(id), 0), coalesce(max(id), 0),
  count(*) FILTER (WHERE src = 'batch') FROM v"
check() {  # check WHAT: the view's invariant now
  local line n distinct lo hi
  line="$(sql "$CHECK" | tail -n 1)" || { echo "FAIL: $1: query failed" >&2; return 1; }
  IFS=, read -r n distinct lo hi _ <<< "$line"
  if [ "$n" != "$distinct" ] || [ "$n" != "$hi" ] || { [ "$n" != 0 ] && [ "$lo" != 1 ]; }; then
    echo "FAIL: $1: view holds $line (count, distinct, min, max, from batch)" >&2
    return 1
  fi
  echo "$line"
}

# The tables exist (with a first commit) before several processes open the warehouse.
sql "CREATE TABLE b (id INTEGER, src VARCHAR, ts TIMESTAMP);
     CREATE TABLE s (id INTEGER, src VARCHAR, ts TIMESTAMP);
     INSERT INTO s VALUES $(rows 1 1 speed);
     CREATE LAMBDA VIEW v AS BATCH b SPEED s ON ts" > /dev/null || fail "setup"
run sql --db "$DB" --format csv -c "SELECT id, src FROM v"
expect_out "id,src
1,speed" "no mark yet: every row from the speed table"

speed_writer() {
  local i
  for ((i = 2; i <= N; i += 3)); do
    sql "INSERT INTO s VALUES $(rows "$i" $((i + 2 > N ? N : i + 2)) speed)" > /dev/null ||
      echo "FAIL: speed append $i" >&2
  done
}
batch_writer() {
  local c hi seen
  for ((c = 1; c * CHUNK <= N - CHUNK; c++)); do
    hi=$((c * CHUNK))
    # The batch layer runs behind the speed layer.
    while :; do
      seen="$(sql "SELECT count(*) FROM s" | tail -n 1)"
      [ "$seen" -ge "$hi" ] && break
      sleep 0.05
    done
    sql "INSERT INTO b VALUES $(rows $((hi - CHUNK + 1)) "$hi" batch)" > /dev/null ||
      echo "FAIL: batch insert $c" >&2
    check "after batch rows $hi, before their mark" > /dev/null
    # The mark is the next event's time: the row exactly at the mark comes from speed.
    sql "CALL set_high_water_mark('b', $(at $((hi + 1))))" > /dev/null ||
      echo "FAIL: mark $c" >&2
    check "after mark $((hi + 1))" > /dev/null
  done
}
reader() {
  local reads=0
  while [ ! -f "$WORK_DIR/done" ]; do
    check "concurrent read" >> "$WORK_DIR/reads" || true
    reads=$((reads + 1))
  done
}

reader 2> "$WORK_DIR/reader.err" &
READER=$!
speed_writer 2> "$WORK_DIR/speed.err" &
SPEED=$!
batch_writer 2> "$WORK_DIR/batch.err"
wait "$SPEED"
touch "$WORK_DIR/done"
wait "$READER"
for f in reader speed batch; do
  [ -s "$WORK_DIR/$f.err" ] && fail "$f: $(head -n 5 "$WORK_DIR/$f.err")"
done
[ -s "$WORK_DIR/reads" ] || fail "the reader made no read"
echo "concurrent reads: $(wc -l < "$WORK_DIR/reads"), with rows of both layers:" \
  "$(awk -F, '$5 > 0 && $5 < $1' "$WORK_DIR/reads" | wc -l)"

# At the end: the batch table holds events 1..100 and its mark is event 101's time.
run sql --db "$DB" --format csv -c "SELECT src, count(*), min(id), max(id) FROM v GROUP BY src ORDER BY src"
expect_out "src,count(*),min(id),max(id)
batch,100,1,100
speed,20,101,120" "final split at the mark"
finish
