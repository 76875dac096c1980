# Helpers of the MPI end-to-end tests: source after tests/cli/cli_test_lib.sh. Ranks share
# this machine's cores (--oversubscribe) and run one worker thread each.
if ! command -v mpirun > /dev/null; then
  echo "SKIP: mpirun is not installed (scripts/install-deps.sh installs openmpi-bin)"
  exit 77
fi
# mpirun refuses to run as root unless told twice.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# No job of these tests waits this long unless a rank hangs: fail instead of hanging.
export SLUICE_MPI_TIMEOUT=${SLUICE_MPI_TIMEOUT:-120}

# run_ranks N ARGS...: `sluice ARGS...` on N ranks (a hard limit of 300 s), leaving OUT, ERR
# and CODE as `run` does.
run_ranks() {
  local ranks="$1"
  shift
  OUT="$(timeout 300 mpirun -n "$ranks" --oversubscribe "$SLUICE" "$@" 2>"$WORK_DIR/stderr")"
  CODE=$?
  ERR="$(cat "$WORK_DIR/stderr")"
}

# expect_same_as_one_process N WHAT ARGS...: the output of ARGS on N ranks is the bytes of
# one process's output (computed once per WHAT, in $WORK_DIR/<WHAT>.expected).
expect_same_as_one_process() {
  local ranks="$1" what="$2"
  shift 2
  local expected="$WORK_DIR/${what//[^A-Za-z0-9]/_}.expected"
  if [ ! -f "$expected" ]; then
    "$SLUICE" "$@" > "$expected" 2>"$WORK_DIR/stderr" ||
      fail "$what: one process failed: $(cat "$WORK_DIR/stderr")"
    [ -s "$expected" ] || fail "$what: one process printed nothing"
  fi
  timeout 300 mpirun -n "$ranks" --oversubscribe "$SLUICE" "$@" > "$WORK_DIR/actual" \
    2>"$WORK_DIR/stderr"
  CODE=$?
  if [ "$CODE" -ne 0 ]; then
    fail "$what on $ranks ranks: exit code $CODE: $(head -c 2000 "$WORK_DIR/stderr")"
  elif ! cmp -s "$expected" "$WORK_DIR/actual"; then
    fail "$what on $ranks ranks: output differs from one process:
$(diff "$expected" "$WORK_DIR/actual" | head -20)"
  fi
}
