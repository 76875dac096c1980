// Helpers shared by the two sides of bench/tpch/run.sh: the query list, the query text (with
// Q11's scale-dependent FRACTION) and the load statements.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = dirname(fileURLToPath(import.meta.url));

export const allQueries = Array.from({ length: 22 }, (_, i) => `q${String(i + 1).padStart(2, '0')}`);

// ';'-separated statements without comment lines (the files hold no ';' inside strings).
export function statements(sql) {
  return sql.split('\n').filter(l => !l.trim().startsWith('--')).join('\n')
    .split(';').map(s => s.trim()).filter(Boolean);
}

// The statements of query `name` at scale factor `sf` (Q11's FRACTION is 0.0001 / SF).
export function queryStatements(name, sf) {
  let sql = readFileSync(join(here, `${name}.sql`), 'utf8');
  if (name === 'q11') sql = sql.replace('0.0001000000', (0.0001 / Number(sf)).toFixed(10));
  return statements(sql);
}

// CREATE TABLE ... AS SELECT ... FROM read_csv('<dataDir>/<table>/*.csv'), keyed by table.
export function loadStatements(dataDir) {
  const out = new Map();
  for (const s of statements(readFileSync(join(here, 'load.sql'), 'utf8').replaceAll('@DIR@', dataDir))) {
    out.set(s.match(/^CREATE TABLE (\w+)/i)[1], s);
  }
  return out;
}

// The tables a query reads: whole lower-case words, so neither p_partkey nor the literal
// '%Customer%Complaints%' counts.
export function tablesOf(queryStatements, tables) {
  const text = queryStatements.join('\n');
  return [...tables].filter(t => new RegExp(`\\b${t}\\b`).test(text));
}
