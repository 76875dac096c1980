# `sluice --help` and every subcommand's --help.
source "$(dirname "$0")/cli_test_lib.sh"

run --help
expect_code 0 "sluice --help"
for cmd in sql demo sqllogictest version; do
  expect_out_contains "$cmd" "sluice --help lists $cmd"
done

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
  expect_out_contains "      --${name//_/-} " "sluice sql --help lists the setting $name"
done
expect_out_contains "--memory-limit SIZE" "sluice sql --help: memory_limit is a size"
expect_out_contains "--memory-limit SIZE  (default: 80% of RAM)" "sluice sql --help: memory_limit's default"
expect_out_contains "--shuffle-partitions N" "sluice sql --help: shuffle_partitions"
expect_out_contains "--shuffle-partitions N  (default: 16)" "sluice sql --help: shuffle_partitions's default"
expect_out_contains "--set name=value" "sluice sql --help: the --set form"
run demo --help
expect_out_contains "--set name=value" "sluice demo --help: settings"

run version
expect_code 0 "sluice version"
expect_out_contains "sluice " "sluice version"

run frobnicate
expect_code 2 "unknown command"
expect_err_contains "unknown command 'frobnicate'" "unknown command"

finish
