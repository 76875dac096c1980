# Sourced by the tests of this directory (which set HERE to it): starts the local S3 server
# (server.mjs: s3rver with bucket "sluice", every signature verified, requests logged to
# $WORK/requests.log) on a free loopback port, storing under $WORK/s3. Sets WORK (a temp
# directory removed on exit), SERVER_PID, PORT and ENDPOINT, the AWS variables, FAILURES,
# fail(), expect_ok and expect_error; exits 77 (skipped) only when node is missing
# (scripts/install-deps.sh installs it and s3rver).
if ! command -v node >/dev/null; then
  echo "SKIPPED: node is missing (scripts/install-deps.sh installs it), so no local S3 server"
  exit 77
fi
if [ ! -d "$HERE/node_modules/s3rver" ]; then
  (cd "$HERE" && npm install --no-audit --no-fund --silent) || {
    echo "FAIL: npm s3rver is not installed in tests/s3 (run scripts/install-deps.sh)" >&2
    exit 1
  }
fi

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
node --openssl-legacy-provider "$HERE/server.mjs" "$WORK/s3" "$WORK/requests.log" \
  >"$WORK/port" 2>"$WORK/server.err" &
SERVER_PID=$!
for _ in $(seq 1 200); do
  [ -s "$WORK/port" ] && break
  sleep 0.05
done
PORT="$(cat "$WORK/port")"
[ -n "$PORT" ] || { echo "FAIL: s3rver did not start: $(cat "$WORK/server.err")" >&2; exit 1; }
ENDPOINT="http://127.0.0.1:$PORT"
touch "$WORK/requests.log"

# What both tests share: the failure count and fail(), and the usual AWS variables pointing
# sluice at the server (the URL style comes from a flag).
FAILURES=0
fail() {
  echo "FAIL: $1" >&2
  FAILURES=$((FAILURES + 1))
}
# After sql() (each test's own, which leaves OUT, ERR and CODE):
expect_ok() { [ "$CODE" -eq 0 ] || fail "$1: exit code $CODE: $ERR"; }
expect_error() {  # expect_error TEXT WHAT
  [ "$CODE" -ne 0 ] || fail "$2: succeeded, expected an error"
  [[ "$ERR" == *"$1"* ]] || fail "$2: error does not contain '$1': $ERR"
}
export AWS_ENDPOINT_URL="$ENDPOINT" AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER
export AWS_REGION=us-east-1
mkdir -p "$WORK/tmp"
