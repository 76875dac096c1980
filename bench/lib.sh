# Shared by the bench/ scripts (sourced from the repository root).

# Exits unless $SLUICE is an executable; $1 names the benchmark in the message.
require_sluice() {
  if [ ! -x "$SLUICE" ]; then
    echo "$1: $SLUICE not found; run 'make build' (or set SLUICE=path)" >&2
    exit 1
  fi
}

# Installs the DuckDB peer (npm @duckdb/node-api) into bench/duckdb when it is missing; if
# that fails the benchmark still runs, and says loudly that the DuckDB side is skipped.
ensure_duckdb() {
  if [ ! -d bench/duckdb/node_modules/@duckdb/node-api ]; then
    (cd bench/duckdb && npm install --no-audit --no-fund --silent) || {
      echo "$1: SKIPPED DuckDB side — npm install of @duckdb/node-api failed" >&2
    }
  fi
}
