# `sluice demo` generates data, runs the example job and prints a result table.
source "$(dirname "$0")/cli_test_lib.sh"

run demo --rows 20000 --dir "$WORK_DIR/demo" --threads 2
expect_code 0 "demo"
expect_out_contains "┌" "demo prints a result table"
expect_out_contains "row" "demo prints a row count"

run demo --bogus
[ "$CODE" -ne 0 ] || fail "demo --bogus should fail"

finish
