#!/usr/bin/env bash
# Builds the libFuzzer targets with clang++ (standalone project tests/fuzz/standalone, in
# <build>/fuzz) and runs each one for a short while from a seed corpus it generates: a few
# CSVs, Parquet files written by `sluice COPY ... TO`, and the SQL of tests/sql/**/*.test.
#   tests/fuzz/run_fuzzers.sh SLUICE_BINARY [SECONDS_PER_TARGET] [TARGETS...]
# Environment: FUZZ_DIR (default: <dir of SLUICE_BINARY>/fuzz), FUZZ_JOBS (build, default 2).
# Exits 0 with "SKIPPED: ..." when clang++ or libFuzzer is missing; fails on any crash, leak,
# sanitizer report or timeout, leaving the input in $FUZZ_DIR/crashes/. See docs/fuzzing.md.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SLUICE=$(realpath "${1:?usage: run_fuzzers.sh SLUICE_BINARY [SECONDS] [TARGETS...]}")
SECONDS_PER_TARGET=${2:-15}
shift $(( $# >= 2 ? 2 : 1 ))
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(csv_fuzz parquet_fuzz sql_parser_fuzz)
FUZZ_DIR=${FUZZ_DIR:-$(dirname "$SLUICE")/fuzz}
CXX=${FUZZ_CXX:-clang++}

skip() { echo "SKIPPED: $*"; exit 0; }
command -v "$CXX" > /dev/null || skip "$CXX not found (Debian: apt-get install clang libclang-rt-14-dev)"
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }' \
  > "$probe/probe.cpp"
"$CXX" -fsanitize=fuzzer,address,undefined "$probe/probe.cpp" -o "$probe/probe" 2> "$probe/err" ||
  skip "$CXX cannot link libFuzzer ($(head -c 300 "$probe/err")); apt-get install libclang-rt-14-dev"

echo "fuzz: building targets with $CXX into $FUZZ_DIR ..."
cmake -S "$ROOT/tests/fuzz/standalone" -B "$FUZZ_DIR" -G Ninja -DCMAKE_CXX_COMPILER="$CXX" \
  > "$FUZZ_DIR.configure.log" 2>&1 || { cat "$FUZZ_DIR.configure.log"; exit 1; }
cmake --build "$FUZZ_DIR" -j "${FUZZ_JOBS:-2}" -- "${TARGETS[@]}" | grep -vE '^\[[0-9]+/[0-9]+\] ' || true
for t in "${TARGETS[@]}"; do [ -x "$FUZZ_DIR/$t" ] || { echo "fuzz: $t failed to build"; exit 1; }; done

# Seed corpora, regenerated each run (cheap); the working corpora in $FUZZ_DIR/corpus/<target>
# keep what earlier runs found.
SEEDS=$FUZZ_DIR/seeds
rm -rf "$SEEDS"
mkdir -p "$SEEDS"/{csv_fuzz,parquet_fuzz,sql_parser_fuzz} "$FUZZ_DIR/crashes"
printf 'a,b,c\n1,2.5,x\n3,,"q""uote"\n' > "$SEEDS/csv_fuzz/basic.csv"
printf 'id;name;d\n1;"multi\nline";2024-01-02\n2;b;2024-02-29\n' > "$SEEDS/csv_fuzz/semicolon.csv"
printf 'x\ty\n1\ttrue\n\\N\tfalse\n' > "$SEEDS/csv_fuzz/tab.csv"
printf '"a","b"\r\n"1","2"\r\n"3"\r\n' > "$SEEDS/csv_fuzz/crlf_ragged.csv"
printf 'ts,amount\n2024-01-01 10:00:00,12.50\n2024-01-02 11:30:00,-3.1e5\n' > "$SEEDS/csv_fuzz/ts.csv"
P=$SEEDS/parquet_fuzz
"$SLUICE" sql --no-progress -c "
  COPY (SELECT range AS id, range % 7 AS k, (range * 1.5)::DOUBLE AS v,
               concat('s', range % 13) AS s, DATE '2020-01-01' + CAST(range AS INTEGER) AS d,
               CASE WHEN range % 5 = 0 THEN NULL ELSE range % 3 = 0 END AS b
        FROM range(300)) TO '$P/mixed.parquet' (FORMAT parquet);
  COPY (SELECT range AS id, concat('name-', range % 4) AS s FROM range(50))
    TO '$P/dict.parquet' (FORMAT parquet);
  COPY (SELECT range::INTEGER AS i, NULL::VARCHAR AS n, 1.25::DECIMAL(10,2) AS m FROM range(5))
    TO '$P/small.parquet' (FORMAT parquet)" > /dev/null 2>&1 ||
  echo "fuzz: note: some Parquet seeds could not be written"
# Nested columns (lists, structs, maps; Sluice writes flat files only) when DuckDB is there.
if [ -d "$ROOT/bench/duckdb/node_modules/@duckdb/node-api" ] && command -v node > /dev/null; then
  (cd "$ROOT/bench/duckdb" && node --input-type=module -e "
    import { DuckDBInstance } from '@duckdb/node-api';
    const con = await (await DuckDBInstance.create(':memory:')).connect();
    await con.run(\"COPY (SELECT i AS id, CASE WHEN i % 4 = 0 THEN NULL ELSE [i, NULL] END AS l, \" +
      \"{'a': i, 'b': ['x', NULL]} AS s, MAP(['k'], [i]) AS m, [[i], [], NULL] AS ll \" +
      \"FROM range(40) r(i)) TO '$P/nested.parquet' (FORMAT parquet)\");") > /dev/null 2>&1 ||
    echo "fuzz: note: the nested Parquet seed could not be written"
fi
# Every statement and query of the SQL logic tests, one per file.
find "$ROOT/tests/sql" -name '*.test' -print0 | sort -z | xargs -0 awk -v out="$SEEDS/sql_parser_fuzz" '
  function flush() { if (sql != "") { n++; printf "%s", sql > (out "/" n ".sql"); close(out "/" n ".sql") } sql = ""; on = 0 }
  /^(statement|query)/ { flush(); on = 1; next }
  on && (/^----/ || /^[[:space:]]*$/) { flush(); next }
  on { sql = sql $0 "\n" }
  END { flush() }'
# Deep inputs: long operator chains and deep nesting must give a clean depth error.
awk -v out="$SEEDS/sql_parser_fuzz" 'BEGIN {
  s = "select 1"; for (i = 0; i < 3000; i++) s = s "+1"; printf "%s", s > (out "/deep_add.sql")
  s = "select 1 where x = 0"; for (i = 1; i < 3000; i++) s = s " or x = " i; printf "%s", s > (out "/deep_or.sql")
  s = "1"; for (i = 0; i < 1500; i++) s = "(" s ")"; printf "select %s", s > (out "/deep_parens.sql")
  s = "select 1"; for (i = 0; i < 1200; i++) s = "select (" s ")"; printf "%s", s > (out "/deep_subquery.sql")
}'

status=0
for t in "${TARGETS[@]}"; do
  corpus=$FUZZ_DIR/corpus/$t
  mkdir -p "$corpus"
  log=$FUZZ_DIR/$t.log
  echo "fuzz: $t for ${SECONDS_PER_TARGET}s (seeds: $(ls "$SEEDS/$t" | wc -l), corpus: $(ls "$corpus" | wc -l))"
  if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
     "$FUZZ_DIR/$t" "$corpus" "$SEEDS/$t" -max_total_time="$SECONDS_PER_TARGET" \
       -rss_limit_mb=1024 -timeout=10 -max_len=65536 -print_final_stats=1 \
       -artifact_prefix="$FUZZ_DIR/crashes/$t-" > "$log" 2>&1; then
    execs=$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')
    echo "fuzz: $t ok, ${execs:-?} executions, $(grep -oE "cov: [0-9]+" "$log" | tail -1)"
  else
    status=1
    echo "fuzz: $t FAILED; log $log; input saved under $FUZZ_DIR/crashes/"
    grep -E -A30 'ERROR: |runtime error|==ERROR|deadly signal|Test unit written' "$log" | head -60
  fi
done
exit $status
