# bench/dbt/run.sh at a tiny size, so the benchmark keeps working: the incremental merge must
# leave the same rows as a rebuild ("(ok)"), and the generated project must list, compile
# and run (1 and 2 threads).
source "$(dirname "$0")/cli_test_lib.sh"

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="$(SLUICE="$SLUICE" DBT_BENCH_DIR="$WORK_DIR/bench" DUCKDB=0 RUNS=1 THREADS=2 \
       bash "$ROOT/bench/dbt/run.sh" 20000 40 2>"$WORK_DIR/stderr")"
CODE=$?
expect_code 0 "bench/dbt/run.sh"
expect_out_contains "rows after merge: 20200 (ok)" "incremental result"
expect_out_contains "full-refresh / incremental = " "ratio line"
expect_out_contains "generated project of 40 models" "compile part"
expect_out_contains "sluice run --threads 2" "run part"
finish
