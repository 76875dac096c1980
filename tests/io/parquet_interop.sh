#!/usr/bin/env bash
# Parquet interoperability with DuckDB (@duckdb/node-api in bench/duckdb):
#   1. DuckDB writes every type (with NULLs) with each codec, dictionary on and off, small
#      row groups and format v2 pages; `sluice sql --format csv` must print the same rows as
#      DuckDB's own CSV of the same data.
#   2. Sluice writes every type with each codec; DuckDB must read the same types and rows.
#   3. DuckDB writes nested columns (lists, structs, maps, nulls at every level) with several
#      layouts; Sluice must read them as LIST, STRUCT and MAP values whose JSON equals
#      DuckDB's to_json of them.
#   4. Sluice writes LIST, STRUCT and MAP columns; DuckDB must read the same types and values.
# Usage: parquet_interop.sh <sluice binary> <source dir>
set -euo pipefail
SLUICE=$1
SRC=$2
DUCKDB_DIR="$SRC/bench/duckdb"
export DUCKDB_DIR

if [ ! -d "$DUCKDB_DIR/node_modules/@duckdb/node-api" ]; then
  if ! (cd "$DUCKDB_DIR" && npm install --no-audit --no-fund >/dev/null 2>&1); then
    echo "##########################################################"
    echo "SKIPPED: npm unreachable (cannot install @duckdb/node-api)"
    echo "##########################################################"
    exit 0
  fi
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

# Runs SQL statements (arguments) in DuckDB.
cat >duck.mjs <<'JS'
import { createRequire } from 'module';
const require = createRequire(process.env.DUCKDB_DIR + '/package.json');
const { DuckDBInstance } = require('@duckdb/node-api');
const con = await (await DuckDBInstance.create(':memory:', { threads: '1' })).connect();
for (const sql of process.argv.slice(2)) {
  const r = await con.runAndReadAll(sql);
  if (/^\s*select/i.test(sql)) for (const row of r.getRows()) console.log(row.map(String).join(' | '));
}
JS

# Doubles print as "1" in one engine and "1.0" in the other; nothing else is normalized.
norm() { perl -pe 's/(?:^|(?<=,))(-?\d+)\.0(?=,|$)/$1/g' "$1"; }
failures=0
check() {  # name, got, want
  if diff <(norm "$2") <(norm "$3") >diff.txt; then
    echo "ok   $1"
  else
    echo "FAIL $1"; head -5 diff.txt; failures=$((failures + 1))
  fi
}

# --- 1. DuckDB writes, Sluice reads -------------------------------------------------------
DUCK_TABLE="CREATE TABLE t AS SELECT i::BIGINT AS id,
  CASE WHEN i % 7 = 0 THEN NULL ELSE (i % 100)::TINYINT END AS ti,
  CASE WHEN i % 5 = 0 THEN NULL ELSE (i % 1000)::SMALLINT END AS si,
  (i * 3)::INTEGER AS ii,
  CASE WHEN i % 11 = 0 THEN NULL ELSE i * 1000003 END AS bi,
  (i % 256)::UTINYINT AS u8, (i * 7 % 65536)::USMALLINT AS u16, (i * 100000)::UINTEGER AS u32,
  (i * 1000000007)::UBIGINT AS u64,
  CASE WHEN i % 3 = 0 THEN NULL ELSE i / 7.0 END::DOUBLE AS dbl,
  (i / 4.0)::FLOAT AS flt,
  ((i % 100) * 0.25)::DECIMAL(4,2) AS d4,
  (i * 12.345)::DECIMAL(9,3) AS d9,
  (i * 123456.789)::DECIMAL(18,3) AS d18,
  CASE WHEN i % 9 = 0 THEN NULL ELSE (i::HUGEINT * 100000000000000000)::DECIMAL(38,2) END AS d38,
  CASE WHEN i % 4 = 0 THEN NULL ELSE 'str_' || (i % 50) END AS s_dict,
  md5(i::VARCHAR) || CASE WHEN i % 2 = 0 THEN '' ELSE ' tail' END AS s_unique,
  CASE WHEN i % 13 = 0 THEN NULL ELSE DATE '1960-01-01' + (i * 3 % 40000)::INTEGER END AS dt,
  TIMESTAMP '1969-12-31 23:00:00' + INTERVAL (i * 37) SECOND + INTERVAL (i) MICROSECOND AS ts,
  (TIMESTAMP '2020-01-01' + INTERVAL (i) MILLISECOND)::TIMESTAMP_MS AS ts_ms,
  (TIMESTAMP '1950-01-01' + INTERVAL (i * 3) MICROSECOND)::TIMESTAMP_NS AS ts_ns,
  CASE WHEN i % 6 = 0 THEN NULL ELSE i % 2 = 0 END AS bool,
  CASE WHEN i % 8 = 0 THEN NULL ELSE INTERVAL (i % 40) DAY + INTERVAL (i % 13) MONTH
    + INTERVAL (i % 1000) MILLISECOND END AS iv,
  CASE WHEN i % 10 = 0 THEN NULL ELSE TIME '00:00:00' + INTERVAL (i * 4321987) MICROSECOND END AS tm
