// Compares the JSON lines of sluice_tpch.mjs and duckdb_tpch.mjs: per query the best time of
// each engine, the ratio Sluice/DuckDB and whether the answers agree; then geometric means.
// Agreement: same row count, column count and row order; cells equal as text, or as numbers:
// when either side is written with at most 2 decimals (a DECIMAL(…,2) value) both are rounded
// to 2 places and must be equal (or within 1e-9 relative for sums past double precision);
// other numbers (DOUBLE) must agree to 1e-9 relative.
//   node report.mjs SLUICE_JSONL DUCKDB_JSONL
import { readFileSync } from 'node:fs';

const read = f => new Map(readFileSync(f, 'utf8').trim().split('\n').filter(Boolean)
  .map(l => JSON.parse(l)).map(r => [r.query, r]));
const [sluiceFile, duckdbFile, title = ''] = process.argv.slice(2);
const sluice = read(sluiceFile), duckdb = read(duckdbFile);

const numeric = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
function cellsAgree(a, b) {
  if (a === b) return true;
  if (!numeric.test(a) || !numeric.test(b)) return false;
  const x = Number(a), y = Number(b);
  const relative = Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
  if (/^-?\d+(\.\d{1,2})?$/.test(a) || /^-?\d+(\.\d{1,2})?$/.test(b)) {
    return Math.round(x * 100) === Math.round(y * 100) || relative;
  }
  return relative;
}

function compare(s, d) {
  if (s.rows.length !== d.rows.length) return `wrong answer: ${s.rows.length} rows, DuckDB ${d.rows.length}`;
  if (s.columns.length !== d.columns.length) return `wrong answer: ${s.columns.length} columns, DuckDB ${d.columns.length}`;
  for (let r = 0; r < s.rows.length; r++) {
    for (let c = 0; c < s.columns.length; c++) {
      if (!cellsAgree(s.rows[r][c], d.rows[r][c])) {
        return `wrong answer: row ${r + 1} ${d.columns[c]}: ${s.rows[r][c]} vs DuckDB ${d.rows[r][c]}`;
      }
    }
  }
  return 'ok';
}

const geomean = xs => (xs.length ? Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length) : NaN);
const fmt = x => (x === null || x === undefined || Number.isNaN(x) ? '-' : x.toFixed(3));

if (title) console.log(title);
console.log('query'.padEnd(7) + 'sluice s'.padStart(10) + 'duckdb s'.padStart(10) + 'ratio'.padStart(8) +
  'peak MB'.padStart(9) + '  status');
const ratios = [], sluiceTimes = [], duckdbTimes = [];
let ok = 0;
let sluicePeak = null, sluiceTotal = 0, duckdbTotal = 0;
for (const [name, s] of sluice) {
  if (s.peak_rss_mb) sluicePeak = Math.max(sluicePeak ?? 0, s.peak_rss_mb);
  const d = duckdb.get(name);
  let status;
  if (!d) status = 'no DuckDB result';
  else if (s.status !== 'ok') status = `error: ${s.error}`;
  else if (d.status !== 'ok') status = `DuckDB error: ${d.error}`;
  else status = compare(s, d);
  const ratio = s.status === 'ok' && d?.status === 'ok' ? s.seconds / d.seconds : null;
  if (status === 'ok') {
    ok++;
    ratios.push(ratio);
    sluiceTimes.push(s.seconds);
    duckdbTimes.push(d.seconds);
    sluiceTotal += s.seconds;
    duckdbTotal += d.seconds;
  }
  console.log(name.padEnd(7) + fmt(s.seconds).padStart(10) + fmt(d?.seconds).padStart(10) +
    (ratio === null ? '-' : ratio.toFixed(2)).padStart(8) +
    (s.peak_rss_mb ? s.peak_rss_mb.toFixed(0) : '-').padStart(9) + '  ' + status.slice(0, 160));
}
console.log(`geomean over the ${ok} queries that agree:` +
  ` sluice ${fmt(geomean(sluiceTimes))} s, duckdb ${fmt(geomean(duckdbTimes))} s,` +
  ` ratio ${geomean(ratios).toFixed(2)}`);
console.log(`total over those queries: sluice ${fmt(sluiceTotal)} s, duckdb ${fmt(duckdbTotal)} s`);
const duckdbPeak = duckdb.get('peak');
console.log(`peak RSS: sluice ${sluicePeak === null ? '-' : sluicePeak.toFixed(0)} MB (highest query process),` +
  ` duckdb ${duckdbPeak ? duckdbPeak.peak_rss_mb.toFixed(0) : '-'} MB (its one process, all queries)`);
const load = duckdb.get('load');
if (load) console.log(`DuckDB load (all tables): ${fmt(load.seconds)} s`);
