// The DuckDB side of bench/tpch/run.sh: loads every table once with load.sql (the same SQL
// Sluice runs), then runs each query RUNS times in the same process and prints one JSON line
// per query: {query, status: "ok"|"error", seconds (best run), error, columns, rows}.
//   node duckdb_tpch.mjs DATA_DIR THREADS SF RUNS [QUERIES...]
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { allQueries, here, loadStatements, queryStatements } from './tpch_queries.mjs';

// @duckdb/node-api is installed for bench/duckdb; resolve it from there.
const require = createRequire(join(here, '..', 'duckdb', 'package.json'));
const { DuckDBInstance } = await import(pathToFileURL(require.resolve('@duckdb/node-api')).href);

const [dataDir, threads = '2', sf = '1', runs = '1', ...only] = process.argv.slice(2);
const queries = only.length ? only : allQueries;

const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const con = await instance.connect();

const loadStart = process.hrtime.bigint();
for (const s of loadStatements(dataDir, process.env.TPCH_FORMAT ?? 'memory').values()) await con.run(s);
console.log(JSON.stringify({ query: 'load', status: 'ok', seconds: Number(process.hrtime.bigint() - loadStart) / 1e9 }));

const text = v => (v === null || v === undefined ? '' : String(v));
for (const name of queries) {
  const out = { query: name, status: 'ok', seconds: null };
  try {
    for (let run = 0; run < Number(runs); run++) {
      const start = process.hrtime.bigint();
      let last = null;
      for (const s of queryStatements(name, sf)) {
        const reader = await con.runAndReadAll(s);
        if (/^\s*(select|with|values|from)\b/i.test(s)) last = reader;
      }
      const secs = Number(process.hrtime.bigint() - start) / 1e9;
      out.seconds = out.seconds === null ? secs : Math.min(out.seconds, secs);
      if (last) {
        out.columns = last.columnNames();
        out.rows = last.getRows().map(r => r.map(text));
      }
    }
  } catch (e) {
    out.status = 'error';
    out.error = String(e.message ?? e).split('\n')[0];
  }
  console.log(JSON.stringify(out));
}
// The whole process's peak RSS (load and every query), for the report.
console.log(JSON.stringify({ query: 'peak', status: 'ok', peak_rss_mb: process.resourceUsage().maxRSS / 1024 }));