FROM range(20000) r(i)"
# The same rows in the types Sluice reads them as.
DUCK_EXPECT="SELECT id, ti, si, ii, bi, u8::SMALLINT, u16::INTEGER, u32::BIGINT,
  u64::DECIMAL(20,0), dbl, flt::DOUBLE, d4, d9, d18, d38, s_dict, s_unique, dt, ts,
  ts_ms::TIMESTAMP, ts_ns::TIMESTAMP, bool, iv, tm FROM t ORDER BY id"
VARIANTS=(
  "uncompressed|COMPRESSION uncompressed"
  "snappy|COMPRESSION snappy"
  "gzip|COMPRESSION gzip"
  "zstd|COMPRESSION zstd"
  "lz4_raw|COMPRESSION lz4_raw"
  "no_dictionary|COMPRESSION snappy, DICTIONARY_SIZE_LIMIT 1"
  "small_row_groups|COMPRESSION zstd, ROW_GROUP_SIZE 1000"
  "v2_pages|COMPRESSION zstd, PARQUET_VERSION v2"
  "v2_no_dictionary|COMPRESSION snappy, PARQUET_VERSION v2, DICTIONARY_SIZE_LIMIT 1"
)
statements=("$DUCK_TABLE" "COPY ($DUCK_EXPECT) TO 'expect.csv' (HEADER false)")
for v in "${VARIANTS[@]}"; do
  statements+=("COPY t TO 'duck_${v%%|*}.parquet' (FORMAT parquet, ${v#*|})")
done
node duck.mjs "${statements[@]}"
for v in "${VARIANTS[@]}"; do
  name=${v%%|*}
  "$SLUICE" sql --no-progress --format csv \
    -c "SELECT * FROM read_parquet('duck_$name.parquet') ORDER BY id" | tail -n +2 >got.csv
  check "duckdb→sluice $name" got.csv expect.csv
done

