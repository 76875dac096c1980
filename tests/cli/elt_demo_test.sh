# The ELT demo end to end (what `make demo` runs): raw rows land append-only, the project
# builds, and the second build after new raw rows merges only those rows.
source "$(dirname "$0")/cli_test_lib.sh"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"

OUT="$(cd "$ROOT" && SLUICE="$SLUICE" bash demo/run.sh "$WORK_DIR/demo" 2>&1)"
CODE=$?
ERR=""
expect_code 0 "demo/run.sh"
expect_out_contains "SELECT 999990" "first build materializes every cleaned raw row"
expect_out_contains "merge 49999" "the incremental build processes only the new rows"
expect_out_contains "PASS=7 WARN=0 ERROR=0 SKIP=0" "every node and test passes"
expect_out_contains "revenue" "the mart is read back with SQL"

finish
