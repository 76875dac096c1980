// DuckDB beside bench/dbt/run.sh (a): the same raw events in a DuckDB database file, the
// same full rebuild of fct_events (CREATE OR REPLACE TABLE ... AS) and, after 1% new raw rows,
// the same MERGE that dbt-duckdb's merge strategy runs (incremental rows into a temp table,
// then MERGE INTO on event_id with the incremental predicate). Prints seconds per step.
//   node duckdb_incremental.mjs ROWS NEW THREADS
import { createRequire } from 'node:module';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [rows, added, threads] = process.argv.slice(2).map(Number);
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'duckdb', 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

const work = join(here, '..', 'data', 'dbt');
const file = join(work, 'duckdb-bench.db');
mkdirSync(work, { recursive: true });
rmSync(file, { force: true });
rmSync(file + '.wal', { force: true });

const events = (from, to) => `SELECT range AS event_id, (range * 7919) % 100000 AS customer_id,
    'type_' || CAST(range % 7 AS VARCHAR) AS event_type,
    (range * 104729) % 100000 AS amount_cents,
    to_timestamp(1767225600 + range)::TIMESTAMP AS updated_at
  FROM range(${from}, ${to})`;
const model = `SELECT event_id, customer_id, event_type, CAST(amount_cents AS DOUBLE) / 100 AS amount,
    updated_at FROM raw.events`;

const instance = await DuckDBInstance.create(file, { threads: String(threads) });
const db = await instance.connect();
const timed = async sql => {
  const start = process.hrtime.bigint();
  await db.run(sql);
  return Number(process.hrtime.bigint() - start) / 1e9;
};
const one = async sql => (await (await db.runAndReadAll(sql)).getRows())[0][0];

await db.run(`CREATE SCHEMA raw; CREATE TABLE raw.events AS ${events(0, rows)}; CHECKPOINT`);
const full = await timed(`CREATE OR REPLACE TABLE fct_events AS ${model}; CHECKPOINT`);
await db.run(`INSERT INTO raw.events ${events(rows, rows + added)}; CHECKPOINT`);
const since = await one(`SELECT CAST(max(updated_at) - INTERVAL 3 DAYS AS VARCHAR) FROM fct_events`);
const incremental = await timed(`
  CREATE OR REPLACE TEMP TABLE fct_events__dbt_tmp AS ${model}
    WHERE updated_at > (SELECT max(updated_at) FROM fct_events);
  MERGE INTO fct_events AS DBT_INTERNAL_DEST USING fct_events__dbt_tmp AS DBT_INTERNAL_SOURCE
    ON DBT_INTERNAL_DEST.event_id = DBT_INTERNAL_SOURCE.event_id
      AND DBT_INTERNAL_DEST.updated_at >= TIMESTAMP '${since}'
    WHEN MATCHED THEN UPDATE SET *
    WHEN NOT MATCHED THEN INSERT *;
  DROP TABLE fct_events__dbt_tmp;
  CHECKPOINT`);
const count = await one(`SELECT count(*) FROM fct_events`);
console.log(`duckdb ${'full rebuild'.padEnd(27)} ${full.toFixed(3).padStart(10)}`);
console.log(`duckdb ${'merge (1% new rows)'.padEnd(27)} ${incremental.toFixed(3).padStart(10)}`);
console.log(`duckdb full / incremental = ${(full / incremental).toFixed(1)}x   rows after merge: ${count}`);
db.closeSync?.();
rmSync(file, { force: true });
rmSync(file + '.wal', { force: true });
