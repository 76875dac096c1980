"""DuckDB as the peer of the PySpark-job tests: the same SQL over the same data (Parquet files
the session wrote), run by DuckDB through node and @duckdb/node-api (bench/duckdb), its rows
made comparable with the session's."""

import datetime
import decimal
import json
import os
import re
import shutil
import subprocess
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DUCKDB_DIR = os.path.join(ROOT, "bench", "duckdb")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")


def available():
    return shutil.which("node") is not None and \
        os.path.isdir(os.path.join(DUCKDB_DIR, "node_modules", "@duckdb", "node-api"))


def rows(sql, views):
    """DuckDB's rows of `sql` with `views` ({name: parquet glob}), each value normalized; None
    (with a warning in pytest's summary) where node or @duckdb/node-api is missing, as the dbt
    conformance test skips then (bench/lib.sh's ensure_duckdb installs it with npm)."""
    if not available():
        warnings.warn("DuckDB comparison NOT checked: node or @duckdb/node-api "
                      "(bench/duckdb/node_modules) is missing")
        return None
    out = subprocess.run(["node", os.path.join(os.path.dirname(__file__), "duckdb_rows.mjs"),
                          DUCKDB_DIR], input=json.dumps({"views": views, "sql": sql}),
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise AssertionError("DuckDB failed on:\n%s\n%s" % (sql, out.stderr))
    return [tuple(normalize(v) for v in r) for r in json.loads(out.stdout)]


def normalize(v):
    """A value of either engine in one comparable form: numbers as floats (DuckDB's JSON
    gives BIGINT and DECIMAL as text), times as DuckDB prints them, nested values inside."""
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, (int, float, decimal.Decimal)):
        return float(v)
    if isinstance(v, str):
        return float(v) if _NUMBER.match(v) else v
    if isinstance(v, (datetime.datetime, datetime.date)):
        return str(v)
    if isinstance(v, dict):
        return tuple(sorted((k, normalize(x)) for k, x in v.items()))
    if hasattr(v, "asDict"):
        return tuple(sorted((k, normalize(x)) for k, x in v.asDict().items()))
    if isinstance(v, (list, tuple)):
        return tuple(normalize(x) for x in v)
    return v
