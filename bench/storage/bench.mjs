// Storage side by side (bench/storage/run.sh): the same SQL over the same TPC-H lineitem
// Parquet files in Sluice (one `sluice sql` process per workload, timed around the process)
// and DuckDB (@duckdb/node-api, one in-process connection), with the same thread count.
// Prints one table: seconds per engine, the ratio Sluice/DuckDB, and whether answers agree.
//   node bench.mjs SLUICE LINEITEM_DIR OUT_DIR THREADS [RUNS]
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [sluice, dir, outDir, threads = '2', runs = '1'] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'duckdb', 'package.json'));

const files = `read_parquet('${dir}/*.parquet')`;
const numeric = ['l_orderkey', 'l_partkey', 'l_suppkey', 'l_linenumber', 'l_quantity',
  'l_extendedprice', 'l_discount', 'l_tax'];
const other = ['l_returnflag', 'l_linestatus', 'l_shipdate', 'l_commitdate', 'l_receiptdate',
  'l_shipinstruct', 'l_shipmode', 'l_comment'];
// lineitem is generated in l_orderkey order, so row-group min/max on l_orderkey let a reader
// skip all but ~1% of the row groups for (b).
const workloads = [
  ['a_scan_all_columns', `SELECT count(*), ${numeric.map(c => `sum(${c})`).join(', ')}, ` +
    `${other.map(c => `min(${c}), max(${c})`).join(', ')} FROM ${files}`],
  ['b_pruned_orderkey_1pct', `SELECT count(*), sum(l_extendedprice), max(l_comment) FROM ${files} ` +
    `WHERE l_orderkey BETWEEN 3000000 AND 3060000`],
  ['c_write_parquet', engine => `COPY (SELECT * FROM ${files}) TO '${outDir}/${engine}.parquet' ` +
    `(FORMAT parquet)`],
];

function best(fn) {
  let out = null;
  for (let i = 0; i < Number(runs); i++) {
    const r = fn();
    if (out === null || r.seconds < out.seconds) out = r;
  }
  return out;
}
async function bestAsync(fn) {
  let out = null;
  for (let i = 0; i < Number(runs); i++) {
    const r = await fn();
    if (out === null || r.seconds < out.seconds) out = r;
  }
  return out;
}
const sqlOf = (w, engine) => (typeof w === 'function' ? w(engine) : w);
const fileSize = engine => {
  try { return String(statSync(`${outDir}/${engine}.parquet`).size); } catch { return ''; }
};

mkdirSync(outDir, { recursive: true });
const sluiceResults = {};
for (const [name, w] of workloads) {
  sluiceResults[name] = best(() => {
    rmSync(`${outDir}/sluice.parquet`, { force: true, recursive: true });
    const start = process.hrtime.bigint();
    let text = '', error = '';
    try {
      text = execFileSync(sluice, ['sql', '--no-progress', '--threads', threads, '--format', 'csv',
        '-c', sqlOf(w, 'sluice')], { encoding: 'utf8', maxBuffer: 1 << 26,
        stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) { error = String(e.stderr || e.message).trim().split('\n')[0]; }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const lines = text.trim().split('\n');
    return { seconds, error, result: lines.length > 1 ? lines[1].split(',') : [] };
  });
  if (name.startsWith('c_')) sluiceResults[name].size = fileSize('sluice');
}

const duckResults = {};
try {
  const { DuckDBInstance } = await import(pathToFileURL(require.resolve('@duckdb/node-api')).href);
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const con = await instance.connect();
  for (const [name, w] of workloads) {
    duckResults[name] = await bestAsync(async () => {
      rmSync(`${outDir}/duckdb.parquet`, { force: true, recursive: true });
      const start = process.hrtime.bigint();
      const reader = await con.runAndReadAll(sqlOf(w, 'duckdb'));
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const row = reader.getRows()[0] ?? [];
      return { seconds, error: '', result: row.map(v => (v === null ? '' : String(v))) };
    });
    if (name.startsWith('c_')) duckResults[name].size = fileSize('duckdb');
  }
} catch (e) {
  console.error(`storage bench: DuckDB side failed or missing: ${e.message}`);
}

const same = (a, b) => a.length === b.length && a.every((x, i) => {
  const y = b[i];
  if (x === y) return true;
  const nx = Number(x), ny = Number(y);
  if (x !== '' && y !== '' && !Number.isNaN(nx) && !Number.isNaN(ny)) {
    return Math.abs(nx - ny) <= 1e-9 * Math.max(1, Math.abs(nx));
  }
  return x.replace(/^"|"$/g, '') === y;
});

console.log(`TPC-H lineitem Parquet (${dir}), ${threads} threads, best of ${runs} run(s)`);
console.log('workload'.padEnd(26) + 'sluice s'.padStart(10) + 'duckdb s'.padStart(10) +
  'ratio'.padStart(8) + '  agree');
for (const [name] of workloads) {
  const s = sluiceResults[name], d = duckResults[name];
  const ok = !s.error;
  const ratio = ok && d ? (s.seconds / d.seconds).toFixed(2) : 'n/a';
  let agree = '-';
  if (!ok) agree = `SLUICE ERROR: ${s.error}`;
  else if (d && name.startsWith('c_')) agree = `sizes ${s.size} vs ${d.size} bytes`;
  else if (d) agree = same(s.result, d.result) ? 'yes' : `NO\n    sluice ${s.result}\n    duckdb ${d.result}`;
  console.log(name.padEnd(26) + (ok ? s.seconds.toFixed(3) : 'error').padStart(10) +
    (d ? d.seconds.toFixed(3) : '-').padStart(10) + ratio.padStart(8) + '  ' + agree);
}
