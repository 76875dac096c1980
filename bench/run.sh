#!/usr/bin/env bash
# Side-by-side benchmark: the same workloads over the same data in Sluice and DuckDB, in one
# run, with the same thread count; prints times and the ratio Sluice/DuckDB per workload.
#   bench/run.sh [ROWS] [THREADS]      (defaults: 50000000 rows, all cores)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
ROWS=${1:-${BENCH_ROWS:-50000000}}
THREADS=${2:-$(nproc)}
DATA=bench/data
mkdir -p "$DATA"

ensure_duckdb "bench"

# (d) a ~1 GB CSV, written once by Sluice (rows of id,k,v,s,d).
CSV=$DATA/bench_1gb.csv
if [ ! -f "$CSV" ]; then
  echo "bench: generating $CSV ..." >&2
  build/sluice sql --no-progress -c "COPY (SELECT range AS id, (range * 7919) % 1000000 AS k,
    (range % 1000)::DOUBLE / 7 AS v, concat('name-', range % 5000) AS s,
    DATE '2020-01-01' + CAST(range % 2000 AS INTEGER) AS d FROM range(16000000)) TO '$CSV' (FORMAT csv, HEADER)"
fi

# Kernel micro-benchmarks (Google Benchmark), each against a plain C++ loop.
if [ -x build/expr_benchmark ]; then build/expr_benchmark --benchmark_min_time=0.2 2>/dev/null; fi

build/sluice_bench "$ROWS" "$THREADS" "$CSV" > "$DATA/sluice.jsonl"
if [ -d bench/duckdb/node_modules/@duckdb/node-api ]; then
  node bench/duckdb/bench.mjs "$ROWS" "$THREADS" "$(realpath "$CSV")" > "$DATA/duckdb.jsonl"
else
  : > "$DATA/duckdb.jsonl"
fi

node -e '
const fs = require("fs");
const read = f => Object.fromEntries(fs.readFileSync(f, "utf8").trim().split("\n").filter(Boolean)
  .map(l => JSON.parse(l)).map(r => [r.name, r]));
const s = read(process.argv[1]), d = read(process.argv[2]);
console.log(`rows=${process.argv[3]} threads=${process.argv[4]}`);
console.log("workload".padEnd(24) + "sluice s".padStart(10) + "duckdb s".padStart(10) + "ratio".padStart(8) + "  agree");
for (const name of Object.keys(s)) {
  const a = s[name], b = d[name];
  const ratio = b ? (a.seconds / b.seconds).toFixed(2) : "n/a";
  const agree = b ? (a.result.split(",").map(Number).every((x, i) => Math.abs(x - Number(b.result.split(",")[i])) <= 1e-6 * Math.max(1, Math.abs(x))) ? "yes" : `NO (${a.result} vs ${b.result})`) : "-";
  console.log(name.padEnd(24) + a.seconds.toFixed(3).padStart(10) + (b ? b.seconds.toFixed(3) : "-").padStart(10) + ratio.padStart(8) + "  " + agree);
}' "$DATA/sluice.jsonl" "$DATA/duckdb.jsonl" "$ROWS" "$THREADS"
