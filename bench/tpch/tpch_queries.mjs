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

export const tpchTables = ['region', 'nation', 'supplier', 'customer', 'part', 'partsupp', 'orders', 'lineitem'];

// The statements that make the tables, keyed by table. `format` 'memory': CREATE TABLE ... AS
// SELECT ... FROM read_csv('<dataDir>/<table>/*.csv') (load.sql; the tables are held in memory).
// 'parquet': CREATE VIEW <table> AS SELECT * FROM read_parquet('<dataDir>/<table>/*.parquet'),
// so every query reads the files (sluice gen tpch --format parquet writes the spec's types).
export function loadStatements(dataDir, format = 'memory') {
  const out = new Map();
  if (format === 'iceberg') {
    // The tables are a warehouse's Iceberg tables (sluice --db; see run.sh): nothing to load,
    // a statement per table only opens it.
    for (const t of tpchTables) out.set(t, `CREATE TEMP VIEW open_${t} AS SELECT * FROM ${t}`);
    return out;
  }
  if (format === 'parquet') {
    for (const t of tpchTables) {
      out.set(t, `CREATE VIEW ${t} AS SELECT * FROM read_parquet('${dataDir}/${t}/*.parquet')`);
    }
    return out;
  }
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
