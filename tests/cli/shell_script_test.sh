# `sluice shell` with standard input that is not a terminal: its lines run as typed, without
# prompts; every result is printed, dot commands work, an error is reported and the input
# goes on, and the exit code says whether there was an error. `sluice sql` keeps its script
# behaviour (only the last result).
source "$(dirname "$0")/cli_test_lib.sh"

INPUT="SELECT 1 AS a; SELECT 2 AS b;
.mode csv
SELECT 3 AS c;
SELECT 40 +
  2 AS multi_line;
-- a comment alone runs nothing
.mode list
SELECT 'x' AS p, 'y' AS q;"
run_stdin "$INPUT" shell
expect_code 0 "a piped shell"
expect_out_contains "│ a       │" "the first result, in duckbox"
expect_out_contains "│ b       │" "the second result on the same line"
expect_out_contains 'c
3' ".mode csv"
expect_out_contains 'multi_line
42' "a statement over two lines"
expect_out_contains 'p|q
x|y' ".mode list"
[[ "$OUT" == *"sluice>"* ]] && fail "a piped shell printed a prompt"

# The same input through `sluice sql`: only the last result, in the table view.
run_stdin "$INPUT" sql --no-progress
expect_code 1 "sluice sql reads dot commands as SQL"

# Errors: reported with the SQL position; the next statements run; exit code 1.
run_stdin "SELECT * FROM missing_table;
SELECT 7 AS after_error;
.nonsense" shell --format csv
expect_code 1 "errors in a piped shell"
expect_err_contains "missing_table" "the error names the table"
expect_err_contains "at line 1, column" "the error shows the position"
expect_err_contains "unknown command '.nonsense'" "an unknown dot command"
expect_out_contains 'after_error
7' "the statement after an error"

# .read, .output, .timer, .schema, .tables and a last statement without ';'.
cat >"$WORK_DIR/setup.sql" <<'SQL'
CREATE TABLE t AS SELECT range AS id, 'n' || range AS name, 1 AS "select" FROM range(3);
CREATE VIEW v AS SELECT id FROM t WHERE id > 0;
SQL
run_stdin ".read $WORK_DIR/setup.sql
.tables
.schema
.output $WORK_DIR/out.csv
.mode csv
SELECT count(*) AS n FROM v;
.output
.timer on
SELECT max(id) AS top FROM t" shell
expect_code 0 "dot commands"
expect_out_contains "t  v" ".tables"
expect_out_contains "CREATE TABLE t(id BIGINT, name VARCHAR, \"select\" INTEGER);" ".schema of a table"
expect_out_contains "CREATE VIEW v AS SELECT id FROM t WHERE (id > 0);" ".schema of a view"
expect_out_contains 'top
2' "the last statement without ';'"
expect_out_contains "Run Time (s): real " ".timer on"
[ "$(cat "$WORK_DIR/out.csv")" == 'n
2' ] || fail ".output: the file has $(cat "$WORK_DIR/out.csv")"
[[ "$OUT" == *"n
2"* ]] && fail ".output: the result also went to stdout"

# .open DIR: a warehouse that a later `sluice sql --db` reads.
run_stdin ".open $WORK_DIR/wh
CREATE TABLE kept AS SELECT 5 AS k;" shell
expect_code 0 ".open"
run sql --no-progress --format csv --db "$WORK_DIR/wh" -c "SELECT k FROM kept"
expect_out 'k
5' "the table written after .open"

# .quit stops reading.
run_stdin "SELECT 1 AS before_quit;
.quit
SELECT 2 AS after_quit;" shell --format csv
expect_code 0 ".quit"
expect_out 'before_quit
1' ".quit stops the input"

run shell --help
expect_code 0 "sluice shell --help"
expect_out_contains "Usage: sluice shell" "sluice shell --help"
run shell --bogus
expect_code 2 "an unknown option"
expect_err_contains "unknown option '--bogus' (see sluice shell --help)" "an unknown option"

finish