# --- 2. Sluice writes, DuckDB reads -------------------------------------------------------
SLUICE_TABLE="CREATE TABLE t AS SELECT range AS id,
  CASE WHEN range % 7 = 0 THEN NULL ELSE CAST(range % 100 AS TINYINT) END AS ti,
  CASE WHEN range % 5 = 0 THEN NULL ELSE CAST(range % 1000 AS SMALLINT) END AS si,
  CAST(range * 3 AS INTEGER) AS ii,
  CASE WHEN range % 11 = 0 THEN NULL ELSE range * 1000003 END AS bi,
  CASE WHEN range % 3 = 0 THEN NULL ELSE range / 7.0 END AS dbl,
  CAST((range % 100) * 0.25 AS DECIMAL(4,2)) AS d4,
  CAST(range * 12.345 AS DECIMAL(9,3)) AS d9,
  CAST(range * 123456.789 AS DECIMAL(18,3)) AS d18,
  CASE WHEN range % 9 = 0 THEN NULL ELSE CAST(range AS DECIMAL(38,2))
    * CAST(100000000000000000 AS DECIMAL(38,0)) END AS d38,
  CASE WHEN range % 4 = 0 THEN NULL ELSE 'str_' || CAST(range % 50 AS VARCHAR) END AS s_dict,
  'a long unique string number ' || CAST(range AS VARCHAR) AS s_unique,
  CASE WHEN range % 13 = 0 THEN NULL ELSE DATE '1960-01-01' + CAST(range * 3 % 40000 AS INTEGER) END AS dt,
  CAST(DATE '1969-06-01' + CAST(range % 1000 AS INTEGER) AS TIMESTAMP) + INTERVAL '37 seconds' AS ts,
  CASE WHEN range % 6 = 0 THEN NULL ELSE range % 2 = 0 END AS bool,
  CASE WHEN range % 8 = 0 THEN NULL ELSE INTERVAL '3 days' END AS iv,
  CASE WHEN range % 10 = 0 THEN NULL ELSE TIME '00:00:00' + INTERVAL (range * 4321987) MICROSECOND END AS tm
FROM range(20000)"
WANT_TYPES="id BIGINT, ti TINYINT, si SMALLINT, ii INTEGER, bi BIGINT, dbl DOUBLE, d4 DECIMAL(4,2), d9 DECIMAL(9,3), d18 DECIMAL(18,3), d38 DECIMAL(38,2), s_dict VARCHAR, s_unique VARCHAR, dt DATE, ts TIMESTAMP, bool BOOLEAN, iv INTERVAL, tm TIME"
script="$SLUICE_TABLE;"
for codec in snappy zstd gzip lz4 uncompressed; do
  script+="COPY t TO 'sluice_$codec.parquet' (FORMAT parquet, COMPRESSION $codec);"
done
script+="COPY t TO 'sluice_groups.parquet' (FORMAT parquet, ROW_GROUP_SIZE 1500);"
script+="SELECT * FROM t ORDER BY id;"
"$SLUICE" sql --no-progress --format csv -c "$script" | tail -n +2 >sluice_expect.csv
for name in snappy zstd gzip lz4 uncompressed groups; do
  f="sluice_$name.parquet"
  types=$(node duck.mjs "SELECT string_agg(column_name || ' ' || column_type, ', ') FROM (DESCRIBE SELECT * FROM read_parquet('$f'))" \
    "COPY (SELECT * FROM read_parquet('$f') ORDER BY id) TO 'duck_read.csv' (HEADER false)")
  if [ "$types" != "$WANT_TYPES" ]; then
    echo "FAIL sluice→duckdb $name types: $types"; failures=$((failures + 1))
  fi
  check "sluice→duckdb $name" duck_read.csv sluice_expect.csv
done
groups=$(node duck.mjs "SELECT count(DISTINCT row_group_id) FROM parquet_metadata('sluice_groups.parquet')")
[ "$groups" = "14" ] || { echo "FAIL row groups: $groups"; failures=$((failures + 1)); }

