# `sluice --help` and every subcommand's --help.
source "$(dirname "$0")/cli_test_lib.sh"

run --help
expect_code 0 "sluice --help"
for cmd in sql shell demo gen sqllogictest run test build seed snapshot compile ls "docs generate" debug version; do
  expect_out_contains "  $cmd " "sluice --help lists $cmd"
done
expect_out_contains "2 a usage error" "sluice --help documents the exit codes"

run help
expect_code 0 "sluice help"
expect_out_contains "Usage: sluice" "sluice help"

run
expect_code 2 "sluice without arguments"

for cmd in sql demo sqllogictest; do
  run "$cmd" --help
  expect_code 0 "sluice $cmd --help"
  expect_out_contains "Usage: sluice $cmd" "sluice $cmd --help"
  run "$cmd" -h
  expect_code 0 "sluice $cmd -h"
done

# `sluice sql --help` lists every setting of the table (the names duckdb_settings() shows)
# as a flag, with its description and default.
run sql --no-progress --format csv -c "SELECT name FROM duckdb_settings() ORDER BY name"
expect_code 0 "duckdb_settings() names"
SETTING_NAMES="$(printf '%s\n' "$OUT" | tail -n +2)"
[ "$(printf '%s\n' "$SETTING_NAMES" | wc -l)" -ge 17 ] || fail "too few settings: $SETTING_NAMES"
run sql --help
for name in $SETTING_NAMES; do
  flag="${name//_/-}"  # flags are lower case with dashes (TimeZone: --timezone)
  expect_out_contains "      --${flag,,} " "sluice sql --help lists the setting $name"
done
expect_out_contains "--memory-limit SIZE" "sluice sql --help: memory_limit is a size"
expect_out_contains "--memory-limit SIZE  (default: 80% of RAM)" "sluice sql --help: memory_limit's default"
expect_out_contains "--shuffle-partitions N" "sluice sql --help: shuffle_partitions"
expect_out_contains "--shuffle-partitions N  (default: 16)" "sluice sql --help: shuffle_partitions's default"
expect_out_contains "--set name=value" "sluice sql --help: the --set form"
run demo --help
expect_out_contains "--set name=value" "sluice demo --help: settings"

# Each dbt subcommand says what it does.
run run --help
expect_code 0 "sluice run --help"
expect_out_contains "Builds the selected models" "sluice run --help"
run test --help
expect_out_contains "Runs the selected data tests" "sluice test --help"
run seed --help
expect_out_contains "Loads the selected CSV seeds" "sluice seed --help"
run snapshot --help
expect_out_contains "SCD type 2" "sluice snapshot --help"
run docs --help
expect_out_contains "docs generate" "sluice docs --help"

# Exit codes: 2 for a command line that cannot be understood, 1 for an error.
run sql --no-such-option
expect_code 2 "unknown option"
expect_err_contains "Usage Error: unknown option '--no-such-option' (see sluice sql --help)" "unknown option"
run sql -c
expect_code 2 "option without its value"
run run --threads many
expect_code 2 "dbt --threads not a number"
expect_err_contains "--threads needs a positive integer, got 'many'" "dbt --threads"
run sql --threads many -c "select 1"
expect_code 2 "setting flag of the wrong form"
run sql -c "select nope"
expect_code 1 "a failing query"
run sql -f "$WORK_DIR"
expect_code 1 "sql -f DIR"
expect_err_contains "it is a directory" "sql -f DIR"

run version
expect_code 0 "sluice version"
expect_out_contains "sluice " "sluice version"

run frobnicate
expect_code 2 "unknown command"
expect_err_contains "unknown command 'frobnicate'" "unknown command"

finish
