// Runs one query in DuckDB (the peer the PySpark-job tests compare with) and prints its rows
// as JSON. Reads {"views": {name: parquet_glob}, "sql": text} from stdin; each view is
// created over read_parquet of its files first.
//   node duckdb_rows.mjs DUCKDB_DIR   (the directory whose node_modules has @duckdb/node-api)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(join(process.argv[2], 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');
const { views, sql } = JSON.parse(readFileSync(0, 'utf8'));
const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
for (const [name, glob] of Object.entries(views)) {
  await con.run(`CREATE VIEW "${name}" AS SELECT * FROM read_parquet('${glob.replaceAll("'", "''")}')`);
}
const result = await con.runAndReadAll(sql);
process.stdout.write(JSON.stringify(result.getRowsJson()));
