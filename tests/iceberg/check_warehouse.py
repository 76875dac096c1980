"""Checks a Sluice warehouse against the Iceberg v2 spec with tools independent of Sluice:
the SQL catalog read with Python's sqlite3 (as PyIceberg's SqlCatalog and Iceberg Java's
JdbcCatalog read it), each table's metadata JSON for the fields the spec requires, and every
manifest list and manifest of the current snapshot read with Debian's python3-avro, with the
spec's field ids. Prints one line per table: "<namespace>.<table> rows=<n> files=<n>".

  check_warehouse.py DIR
"""
import json
import os
import sqlite3
import subprocess
import sys
import warnings

import avro.datafile
import avro.io

warnings.simplefilter("ignore")  # python3-avro warns about Iceberg's "map" logical type

HERE = os.path.dirname(os.path.abspath(__file__))

REQUIRED_METADATA = [
    "format-version", "table-uuid", "location", "last-sequence-number", "last-updated-ms",
    "last-column-id", "schemas", "current-schema-id", "partition-specs", "default-spec-id",
    "last-partition-id", "sort-orders", "default-sort-order-id",
]
REQUIRED_SNAPSHOT = ["snapshot-id", "sequence-number", "timestamp-ms", "manifest-list", "summary"]


def fail(why):
    print("FAIL:", why)
    sys.exit(1)


def check_ids(kind, path):
    out = subprocess.run([sys.executable, os.path.join(HERE, "check_avro_ids.py"), kind, path],
                         capture_output=True, text=True)
    if out.returncode != 0 or "all field ids present" not in out.stdout:
        fail(f"{path}: {out.stdout} {out.stderr}")


def read_avro(path):
    with open(path, "rb") as f:
        return list(avro.datafile.DataFileReader(f, avro.io.DatumReader()))


def partition_fields(path):
    """The fields of a manifest's data_file.partition record: [(name, field-id)]."""
    with open(path, "rb") as f:
        schema = json.loads(avro.datafile.DataFileReader(f, avro.io.DatumReader()).schema)
    data_file = next(f["type"] for f in schema["fields"] if f["name"] == "data_file")
    partition = next(f["type"] for f in data_file["fields"] if f["name"] == "partition")
    return [(f["name"], f.get("field-id")) for f in partition.get("fields", [])]


def int_bound(b):
    """A single-value serialized int or date (4 bytes, little-endian)."""
    return None if b is None else int.from_bytes(b, "little", signed=True)


def check_partitions(location, m, manifest, entries):
    """The manifest's partition struct against its spec (names, field ids), each entry's
    partition tuple, and the manifest list's field summaries against the entries' values.
    Returns the partition tuples of the live entries."""
    spec = next((s for s in m["partition-specs"] if s["spec-id"] == manifest["partition_spec_id"]), None)
    if spec is None:
        fail(f"{location}: manifest {manifest['manifest_path']} has spec {manifest['partition_spec_id']}, "
             "which the metadata lacks")
    expected = [(f["name"], f["field-id"]) for f in spec["fields"]]
    if partition_fields(manifest["manifest_path"]) != expected:
        fail(f"{manifest['manifest_path']}: partition struct {partition_fields(manifest['manifest_path'])} "
             f"is not spec {expected}")
    names = [n for n, _ in expected]
    summaries = manifest["partitions"] or []
    if expected and len(summaries) != len(expected):
        fail(f"{manifest['manifest_path']}: {len(summaries)} partition summaries for {len(expected)} fields")
    tuples = []
    for i, (name, _) in enumerate(expected):
        values = [e["data_file"]["partition"][name] for e in entries]
        if summaries[i]["contains_null"] != any(v is None for v in values):
            fail(f"{manifest['manifest_path']}: contains_null of {name} is wrong")
        ints = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
        if ints and len(ints) == len(values):
            if (int_bound(summaries[i]["lower_bound"]), int_bound(summaries[i]["upper_bound"])) != (min(ints), max(ints)):
                fail(f"{manifest['manifest_path']}: bounds of {name} are not [{min(ints)}, {max(ints)}]")
    for e in entries:
        if e["status"] != 2:
            if sorted(e["data_file"]["partition"].keys()) != sorted(names):
                fail(f"{manifest['manifest_path']}: partition {e['data_file']['partition']} lacks fields {names}")
            tuples.append(tuple(e["data_file"]["partition"][n] for n in names))
    return tuples


