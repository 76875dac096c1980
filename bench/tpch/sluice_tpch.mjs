// The Sluice side of bench/tpch/run.sh: one `sluice sql --timer` process per query, whose
// script loads the tables the query reads (load.sql) and then runs the query RUNS times.
// `--timer` prints "Run Time: X s" per statement on stderr; a query's time is the sum over
// its statements, load statements excluded. A separate process per query means a crash,
// hang (killed after TIMEOUT seconds) or error in one query cannot affect the others.
// Prints one JSON line per query, like duckdb_tpch.mjs, with the process's peak RSS (GNU time's
// %M) where /usr/bin/time exists. TPCH_FORMAT: memory (default), parquet or iceberg
// (loadStatements); TPCH_DB: the warehouse directory (--db) the iceberg format reads.
//   node sluice_tpch.mjs SLUICE DATA_DIR THREADS SF RUNS TIMEOUT [QUERIES...]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { allQueries, loadStatements, queryStatements, tablesOf } from './tpch_queries.mjs';

const [sluice, dataDir, threads = '2', sf = '1', runs = '1', timeout = '600', ...only] = process.argv.slice(2);
const queries = only.length ? only : allQueries;
const loads = loadStatements(dataDir, process.env.TPCH_FORMAT ?? 'memory');
const timeBinary = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

// RFC 4180 CSV (Sluice --format csv): a header line, then rows.
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false, i = 0;
  while (i < text.length) {
    const c = text[i++];
    if (quoted) {
      if (c === '"' && text[i] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

for (const name of queries) {
  const query = queryStatements(name, sf);
  const tables = tablesOf(query, loads.keys());
  const script = [...tables.map(t => loads.get(t))];
  for (let run = 0; run < Number(runs); run++) script.push(...query);
  const args = ['sql', '--timer', '--no-progress', '--format', 'csv',
    '--threads', String(threads), '-c', script.join(';\n') + ';'];
  if (process.env.TPCH_DB) args.push('--db', process.env.TPCH_DB);
  const result = timeBinary
    ? spawnSync(timeBinary, ['-f', 'PEAK_RSS_KB %M', sluice, ...args],
      { encoding: 'utf8', timeout: Number(timeout) * 1000, maxBuffer: 1 << 30 })
    : spawnSync(sluice, args, { encoding: 'utf8', timeout: Number(timeout) * 1000, maxBuffer: 1 << 30 });
  const peak = result.stderr?.match(/^PEAK_RSS_KB (\d+)$/m);
  const times = [...result.stderr.matchAll(/^Run Time: ([0-9.]+) s$/gm)].map(m => Number(m[1]));
  const out = { query: name, status: 'ok', seconds: null, tables,
    peak_rss_mb: peak ? Number(peak[1]) / 1024 : null };
  if (result.status !== 0) {
    out.status = 'error';
    const message = (result.stderr ?? '').split('\n')
      .filter(l => l && !l.startsWith('Run Time:') && !l.startsWith('PEAK_RSS_KB') && !l.startsWith('Command exited'));
    out.error = result.error?.code === 'ETIMEDOUT' ? `timeout after ${timeout} s`
      : result.signal ? `killed by ${result.signal}` : (message[0] ?? `exit code ${result.status}`);
  } else {
    for (let run = 0; run < Number(runs); run++) {
      const first = tables.length + run * query.length;
      const secs = times.slice(first, first + query.length).reduce((a, b) => a + b, 0);
      out.seconds = out.seconds === null ? secs : Math.min(out.seconds, secs);
    }
    out.load_seconds = times.slice(0, tables.length).reduce((a, b) => a + b, 0);
    // Every run prints its result (a header line, then rows): keep the last run's.
    const rows = parseCsv(result.stdout);
    out.columns = rows[0] ?? [];
    const header = JSON.stringify(out.columns);
    let last = 0;
    rows.forEach((r, i) => { if (JSON.stringify(r) === header) last = i; });
    out.rows = rows.slice(last + 1);
  }
  console.log(JSON.stringify(out));
}
