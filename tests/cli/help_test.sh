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

run version
expect_code 0 "sluice version"
expect_out_contains "sluice " "sluice version"

run frobnicate
expect_code 2 "unknown command"
expect_err_contains "unknown command 'frobnicate'" "unknown command"

finish
