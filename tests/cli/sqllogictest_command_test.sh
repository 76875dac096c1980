# `sluice sqllogictest`: the summary line, exit codes and failure reports.
source "$(dirname "$0")/cli_test_lib.sh"

cat >"$WORK_DIR/pass.test" <<'TEST'
# a passing file
statement ok
create table t as select range as x from range(4)

query I
select count(*) from t
----
4

query II rowsort
select x, x * 2 from t where x < 2
----
1	2
0	0

query I valuesort
select x from t
----
0
1
2
3

statement error
select * from missing_table_xyz
----
missing_table_xyz

skipif sluice
query I
select 'never run'
----
1

onlyif duckdb
query I
select 'never run'
----
1

mode skip

query I
select 'skipped'
----
zzz

mode unskip

loop i 0 3
query I
select ${i}
----
${i}

endloop

foreach v 2 3
query I
select ${v} * 10
----
${v}0

endloop

hash-threshold 2

query I
select x from t order by x
----
4 values hashing to 1ef5b6a6eb7da4d4a2ae3c9da4a1a8c1

halt

query I
select 'after halt'
----
TEST
# md5("0\n1\n2\n3\n")
HASH=$(printf '0\n1\n2\n3\n' | md5sum | cut -d' ' -f1)
sed -i "s/1ef5b6a6eb7da4d4a2ae3c9da4a1a8c1/$HASH/" "$WORK_DIR/pass.test"

run sqllogictest "$WORK_DIR/pass.test"
expect_code 0 "passing test file"
expect_out_contains "11 passed, 0 failed, 3 skipped" "summary of a passing file"

run sqllogictest --threads 1 "$WORK_DIR/pass.test"
expect_code 0 "passing test file with --threads 1"

cat >"$WORK_DIR/fail.test" <<'TEST'
query I
select 1
----
2

statement ok
select * from missing_table

statement error
select 1

query I
select 1 = 1
----
2

statement ok
pragma enable_verification_of_nothing
TEST
run sqllogictest "$WORK_DIR/fail.test"
expect_code 1 "failing test file"
expect_out_contains "0 passed, 5 failed, 0 skipped" "summary of a failing file"
expect_out_contains "fail.test:12" "a boolean matches neither 2 nor anything but true/1"
expect_out_contains "fail.test:17" "only the harness pragmas are skipped"
expect_out_contains "fail.test:1" "failure names file:line"
expect_out_contains "expected '2', got '1'" "failure shows expected vs actual"

# DuckDB's result patterns: <REGEX>:p must occur in the value, <!REGEX>:p must not.
cat >"$WORK_DIR/regex.test" <<'TEST'
query T
select 'Stage 1 -> Scan table t'
----
<REGEX>:Scan table \w+

query T
select 'Stage 1 -> Scan table t'
----
<!REGEX>:Exchange

query T
select 'Exchange hash'
----
<!REGEX>:Exchange

query T
select 'abc'
----
<REGEX>:x+
TEST
run sqllogictest "$WORK_DIR/regex.test"
expect_code 1 "regex test file with two failing patterns"
expect_out_contains "2 passed, 2 failed, 0 skipped" "regex patterns pass and fail"
expect_out_contains "regex.test:11" "a matching <!REGEX> fails"
expect_out_contains "regex.test:16" "a missing <REGEX> fails"

# --require-error-messages (ctest runs tests/sql with it): a `statement error` record that
# names no expected message fails, showing the actual error; skipped ones fail too.
cat >"$WORK_DIR/no_message.test" <<'TEST'
statement error
select * from missing_table_xyz
----
missing_table_xyz

statement error
select * from missing_table_xyz

skipif sluice
statement error
select 1
TEST
run sqllogictest "$WORK_DIR/no_message.test"
expect_code 0 "statement error without a message passes by default"
expect_out_contains "2 passed, 0 failed, 1 skipped" "statement error without a message"
run sqllogictest --require-error-messages "$WORK_DIR/no_message.test"
expect_code 1 "--require-error-messages fails a statement error without a message"
expect_out_contains "1 passed, 2 failed, 0 skipped" "--require-error-messages summary"
expect_out_contains "no_message.test:6" "the record without a message is named"
expect_out_contains "names no expected message; add ---- and the part of the error" \
  "--require-error-messages says what to add"
expect_out_contains "no_message.test:10" "a skipped record without a message fails too"

printf 'require parquet\n\nquery I\nselect 1\n----\n1\n' >"$WORK_DIR/req.test"
run sqllogictest "$WORK_DIR/req.test"
expect_code 0 "require skips the file"
expect_out_contains "0 passed, 0 failed, 1 skipped" "require skips the file"

run sqllogictest
expect_code 2 "sqllogictest without files"
expect_err_contains "no test files" "sqllogictest without files"

run sqllogictest --bogus x.test
expect_code 1 "sqllogictest unknown option"
expect_err_contains "unknown option '--bogus'" "sqllogictest unknown option"

finish
