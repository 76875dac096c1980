# Shared by the stream end-to-end tests (after cli/cli_test_lib.sh): a live job killed
# mid-run, its restart and the replay job, and the check that two tables hold the same rows.

# Runs `sluice stream run -f $WORK_DIR/live.sql --db $DB` with checkpoints every INTERVAL in
# the background and kills it with SIGKILL after SECONDS: a crash at an arbitrary point.
kill_live_job_after() {
  local interval="$1" seconds="$2"
  "$SLUICE" stream run -f "$WORK_DIR/live.sql" --db "$DB" --checkpoint-interval "$interval" \
    > /dev/null 2>&1 &
  local job=$!
  sleep "$seconds"
  kill -9 "$job"
  wait "$job" 2>/dev/null
}

# Tables A and B of $DB hold the same rows, each as many times (multiset equality).
expect_same_rows() {
  local a="$1" b="$2" label="$3"
  run sql --db "$DB" --format csv -c "SELECT count(*) FROM (SELECT * FROM $a EXCEPT ALL SELECT * FROM $b UNION ALL (SELECT * FROM $b EXCEPT ALL SELECT * FROM $a))"
  expect_out "count(*)
0" "$label"
}

# After the killed live job: restarts it until its input is idle, then runs the replay job
# ($WORK_DIR/replay.sql) over the same input, which must read RECORDS records.
restart_live_and_replay() {
  local records="$1"
  run stream run -f "$WORK_DIR/live.sql" --db "$DB" --until-idle --checkpoint-interval 100ms
  expect_code 0 "live job restarted after kill -9"
  run stream run -f "$WORK_DIR/replay.sql" --db "$DB" --until-idle
  expect_code 0 "replay"
  expect_out_contains "$records records" "the replay reads every event"
}

# Runs the test's write_events in the background while the live job runs and is killed with
# SIGKILL at each point of KILLS (pairs "INTERVAL SECONDS" for kill_live_job_after), then
# restarts it and runs the replay, which must read RECORDS records (default: the lines of
# the files under $LIVE once written).
live_killed_then_replay() {
  local records="$1"
  shift
  write_events &
  local writer=$!
  while [ $# -ge 2 ]; do
    kill_live_job_after "$1" "$2"
    shift 2
  done
  wait "$writer"
  [ -n "$records" ] || records=$(cat "$LIVE"/* | wc -l)
  restart_live_and_replay "$records"
}