# --- 3. Nested columns: DuckDB writes, Sluice reads them ---------------------------------
# Compares Sluice's JSON-lines output with DuckDB's to_json of the same file, row by row;
# each value is parsed so that number formatting (1.0 vs 1) does not matter, key order does.
cat >nested_check.mjs <<'JS'
import { createRequire } from 'module';
import { readFileSync } from 'fs';
const require = createRequire(process.env.DUCKDB_DIR + '/package.json');
const { DuckDBInstance } = require('@duckdb/node-api');
const [file, got_file, columns] = process.argv.slice(2);
const cols = columns.split(',');
const con = await (await DuckDBInstance.create(':memory:', { threads: '1' })).connect();
const sql = `SELECT id, ${cols.map(c => `to_json(${c})::VARCHAR`).join(', ')} FROM read_parquet('${file}') ORDER BY id`;
const want = (await con.runAndReadAll(sql)).getRows();
const got = readFileSync(got_file, 'utf8').trim().split('\n').map(l => JSON.parse(l));
const norm = t => t === null ? 'NULL' : JSON.stringify(JSON.parse(t));
let bad = 0;
if (got.length !== want.length) { console.log(`rows: got ${got.length}, want ${want.length}`); bad++; }
for (let r = 0; r < Math.min(got.length, want.length) && bad < 5; r++) {
  cols.forEach((c, i) => {
    const v = got[r][c];
    const w = norm(want[r][i + 1]);
    const g = v === null ? 'NULL' : typeof v === 'string' ? norm(v) : JSON.stringify(v);
    if (w !== g) { console.log(`row ${r} ${c}: got ${g} want ${w}`); bad++; }
  });
}
process.exit(bad ? 1 : 0);
JS
NESTED_TABLE="CREATE TABLE n AS SELECT i AS id,
  CASE WHEN i % 10 = 1 THEN NULL WHEN i % 10 = 2 THEN []::INTEGER[]
    WHEN i % 10 = 3 THEN [NULL]::INTEGER[] ELSE [i::INTEGER, NULL, (i * 2)::INTEGER] END AS li,
  CASE WHEN i % 7 = 0 THEN NULL ELSE ['s' || (i % 5), NULL, 'long string ' || i] END AS ls,
  CASE WHEN i % 9 = 0 THEN NULL ELSE {'a': i, 'b': CASE WHEN i % 2 = 0 THEN NULL ELSE 'x' || i END,
    'c': CASE WHEN i % 3 = 0 THEN NULL ELSE [i % 4, i % 5] END, 'd': i / 8.0} END AS st,
  CASE WHEN i % 11 = 0 THEN NULL WHEN i % 11 = 1 THEN []
    ELSE [{'p': i, 'q': ['u', NULL]}, NULL, {'p': NULL, 'q': NULL}] END AS lst,
  CASE WHEN i % 6 = 0 THEN NULL WHEN i % 6 = 1 THEN MAP([]::VARCHAR[], []::INTEGER[])
    ELSE MAP(['k' || i, 'z'], [i::INTEGER, NULL]) END AS mp,
  CASE WHEN i % 5 = 0 THEN NULL ELSE [[1, 2], [], NULL, [i]] END AS ll,
  CASE WHEN i % 4 = 0 THEN NULL ELSE {'inner': {'v': i, 'w': [true, NULL]}, 'e': DATE '2024-01-01' + i::INTEGER} END AS deep
FROM range(5000) r(i)"
NESTED_COLUMNS="li,ls,st,lst,mp,ll,deep"
NESTED_VARIANTS=(
  "default|COMPRESSION snappy"
  "small_row_groups|COMPRESSION zstd, ROW_GROUP_SIZE 700"
  "v2_pages|COMPRESSION zstd, PARQUET_VERSION v2"
  "no_dictionary|COMPRESSION uncompressed, DICTIONARY_SIZE_LIMIT 1"
)
statements=("$NESTED_TABLE")
for v in "${NESTED_VARIANTS[@]}"; do
  statements+=("COPY n TO 'nested_${v%%|*}.parquet' (FORMAT parquet, ${v#*|})")
done
node duck.mjs "${statements[@]}"
for v in "${NESTED_VARIANTS[@]}"; do
  f="nested_${v%%|*}.parquet"
  "$SLUICE" sql --no-progress --format json -c "SELECT * FROM read_parquet('$f') ORDER BY id" >nested_got.json
  if node nested_check.mjs "$f" nested_got.json "$NESTED_COLUMNS" >nested_diff.txt; then
    echo "ok   duckdb→sluice nested ${v%%|*}"
  else
    echo "FAIL duckdb→sluice nested ${v%%|*}"; head -5 nested_diff.txt; failures=$((failures + 1))
  fi
