# Helpers shared by the CLI end-to-end tests. Usage: source it, then call `run` and the
# expect_* checks; `finish` exits non-zero when any check failed.
set -u
SLUICE="$1"
FAILURES=0
WORK_DIR="$(mktemp -d)"
trap 'rm -rf "$WORK_DIR"' EXIT

# run ARGS...: runs sluice, leaving OUT, ERR and CODE.
run() {
  OUT="$("$SLUICE" "$@" 2>"$WORK_DIR/stderr")"
  CODE=$?
  ERR="$(cat "$WORK_DIR/stderr")"
}

# run_stdin INPUT ARGS...: like run, with INPUT on standard input.
run_stdin() {
  local input="$1"
  shift
  OUT="$(printf '%s' "$input" | "$SLUICE" "$@" 2>"$WORK_DIR/stderr")"
  CODE=$?
  ERR="$(cat "$WORK_DIR/stderr")"
}

# start_serve ARGS...: starts `sluice serve ARGS --port 0` in the background and waits until
# it listens; sets SERVE_PID and PORT (the test's EXIT trap stops it). Stops the test when
# the server does not start.
start_serve() {
  "$SLUICE" serve "$@" --port 0 >"$WORK_DIR/serve.out" 2>"$WORK_DIR/serve.err" &
  SERVE_PID=$!
  for _ in $(seq 1 200); do
    grep -q "listening on" "$WORK_DIR/serve.out" 2>/dev/null && break
    sleep 0.05
  done
  PORT="$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$WORK_DIR/serve.out")"
  [ -n "$PORT" ] || { fail "the server did not start: $(cat "$WORK_DIR/serve.err")"; finish; }
}

fail() {
  echo "FAIL: $1" >&2
  FAILURES=$((FAILURES + 1))
}

expect_code() {  # expect_code N WHAT
  [ "$CODE" -eq "$1" ] || fail "$2: exit code $CODE, expected $1 (stderr: $ERR)"
}

expect_out() {  # expect_out TEXT WHAT: exact stdout (without trailing newlines)
  [ "$OUT" == "$1" ] || fail "$2: stdout was
---
$OUT
---
expected
---
$1
---"
}

expect_out_contains() {  # expect_out_contains TEXT WHAT
  [[ "$OUT" == *"$1"* ]] || fail "$2: stdout does not contain '$1':
$OUT"
}

expect_out_not_contains() {  # expect_out_not_contains TEXT WHAT
  [[ "$OUT" != *"$1"* ]] || fail "$2: stdout contains '$1':
$OUT"
}

expect_err_contains() {  # expect_err_contains TEXT WHAT
  [[ "$ERR" == *"$1"* ]] || fail "$2: stderr does not contain '$1':
$ERR"
}

finish() {
  if [ "$FAILURES" -gt 0 ]; then
    echo "$FAILURES check(s) failed" >&2
    exit 1
  fi
  echo "all checks passed"
  exit 0
}
