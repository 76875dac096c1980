// Runs a dbt project that `sluice build` has built again in DuckDB and compares every
// relation. Seeds are loaded from the CSV files with dbt's (agate's) rules, written here
// independently of Sluice's loader; models run the SQL Sluice compiled
// (target/compiled/...) in DAG order from target/manifest.json. Each seed and model must
// have the same column names, the same kind of column types and the same rows (sorted;
// numbers compared to 12 significant digits) in both engines.
//   node duckdb_compare.mjs SLUICE PROJECT_DIR DB_DIR DUCKDB_DIR
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [sluice, project, db, duckdbDir] = process.argv.slice(2);
const require = createRequire(join(duckdbDir, 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

// --- Seeds as dbt reads them ------------------------------------------------------------

// Python's csv module over a file opened in text mode (universal newlines).
function parseCsv(text, delimiter) {
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const records = [];
  let record = [], field = '', state = 'startRecord';
  for (const c of text) {
    if (state === 'startRecord') {
      state = 'startField';
      if (c === '\n') { records.push([]); state = 'startRecord'; continue; }
    }
    if (state === 'quoted') {
      if (c === '"') state = 'quoteInQuoted'; else field += c;
      continue;
    }
    if (state === 'quoteInQuoted' && c === '"') { field += c; state = 'quoted'; continue; }
    if (c === delimiter) { record.push(field); field = ''; state = 'startField'; continue; }
    if (c === '\n') { record.push(field); field = ''; records.push(record); record = []; state = 'startRecord'; continue; }
    if (state === 'startField' && c === '"') { state = 'quoted'; continue; }
    field += c;
    state = 'unquoted';
  }
  if (state === 'quoted') throw new Error('unterminated quote');
  if (state !== 'startRecord') { record.push(field); records.push(record); }
  const names = records.shift();
  return { names, rows: records.map(r => names.map((_, i) => (i < r.length ? r[i] : ''))) };
}

const isNull = s => ['', 'null'].includes(s.trim().toLowerCase());
const currency = ['؋', '$', 'ƒ', '៛', '¥', '₡', '₱', '£', '€', '¢', '﷼', '₪', '₩', '₭', '₮', '₦', '฿', '₤', '₫'];
function number(s) {  // agate Number: {text, fractional} or null
  let d = s.trim().replace(/^%+|%+$/g, '');
  let sign = '';
  if (d.startsWith('-')) { sign = '-'; d = d.slice(1); }
  for (const sym of currency) { while (d.startsWith(sym)) d = d.slice(sym.length); while (d.endsWith(sym)) d = d.slice(0, -sym.length); }
  d = d.replaceAll(',', '').trim();
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/.exec(d);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  if (m[1] === '-') sign = sign ? '' : '-';
  const exp = Number(m[4] ?? 0), frac = m[3] ?? '';
  return { text: sign + (m[2] || '0') + (frac ? '.' + frac : '') + (m[4] ? 'e' + exp : ''), fractional: frac.length - exp > 0 };
}
function validDate(y, m, d) {
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1];
}
const pad = (n, w = 2) => String(n).padStart(w, '0');
function date(s) {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s.trim());
  return m && validDate(+m[1], +m[2], +m[3]) ? `${m[1]}-${pad(m[2])}-${pad(m[3])}` : null;
}
function datetime(s) {
  s = s.trim();
  // %Y-%m-%d %H:%M:%S, or ISO 8601 with a T (seconds, fraction and Z optional).
  let m = /^(\d{4}-\d{1,2}-\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})$/.exec(s) ||
          /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?Z?$/.exec(s);
  if (!m) return null;
  const d = date(m[1]);
  const [h, mi, sec] = [+m[2], +m[3], +(m[4] ?? 0)];
  if (!d || h > 23 || mi > 59 || sec > 59) return null;
  return `${d} ${pad(h)}:${pad(mi)}:${pad(sec)}${m[5] ? '.' + m[5].slice(0, 6) : ''}`;
}
function boolean(s) {
  const v = s.replaceAll(',', '').trim().toLowerCase();
  return v === 'true' || v === 'false' ? v : null;
}
const casts = [['BIGINT', () => null], ['NUMBER', s => number(s)?.text ?? null], ['DATE', date],
               ['TIMESTAMP', datetime], ['BOOLEAN', boolean], ['VARCHAR', s => s]];

function seedTable(node) {
  const csv = parseCsv(readFileSync(join(project, node.path), 'utf8'), node.config.delimiter ?? ',');
  const overrides = node.config.column_types ?? {};
  const columns = csv.names.map((name, i) => {
    const values = csv.rows.map(r => r[i]).filter(v => !isNull(v));
    let [type, cast] = name in overrides ? ['VARCHAR', s => s] : casts.find(([, f]) => values.every(v => f(v) !== null));
    if (type === 'NUMBER') type = values.some(v => number(v).fractional) ? 'DOUBLE' : 'BIGINT';
    return { name, type: overrides[name] ?? type, cast };
  });
  const literal = s => `'${s.replaceAll("'", "''")}'`;
  const rows = csv.rows.map(r => '(' + columns.map((c, i) =>
    isNull(r[i]) ? 'NULL' : `CAST(${literal(c.cast(r[i]))} AS ${c.type})`).join(', ') + ')');
  const quoted = n => `"${n.replaceAll('"', '""')}"`;
  return [`CREATE TABLE ${node.relation_name} (${columns.map(c => `${quoted(c.name)} ${c.type}`).join(', ')})`,
          ...(rows.length ? [`INSERT INTO ${node.relation_name} VALUES ${rows.join(', ')}`] : [])];
}

