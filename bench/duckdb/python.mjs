// The DuckDB side of bench/python/run.sh (kept here, beside node_modules, so that the import
// resolves): the same queries over the same Parquet file, best of RUNS, one JSON line each.
// materialize reads every row into the client's chunks.
import { DuckDBInstance } from '@duckdb/node-api';

const [file, threads, runs] = [process.argv[2], process.argv[3] ?? '2', Number(process.argv[4] ?? 3)];
const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const con = await instance.connect();

async function best(name, sql) {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await con.runAndReadAll(sql);
    min = Math.min(min, Number(process.hrtime.bigint() - start) / 1e9);
  }
  console.log(JSON.stringify({ name, seconds: Number(min.toFixed(4)) }));
}

await best('duckdb_materialize_5_columns', `SELECT * FROM '${file}'`);
await best('duckdb_scan_5_columns', `SELECT sum(id), sum(k), sum(v), sum(w), sum(x) FROM '${file}'`);
await best('duckdb_groupby', `SELECT k, sum(v) AS sv, count(*) AS n, avg(x) AS ax FROM '${file}' GROUP BY k`);