done
# Lists, structs and maps have their types; a query that does not select them reads only its
# own columns.
types=$("$SLUICE" sql --no-progress --format csv -c "DESCRIBE SELECT * FROM read_parquet('nested_default.parquet')" | tr '\n' ' ')
case "$types" in
  *"li,INTEGER[]"*"st,\"STRUCT(a BIGINT, b VARCHAR, c BIGINT[], d DOUBLE)\""*"mp,\"MAP(VARCHAR, INTEGER)\""*"ll,BIGINT[][]"*) echo "ok   nested column types" ;;
  *) echo "FAIL nested column types: $types"; failures=$((failures + 1)) ;;
esac
got=$("$SLUICE" sql --no-progress --format csv -c "SELECT count(*) AS n, sum(id) AS s,
  count(li) AS nl, max(cardinality(mp)) AS ml FROM read_parquet('nested_small_row_groups.parquet')
  WHERE li IS NULL OR li = []" | tail -n +2)
[ "$got" = "1000,2496500,500,2" ] && echo "ok   nested filter and aggregate" ||
  { echo "FAIL nested filter and aggregate: $got"; failures=$((failures + 1)); }
# Field access, subscripts (of the map too) and len() over the nested columns answer what
# DuckDB answers. DuckDB answers from a copy in memory: its Parquet scan's
# nested-field pushdown returned other rows' values for lst[1].p (DuckDB 1.5).
node duck.mjs "CREATE TABLE m AS SELECT * FROM read_parquet('nested_default.parquet')" \
  "COPY (SELECT id, st.a, st.b, len(li), lst[1].p, lst[1].q[1], mp['k' || id], deep.inner.v,
  deep.inner.w[1], ll[4][1] FROM m ORDER BY id) TO 'nested_json_want.csv' (HEADER false)"
"$SLUICE" sql --no-progress --format csv -c "SELECT id, st.a, st.b, len(li), lst[1].p,
  lst[1].q[1], mp['k' || id], deep.inner.v, deep.inner.w[1], ll[4][1]
  FROM read_parquet('nested_default.parquet') ORDER BY id" | tail -n +2 >nested_json_got.csv
check "nested functions over nested columns" nested_json_got.csv nested_json_want.csv

# --- 4. Sluice writes LIST, STRUCT and MAP columns, DuckDB reads them ----------------------
"$SLUICE" sql --no-progress -c "COPY (SELECT id, li, ls, st, lst, mp, ll, deep
  FROM read_parquet('nested_default.parquet')) TO 'sluice_nested.parquet' (FORMAT parquet)" >/dev/null
node duck.mjs "COPY (SELECT typeof(li), typeof(ls), typeof(st), typeof(lst), typeof(mp), typeof(ll),
  typeof(deep) FROM read_parquet('nested_default.parquet') LIMIT 1) TO 'nested_types_want.csv' (HEADER false)" \
  "COPY (SELECT typeof(li), typeof(ls), typeof(st), typeof(lst), typeof(mp), typeof(ll),
  typeof(deep) FROM read_parquet('sluice_nested.parquet') LIMIT 1) TO 'nested_types_got.csv' (HEADER false)" \
  "COPY (SELECT * FROM read_parquet('nested_default.parquet') ORDER BY id)
  TO 'nested_rows_want.csv' (HEADER false)" \
  "COPY (SELECT * FROM read_parquet('sluice_nested.parquet') ORDER BY id)
  TO 'nested_rows_got.csv' (HEADER false)"
check "sluice→duckdb nested types" nested_types_got.csv nested_types_want.csv
check "sluice→duckdb nested rows" nested_rows_got.csv nested_rows_want.csv

if [ "$failures" -ne 0 ]; then
  echo "$failures interop check(s) failed"
  exit 1
fi
echo "all Parquet interop checks passed"
