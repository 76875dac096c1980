// The DuckDB side of bench/run.sh: the same workloads as bench/sluice_bench.cpp over the
// same generated data, one JSON line per workload.
import { DuckDBInstance } from '@duckdb/node-api';

const rows = Number(process.argv[2] ?? 50000000);
const threads = Number(process.argv[3] ?? 2);
const csv = process.argv[4] ?? '';

const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const con = await instance.connect();

async function time(name, sql) {
  const start = process.hrtime.bigint();
  const reader = await con.runAndReadAll(sql);
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  const first = reader.getRows()[0] ?? [];
  console.log(JSON.stringify({ name, seconds: secs, result: first.map(String).join(',') }));
}

await time('load', `CREATE TABLE facts AS SELECT range AS id, (range * 7919) % 1000000 AS k,
  (range % 1000)::DOUBLE AS v FROM range(${rows});
  CREATE TABLE dim AS SELECT range AS did, range % 97 AS w FROM range(1000000);
  SELECT (SELECT count(*) FROM facts) + (SELECT count(*) FROM dim)`);
await time('a_filter_project_sum', `SELECT sum(v * 2.0) FROM facts WHERE k % 10 < 5`);
await time('b_groupby_1m', `SELECT count(k), sum(n), sum(s) FROM (SELECT k, count(*) AS n,
  sum(v) AS s, avg(v) AS a FROM facts GROUP BY k)`);
await time('c_join_50m_1m', `SELECT count(*), sum(w) FROM facts JOIN dim ON k = did`);
if (csv) {
  await time('d_read_csv', `SELECT count(*), sum(v) FROM read_csv('${csv}')`);
}
