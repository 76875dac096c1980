#!/usr/bin/env bash
# dbt conformance against DuckDB: `sluice build` runs the sample projects unchanged (jaffle:
# seeds, staging views, an ephemeral model, marts with Jinja loops, schema tests, custom
# generic tests; seed_quirks: the CSV quirks of dbt seeds) into a --db warehouse; then
# duckdb_compare.mjs loads the same seeds into DuckDB, runs the SQL Sluice compiled
# (target/compiled/) in DAG order and compares every seed and model relation.
# Needs node and @duckdb/node-api in bench/duckdb/node_modules; exits 77 (skipped) without.
# Usage: duckdb_conformance.sh <sluice binary> <source dir>
set -euo pipefail
SLUICE=$1
SRC=$2
DUCKDB_DIR="$SRC/bench/duckdb"

if ! command -v node >/dev/null || [ ! -d "$DUCKDB_DIR/node_modules/@duckdb/node-api" ]; then
  echo "##########################################################################"
  echo "SKIPPED: node or @duckdb/node-api (bench/duckdb/node_modules) is missing;"
  echo "         dbt conformance against DuckDB was NOT checked"
  echo "##########################################################################"
  exit 77
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failures=0
for project in jaffle seed_quirks; do
  cp -r "$SRC/tests/dbt/$project" "$WORK/$project"
  rm -rf "$WORK/$project/target"
  echo "== $project"
  if ! "$SLUICE" build --project "$WORK/$project" --db "$WORK/$project.db" --threads 2 \
      --exclude tag:known_failure >"$WORK/$project.log" 2>&1; then
    echo "FAIL sluice build $project:"; cat "$WORK/$project.log"
    failures=$((failures + 1))
    continue
  fi
  if ! node "$SRC/tests/dbt/duckdb_compare.mjs" "$SLUICE" "$WORK/$project" "$WORK/$project.db" \
      "$DUCKDB_DIR"; then
    failures=$((failures + 1))
  fi
done
if [ "$failures" -ne 0 ]; then
  echo "$failures project(s) differ from DuckDB"
  exit 1
fi
echo "all dbt projects match DuckDB"
