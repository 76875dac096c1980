// Shuffle side by side (bench/shuffle/cases.sh): join strategies and spilling, each workload
// in Sluice (`sluice sql`) and DuckDB (@duckdb/node-api), each run in a process of its own
// under /usr/bin/time so that peak resident memory (RSS) is measured per workload.
// Prints seconds, peak RSS, the ratio Sluice/DuckDB, and whether the answers agree.
//   node cases.mjs SLUICE THREADS ROWS OUT_DIR [only-workload-prefix]
// With `--duckdb-child SQL THREADS`, runs one DuckDB query and prints its first row as JSON.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

if (process.argv[2] === '--duckdb-child') {
  const [sql, threads] = process.argv.slice(3);
  const require = createRequire(join(here, '..', 'duckdb', 'package.json'));
  const { DuckDBInstance } = await import(pathToFileURL(require.resolve('@duckdb/node-api')).href);
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const con = await instance.connect();
  let row = [];
  const start = process.hrtime.bigint();
  for (const statement of sql.split(';').map(s => s.trim()).filter(Boolean)) {
    const reader = await con.runAndReadAll(statement);
    row = reader.getRows()[0] ?? row;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(JSON.stringify({ seconds, row: row.map(v => (v === null ? '' : String(v))) }));
  process.exit(0);
}

const [sluice, threads = '2', rowsArg = '50000000', outDir = '/tmp', only = ''] = process.argv.slice(2);
const rows = Number(rowsArg);
const dimRows = 10000;
const limit = "SET memory_limit = '500MB'";

// A fact of `rows` rows against a 10 k-row dimension; the answer folds every joined pair.
const factDim = hint => `SELECT ${hint} count(*), sum(f.v + d.w) FROM ` +
  `(SELECT range % ${dimRows} AS k, range AS v FROM range(${rows})) f JOIN ` +
  `(SELECT range AS k, range * 2 AS w FROM range(${dimRows})) d ON f.k = d.k`;
// Keys spread by a multiplicative hash so that neither side arrives sorted.
const groups = Math.floor(rows * 0.4);
const groupBy = `SELECT count(*), sum(c), sum(s) FROM (SELECT k, count(*) AS c, sum(v) AS s FROM ` +
  `(SELECT (range * 7919) % ${groups} AS k, range AS v FROM range(${rows})) GROUP BY k)`;
const bigJoin = `SELECT count(*), sum(a.v + b.w) FROM ` +
  `(SELECT range AS k, range AS v FROM range(${rows})) a JOIN ` +
  `(SELECT (range * 7919) % ${rows} AS k, range AS w FROM range(${rows})) b ON a.k = b.k`;
// A full sort, written to Parquet (COPY streams the sorted rows, so nothing holds them all).
// The answer reads the file back: rows and a checksum of the keys.
const orderBy = engine => `COPY (SELECT v, pad FROM (SELECT (range * 7919) % ${rows} AS v, ` +
  `'padding-' || (range % 1000) AS pad FROM range(${rows})) ORDER BY v, pad) ` +
  `TO '${outDir}/sorted-${engine}.parquet' (FORMAT parquet); ` +
  `SELECT count(*), min(v), max(v), sum(v) FROM read_parquet('${outDir}/sorted-${engine}.parquet')`;

const workloads = [
  // [name, sluice SQL, duckdb SQL]
  ['join_fact_dim_broadcast', factDim(''), factDim('')],
  ['join_fact_dim_sort_merge', `SET broadcast_threshold = -1; ${factDim('/*+ MERGE(d) */')}`, factDim('')],
  ['spill_group_by_500MB', `${limit}; ${groupBy}`, `${limit}; ${groupBy}`],
  ['spill_join_500MB', `${limit}; ${bigJoin}`, `${limit}; ${bigJoin}`],
  ['spill_order_by_500MB', `${limit}; ${orderBy('sluice')}`, `${limit}; ${orderBy('duckdb')}`],
].filter(([name]) => name.startsWith(only));

// Runs argv under /usr/bin/time; returns seconds, peak RSS in MiB, stdout and an error line.
function timed(argv) {
  const start = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', 'PEAK_RSS_KB=%M', ...argv],
    { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const m = /PEAK_RSS_KB=(\d+)/.exec(r.stderr ?? '');
  const error = r.status === 0 ? '' :
    (r.stderr ?? '').split('\n').filter(l => l && !l.startsWith('PEAK_RSS')).slice(0, 1).join('') ||
    `exit ${r.status}`;
  return { seconds, rssMiB: m ? Number(m[1]) / 1024 : NaN, stdout: r.stdout ?? '', error };
}

function runSluice(sql) {
  const r = timed([sluice, 'sql', '--no-progress', '--threads', threads, '--format', 'csv', '-c', sql]);
  const lines = r.stdout.trim().split('\n');
  return { ...r, result: lines.length > 1 ? lines[lines.length - 1].split(',') : [] };
}
// DuckDB's time is taken inside its process around the queries (node's start-up is not
// counted); its peak RSS includes node's own baseline, printed once as `duckdb baseline`.
function runDuckdb(sql) {
  const r = timed([process.execPath, fileURLToPath(import.meta.url), '--duckdb-child', sql, threads]);
  try {
    const out = JSON.parse(r.stdout.trim().split('\n').pop());
    return { ...r, seconds: out.seconds, result: out.row };
  } catch {
    return { ...r, result: [], error: r.error || 'no result' };
  }
}

const same = (a, b) => a.length === b.length && a.every((x, i) => {
  const nx = Number(x), ny = Number(b[i]);
  return x === b[i] || (!Number.isNaN(nx) && Math.abs(nx - ny) <= 1e-9 * Math.max(1, Math.abs(nx)));
});

const haveDuckdb = spawnSync(process.execPath, ['-e',
  `require(require('node:module').createRequire('${join(here, '..', 'duckdb', 'package.json')}')` +
  `.resolve('@duckdb/node-api'))`]).status === 0;
if (!haveDuckdb) console.error('shuffle bench: @duckdb/node-api missing; DuckDB side SKIPPED');

console.log(`shuffle cases: ${rows} rows, ${threads} threads, spill cases under memory_limit 500MB`);
if (haveDuckdb) {
  console.log(`duckdb baseline (node + DuckDB, SELECT 1): ${runDuckdb('SELECT 1').rssMiB.toFixed(0)} MiB RSS`);
}
console.log('workload'.padEnd(26) + 'sluice s'.padStart(10) + 'RSS MiB'.padStart(9) +
  'duckdb s'.padStart(10) + 'RSS MiB'.padStart(9) + 'ratio'.padStart(8) + '  agree');
const results = {};
for (const [name, sluiceSql, duckSql] of workloads) {
  const s = runSluice(sluiceSql);
  const d = haveDuckdb ? runDuckdb(duckSql) : null;
  results[name] = s;
  let agree = '-';
  if (s.error) agree = `SLUICE ERROR: ${s.error}`;
  else if (d && d.error) agree = `duckdb error: ${d.error}`;
  else if (d) agree = same(s.result, d.result) ? 'yes' : `NO (${s.result} vs ${d.result})`;
  const ok = d && !d.error && !s.error;
  console.log(name.padEnd(26) + s.seconds.toFixed(3).padStart(10) + s.rssMiB.toFixed(0).padStart(9) +
    (ok ? d.seconds.toFixed(3) : '-').padStart(10) + (ok ? d.rssMiB.toFixed(0) : '-').padStart(9) +
    (ok ? (s.seconds / d.seconds).toFixed(2) : 'n/a').padStart(8) + '  ' + agree);
}
const b = results.join_fact_dim_broadcast, m = results.join_fact_dim_sort_merge;
if (b && m && !b.error && !m.error) {
  console.log(`sort-merge / broadcast in Sluice: ${(m.seconds / b.seconds).toFixed(1)}x ` +
    '(the playbook expects 5-20x)');
}
