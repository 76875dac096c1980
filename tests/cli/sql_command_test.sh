# `sluice sql`: output formats, inputs (-c, -f, stdin) and errors.
source "$(dirname "$0")/cli_test_lib.sh"

# CSV: header line, NULL as an empty field, ISO dates, RFC 4180 quoting.
run sql --no-progress --format csv -c \
  "select 1 as a, NULL as b, DATE '2024-01-02' as d, 'x,y' as s, true as t"
expect_code 0 "sql --format csv"
expect_out 'a,b,d,s,t
1,,2024-01-02,"x,y",true' "sql --format csv"

run sql --no-progress --format csv -c "select range as r from range(3) order by r"
expect_code 0 "csv over range"
expect_out 'r
0
1
2' "csv over range"

# JSON lines: one object per row, NULL as null, numbers unquoted, strings quoted.
run sql --no-progress --format json -c "select 42 as answer, 'hi' as s, NULL as n"
expect_code 0 "sql --format json"
expect_out '{"answer":42,"s":"hi","n":null}' "sql --format json"

# -f FILE: every statement runs; each result with rows is printed, in order.
cat >"$WORK_DIR/job.sql" <<'SQL'
create table t as select range as x from range(5);
insert into t values (10);
select count(*) as n, sum(x) as s from t;
create view v as select x from t where x > 2;
select count(*) as above from v;
SQL
run sql --no-progress --format csv -f "$WORK_DIR/job.sql"
expect_code 0 "sql -f"
expect_out 'n,s
6,20
above
3' "sql -f prints every result with rows"

# Standard input.
run_stdin "select 'a' as letter union all select 'b' order by letter;" sql --no-progress --format csv
expect_code 0 "sql from stdin"
expect_out 'letter
a
b' "sql from stdin"

# Table format (default) shows the column names and a row count.
run sql --no-progress -c "select 7 as seven"
expect_code 0 "sql table format"
expect_out_contains "seven" "sql table format"
expect_out_contains "(1 row)" "sql table format"

# Errors: message on stderr, exit code 1, nothing on stdout.
run sql --no-progress -c "select * from no_such_table"
expect_code 1 "sql error"
expect_err_contains "no_such_table" "sql error names the table"
[ -z "$OUT" ] || fail "sql error: stdout should be empty, was: $OUT"

run sql --no-progress -c "select 1 +"
expect_code 1 "sql parse error"
[ -n "$ERR" ] || fail "sql parse error: no message on stderr"

# Unknown options and bad values get a clear message.
run sql --bogus
expect_code 2 "sql unknown option"
expect_err_contains "unknown option '--bogus'" "sql unknown option"

run sql --format xml -c "select 1"
expect_code 2 "sql bad --format"
expect_err_contains "xml" "sql bad --format"

# EXPLAIN in the table view: the plan as it is, every line whole (no box clipping it).
run sql --no-progress -c "explain select range % 3 as k, count(*) as n from range(10) group by k"
expect_code 0 "explain"
expect_out_contains "  HashAggregate [WIDE] mode=single groups=[#g0] aggregates=[count_star()]" "explain"
expect_out_contains "      Scan [NARROW] range(10 rows, 1 splits)" "explain"

# EXPLAIN runs nothing: a scalar subquery is shown as its own plan, which runs first when the
# query runs; explaining it does not count three billion rows.
run sql --no-progress -c "explain select (select count(*) from range(3000000000)) as n"
expect_code 0 "explain with a subquery"
expect_out_contains 'Subquery $1 (scalar), runs first:' "explain shows the subquery's plan"
expect_out_contains "    Scan [NARROW] range(3000000000 rows, 2862 splits)" "explain with a subquery"
expect_out_contains 'Query:' "explain shows the query after its subquery"
expect_out_contains '  Project [NARROW] $1' "the query reads the subquery's value"

run sql -f "$WORK_DIR/does_not_exist.sql"
expect_code 1 "sql -f missing file"
expect_err_contains "does_not_exist.sql" "sql -f missing file"

finish
