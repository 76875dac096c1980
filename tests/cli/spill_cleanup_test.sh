# Spill folders (`sluice-<pid>-<n>` in temp_directory) do not outlive their process: Ctrl-C
# removes the process's own folders, and a later run removes the folders of processes that are
# gone (issue 10, item 5), while it keeps the folders of live processes.
source "$(dirname "$0")/cli_test_lib.sh"

# Job control: background jobs of a script otherwise start with SIGINT ignored, which sluice
# (like any program) keeps ignoring.
set -m

TEMP="$WORK_DIR/spill"
mkdir -p "$TEMP"
# The long queries below never end by themselves: stop them if the test stops early.
LIVE=""
TERMED=""
trap 'kill -KILL $LIVE $TERMED 2>/dev/null; rm -rf "$WORK_DIR"' EXIT

# A query that spills for minutes under a 64MB limit; the test ends it with a signal.
LONG_QUERY="SET memory_limit='64MB'; SET temp_directory='$TEMP';
SELECT count(*), sum(c) FROM (SELECT range % 50000000 AS k, count(*) AS c FROM range(10000000000) GROUP BY k)"
# A query that finishes quickly, but only by spilling (2,000,000 groups under 32MB).
SHORT_QUERY="SET memory_limit='32MB'; SET temp_directory='$TEMP';
SELECT count(*), sum(c) FROM (SELECT range % 2000000 AS k, count(*) AS c FROM range(3000000) GROUP BY k)"

# folders_of PID: the spill folders of process PID.
folders_of() {
  find "$TEMP" -maxdepth 1 -name "sluice-$1-*" | sort
}

# wait_for_folder PID: waits up to 120 s until process PID has a spill folder.
wait_for_folder() {
  for _ in $(seq 1 480); do
    [ -n "$(folders_of "$1")" ] && return 0
    kill -0 "$1" 2>/dev/null || return 1
    sleep 0.25
  done
  return 1
}

# A live spilling process: its folder must survive another run's sweep.
"$SLUICE" sql --no-progress -c "$LONG_QUERY" >"$WORK_DIR/long.out" 2>"$WORK_DIR/long.err" &
LIVE=$!
wait_for_folder "$LIVE" || fail "the long query never created a spill folder: $(cat "$WORK_DIR/long.err")"
LIVE_FOLDERS="$(folders_of "$LIVE")"

# Left by a crashed process whose pid no longer exists.
bash -c 'exit 0' &
DEAD=$!
wait "$DEAD"
while kill -0 "$DEAD" 2>/dev/null; do DEAD=$((DEAD + 7919)); done
mkdir -p "$TEMP/sluice-$DEAD-0" && echo data >"$TEMP/sluice-$DEAD-0/sort-0.spill"
# Left by a crashed process whose pid was reused (by this shell): its lock is free.
mkdir -p "$TEMP/sluice-$$-98" && : >"$TEMP/sluice-$$-98/lock"
# A folder of a live process that has not taken its lock yet (no lock file): kept.
mkdir -p "$TEMP/sluice-$$-99"
# Not a spill folder at all: never touched.
mkdir -p "$TEMP/sluice-notes"

run sql --no-progress --format csv -c "$SHORT_QUERY"
expect_code 0 "a spilling query"
expect_out 'count(*),sum(c)
2000000,3000000' "a spilling query"

[ -d "$TEMP/sluice-$DEAD-0" ] && fail "the folder of dead pid $DEAD was not removed"
[ -d "$TEMP/sluice-$$-98" ] && fail "the folder with a free lock was not removed"
[ -d "$TEMP/sluice-$$-99" ] || fail "the folder of live pid $$ without a lock was removed"
[ -d "$TEMP/sluice-notes" ] || fail "a folder that is not a spill folder was removed"
if kill -0 "$LIVE" 2>/dev/null; then
  [ "$(folders_of "$LIVE")" == "$LIVE_FOLDERS" ] ||
    fail "the folder of the live spilling process was removed: $LIVE_FOLDERS"
else
  fail "the long query ended early: $(cat "$WORK_DIR/long.err")"
fi
[ -z "$(find "$TEMP" -maxdepth 1 -name 'sluice-[0-9]*' ! -name "sluice-$$-99" ! -name "sluice-$LIVE-*")" ] ||
  fail "the short query left its folder behind: $(ls "$TEMP")"

# Ctrl-C while spilling: the process dies of SIGINT and its folders are gone.
kill -INT "$LIVE"
wait "$LIVE"
CODE=$?
expect_code 130 "SIGINT during a spilling query"
[ -z "$(folders_of "$LIVE")" ] || fail "SIGINT left the spill folder behind: $(folders_of "$LIVE")"

# SIGTERM likewise.
"$SLUICE" sql --no-progress -c "$LONG_QUERY" >/dev/null 2>"$WORK_DIR/term.err" &
TERMED=$!
wait_for_folder "$TERMED" || fail "the second long query never spilled: $(cat "$WORK_DIR/term.err")"
kill -TERM "$TERMED"
wait "$TERMED"
CODE=$?
expect_code 143 "SIGTERM during a spilling query"
[ -z "$(folders_of "$TERMED")" ] || fail "SIGTERM left the spill folder behind"

finish
