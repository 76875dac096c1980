// The DuckDB side of bench/ml/pit.sh.
//   node duckdb_pit.mjs gen DIR LABELS FEATURES ENTITIES THREADS
//     writes DIR/labels.parquet and DIR/features.parquet (the data both engines join);
//   node duckdb_pit.mjs join DIR THREADS
//     runs the PIT join (DuckDB's ASOF JOIN) and prints one JSON line: {seconds, result}.
// Feature rows: entity r % ENTITIES, one row per entity per hour slot at a time inside the
// slot, so no entity has two rows at the same time and the answer is unique (no ties for
// the engines to break differently). Label rows: a spread entity and a time anywhere in the
// feature history (some before an entity's first feature row: no match).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'duckdb', 'package.json'));
const { DuckDBInstance } = await import(pathToFileURL(require.resolve('@duckdb/node-api')).href);

const [mode, dir, ...rest] = process.argv.slice(2);
const threads = mode === 'gen' ? rest[3] : rest[0];
const instance = await DuckDBInstance.create(':memory:', { threads: String(threads ?? 2) });
const con = await instance.connect();

if (mode === 'gen') {
  const [labels, features, entities] = rest.map(Number);
  const slots = Math.ceil(features / entities);
  await con.run(`SET preserve_insertion_order = false`);
  await con.run(`COPY (SELECT range % ${entities} AS entity_id,
      TIMESTAMP '2024-01-01' + to_seconds((range // ${entities}) * 3600 + hash(range) % 3600) AS ts,
      range AS feature_id, (hash(range * 31) % 1000000) / 1000.0 AS f1
    FROM range(${features})) TO '${dir}/features.parquet' (FORMAT parquet)`);
  await con.run(`COPY (SELECT (range * 7919) % ${entities} AS entity_id,
      TIMESTAMP '2024-01-01' + to_seconds(hash(range + 12345) % ${slots * 3600}) AS ts,
      range AS label_id, (hash(range) % 2)::INTEGER AS label
    FROM range(${labels})) TO '${dir}/labels.parquet' (FORMAT parquet)`);
} else if (mode === 'join') {
  const start = process.hrtime.bigint();
  const reader = await con.runAndReadAll(await import('node:fs').then(fs =>
    fs.readFileSync(join(here, 'pit_join.sql'), 'utf8').replaceAll('$DIR', dir)));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(JSON.stringify({ seconds, result: reader.getRows()[0].map(String).join(',') }));
} else {
  throw new Error(`unknown mode ${mode}`);
}
