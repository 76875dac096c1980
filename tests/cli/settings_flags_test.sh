# Settings on the command line: every setting of the table as --name VALUE, --name=VALUE or
# --set name=value; old spellings (--threads, --memory-limit) keep working.
source "$(dirname "$0")/cli_test_lib.sh"

run sql --no-progress --format csv --shuffle-partitions 7 --set skew_factor=2.5 \
  --memory-limit=1GB --worker-threads 3 --adaptive false -c \
  "SELECT current_setting('shuffle_partitions') AS p, current_setting('skew_factor') AS f,
          current_setting('memory_limit') AS m, current_setting('threads') AS t,
          current_setting('adaptive') AS a"
expect_code 0 "setting flags"
expect_out 'p,f,m,t,a
7,2.5,953.7 MiB,3,false' "setting flags reach the session"

run sql --no-progress --format csv --threads 2 --memory-limit 500MB -c \
  "SELECT value FROM duckdb_settings() WHERE name IN ('threads', 'memory_limit') ORDER BY name"
expect_code 0 "--threads and --memory-limit"
expect_out 'value
476.8 MiB
2' "--threads and --memory-limit"

# Issue 10: RESET memory_limit after --memory-limit / SET gives the default budget back,
# and queries that reserve memory run again.
run sql --no-progress --format csv --memory-limit 1GB -c \
  "RESET memory_limit; SET memory_limit = '1GB'; RESET ALL;
   SELECT count(*) AS n FROM range(1000) a JOIN range(1000) b ON a.range = b.range"
expect_code 0 "RESET memory_limit"
expect_out 'n
1000' "queries run after RESET memory_limit"

# Bad values name the flag; unknown names get a suggestion.
run sql --threads 0 -c "select 1"
expect_code 2 "--threads 0"
expect_err_contains "--threads: threads must be between 1 and 1024" "--threads 0"
run sql --set memory_limt=1GB -c "select 1"
expect_code 2 "--set with a typo"
expect_err_contains 'unknown setting '"'"'memory_limt'"'"', did you mean "memory_limit"' "--set with a typo"
run sql --set threads -c "select 1"
expect_code 2 "--set without ="
expect_err_contains "--set needs name=value" "--set without ="
run sql --shuffle-partitions
expect_code 2 "a setting flag without its value"
expect_err_contains "option --shuffle-partitions needs a value" "a setting flag without its value"
run sql --no-such-flag 1 -c "select 1"
expect_code 2 "an unknown flag"
expect_err_contains "unknown option '--no-such-flag'" "an unknown flag"

finish