def check_metrics(df, schema):
    """The column metrics of a data file's entry: a value count of record_count for each
    column that has one, NULL counts within it, and lower <= upper for int and long bounds."""
    def as_dict(field):
        # An Iceberg map of int keys is an Avro array of {key, value} records.
        value = df.get(field) or []
        return value if isinstance(value, dict) else {e["key"]: e["value"] for e in value}

    types = {f["id"]: f["type"] for f in schema["fields"]}
    for fid, count in as_dict("value_counts").items():
        if count != df["record_count"]:
            fail(f"{df['file_path']}: value_counts[{fid}] = {count} for {df['record_count']} rows")
    for fid, nulls in as_dict("null_value_counts").items():
        if nulls > df["record_count"]:
            fail(f"{df['file_path']}: null_value_counts[{fid}] = {nulls} for {df['record_count']} rows")
    lower, upper = as_dict("lower_bounds"), as_dict("upper_bounds")
    if sorted(lower) != sorted(upper):
        fail(f"{df['file_path']}: lower bounds for {sorted(lower)}, upper for {sorted(upper)}")
    for fid in lower:
        if types.get(fid) in ("int", "long", "date"):
            lo = int.from_bytes(lower[fid], "little", signed=True)
            hi = int.from_bytes(upper[fid], "little", signed=True)
            if lo > hi:
                fail(f"{df['file_path']}: bounds of field {fid} are [{lo}, {hi}]")


def check_table(ns, name, location, previous):
    with open(location) as f:
        m = json.load(f)
    for key in REQUIRED_METADATA:
        if key not in m:
            fail(f"{location} lacks {key}")
    if m["format-version"] != 2:
        fail(f"{location}: format-version {m['format-version']}")
    schema = next(s for s in m["schemas"] if s["schema-id"] == m["current-schema-id"])
    ids = [f["id"] for f in schema["fields"]]
    if len(set(ids)) != len(ids) or max(ids, default=0) > m["last-column-id"]:
        fail(f"{location}: bad field ids {ids}")
    snapshots = {s["snapshot-id"]: s for s in m.get("snapshots", [])}
    for s in snapshots.values():
        for key in REQUIRED_SNAPSHOT:
            if key not in s:
                fail(f"{location}: snapshot lacks {key}")
        if "operation" not in s["summary"]:
            fail(f"{location}: snapshot summary lacks operation")
        if s["sequence-number"] > m["last-sequence-number"]:
            fail(f"{location}: snapshot sequence number beyond last-sequence-number")
    current = m.get("current-snapshot-id", -1)
    if m.get("refs", {}).get("main", {}).get("snapshot-id") != current:
        fail(f"{location}: refs.main is not the current snapshot")
    hint_dir = os.path.join(m["location"], "metadata")
    with open(os.path.join(hint_dir, "version-hint.text")) as f:
        if os.path.basename(location) != f"v{f.read().strip()}.metadata.json":
            fail(f"{location}: version-hint.text names another version")
    if previous is not None and previous not in [e["metadata-file"] for e in m["metadata-log"]]:
        fail(f"{location}: previous_metadata_location {previous} not in the metadata log")
    if current == -1:
        print(f"{ns}.{name} rows=0 files=0")
        return
    snap = snapshots[current]
    check_ids("list", snap["manifest-list"])
    rows = files = 0
    tuples = set()
    for manifest in read_avro(snap["manifest-list"]):
        check_ids("manifest", manifest["manifest_path"])
        entries = read_avro(manifest["manifest_path"])
        tuples.update((manifest["partition_spec_id"],) + t for t in check_partitions(location, m, manifest, entries))
        for entry in entries:
            if entry["status"] == 2:
                continue
            df = entry["data_file"]
            if not os.path.exists(df["file_path"]):
                fail(f"{location}: data file {df['file_path']} is missing")
            if os.path.getsize(df["file_path"]) != df["file_size_in_bytes"]:
                fail(f"{df['file_path']}: file_size_in_bytes is wrong")
            check_metrics(df, schema)
            rows += df["record_count"]
            files += 1
    if str(rows) != snap["summary"].get("total-records"):
        fail(f"{location}: total-records {snap['summary'].get('total-records')} but {rows} rows")
    partitioned = [s for s in m["partition-specs"] if s["fields"]]
    if partitioned:
        print(f"{ns}.{name} rows={rows} files={files} specs={len(m['partition-specs'])} "
              f"partitions={len(tuples)}")
    else:
        print(f"{ns}.{name} rows={rows} files={files}")


def main(root):
    db = sqlite3.connect(os.path.join(root, "catalog.db"))
    namespaces = {r[0] for r in db.execute(
        "SELECT namespace FROM iceberg_namespace_properties WHERE catalog_name = 'sluice'")}
    for ns, name, location, previous in db.execute(
            "SELECT table_namespace, table_name, metadata_location, previous_metadata_location "
            "FROM iceberg_tables WHERE catalog_name = 'sluice' ORDER BY 1, 2"):
        if ns not in namespaces:
            fail(f"namespace {ns} of table {name} is not in iceberg_namespace_properties")
        check_table(ns, name, location, previous)


if __name__ == "__main__":
    main(sys.argv[1])