// --- The project in DuckDB --------------------------------------------------------------

const manifest = JSON.parse(readFileSync(join(project, 'target', 'manifest.json'), 'utf8'));
const projectName = manifest.metadata.project_name;
const nodes = Object.values(manifest.nodes).filter(n => n.resource_type === 'seed' || n.resource_type === 'model');
const byId = new Map(nodes.map(n => [n.unique_id, n]));
const order = [], seen = new Set();
const visit = n => {
  if (seen.has(n.unique_id)) return;
  seen.add(n.unique_id);
  for (const parent of n.depends_on?.nodes ?? []) if (byId.has(parent)) visit(byId.get(parent));
  order.push(n);
};
[...nodes].sort((a, b) => a.unique_id.localeCompare(b.unique_id)).forEach(visit);

const con = await (await DuckDBInstance.create(':memory:', { threads: '1' })).connect();
const relations = [];
for (const node of order) {
  const materialized = node.config.materialized;
  if (materialized === 'ephemeral') continue;
  await con.run(`CREATE SCHEMA IF NOT EXISTS ${node.schema}`);
  if (node.resource_type === 'seed') {
    for (const sql of seedTable(node)) await con.run(sql);
  } else {
    const sql = readFileSync(join(project, 'target', 'compiled', projectName, node.path), 'utf8');
    const kind = materialized === 'view' ? 'VIEW' : 'TABLE';
    try {
      await con.run(`CREATE ${kind} ${node.relation_name} AS ${sql}`);
    } catch (e) {
      throw new Error(`DuckDB cannot run the compiled SQL of ${node.unique_id}: ${e.message}`);
    }
  }
  relations.push(node.relation_name);
}

// --- Compare ----------------------------------------------------------------------------

function typeClass(t) {
  t = t.toUpperCase();
  if (/INT/.test(t)) return 'integer';
  if (/DOUBLE|FLOAT|REAL|DECIMAL|NUMERIC/.test(t)) return 'number';
  if (/CHAR|TEXT|STRING/.test(t)) return 'text';
  if (t.startsWith('TIMESTAMP')) return 'timestamp';
  return t;  // DATE, BOOLEAN, ...
}
function normalize(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return String(v);
  const s = String(v);
  // Numbers (not texts that look like one): JSON numbers, BigInt, DuckDB decimals.
  if (typeof v !== 'string' && /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) {
    const n = Number(s);
    return Number.isSafeInteger(n) ? String(n) : String(Number(n.toPrecision(12)));
  }
  const ts = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.(\d*?)0*)?$/.exec(s);
  if (ts) return `${ts[1]} ${ts[2]}${ts[3] ? '.' + ts[3] : ''}`;
  return s;
}
function sluiceSql(sql, format) {
  return execFileSync(sluice, ['sql', '--db', db, '--format', format, '-c', sql], { encoding: 'utf8' });
}

let failures = 0;
for (const relation of relations) {
  const problems = [];
  const sluiceCols = sluiceSql(`describe ${relation}`, 'json').split('\n').filter(Boolean)
    .map(line => JSON.parse(line)).map(r => [r.column_name, typeClass(r.column_type)]);
  const duckDescribe = await con.runAndReadAll(`DESCRIBE ${relation}`);
  const duckCols = duckDescribe.getRowObjects().map(r => [r.column_name, typeClass(String(r.column_type))]);
  if (JSON.stringify(sluiceCols) !== JSON.stringify(duckCols)) {
    problems.push(`columns: sluice ${JSON.stringify(sluiceCols)} duckdb ${JSON.stringify(duckCols)}`);
  }
  const names = duckCols.map(([name]) => name);
  const sluiceRows = sluiceSql(`select * from ${relation}`, 'json').split('\n').filter(Boolean)
    .map(line => JSON.stringify(Object.values(JSON.parse(line)).map(normalize))).sort();
  const duckRows = (await con.runAndReadAll(`SELECT * FROM ${relation}`)).getRows()
    .map(row => JSON.stringify(row.map(normalize))).sort();
  if (sluiceRows.length !== duckRows.length) {
    problems.push(`row count: sluice ${sluiceRows.length} duckdb ${duckRows.length}`);
  }
  const sluiceSet = new Set(sluiceRows), duckSet = new Set(duckRows);
  for (const r of sluiceRows.filter(r => !duckSet.has(r)).slice(0, 3)) problems.push(`only in sluice: ${r}`);
  for (const r of duckRows.filter(r => !sluiceSet.has(r)).slice(0, 3)) problems.push(`only in duckdb: ${r}`);
  if (problems.length) {
    failures++;
    console.log(`FAIL ${relation} (${names.join(', ')})\n  ${problems.join('\n  ')}`);
  } else {
    console.log(`ok   ${relation}: ${duckRows.length} rows, ${names.length} columns`);
  }
}
if (relations.length === 0) { console.log('FAIL: no relations compared'); process.exit(1); }
process.exit(failures ? 1 : 0);
