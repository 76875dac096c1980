"""Reads a manifest or manifest list with Debian's python3-avro (an implementation independent
of Sluice's) and checks that every field the Iceberg v2 spec requires carries its field id.

  check_avro_ids.py manifest FILE | list FILE
"""
import json
import sys

import avro.datafile
import avro.io

# Field ids the spec defines, by path of field names (v2, required and optional alike).
MANIFEST_IDS = {
    "status": 0, "snapshot_id": 1, "sequence_number": 3, "file_sequence_number": 4, "data_file": 2,
    "data_file.content": 134, "data_file.file_path": 100, "data_file.file_format": 101,
    "data_file.partition": 102, "data_file.record_count": 103, "data_file.file_size_in_bytes": 104,
    "data_file.column_sizes": 108, "data_file.value_counts": 109, "data_file.null_value_counts": 110,
    "data_file.nan_value_counts": 137, "data_file.lower_bounds": 125, "data_file.upper_bounds": 128,
    "data_file.key_metadata": 131, "data_file.split_offsets": 132, "data_file.equality_ids": 135,
    "data_file.sort_order_id": 140,
}
LIST_IDS = {
    "manifest_path": 500, "manifest_length": 501, "partition_spec_id": 502, "content": 517,
    "sequence_number": 515, "min_sequence_number": 516, "added_snapshot_id": 503,
    "added_files_count": 504, "existing_files_count": 505, "deleted_files_count": 506,
    "added_rows_count": 512, "existing_rows_count": 513, "deleted_rows_count": 514,
    "partitions": 507, "key_metadata": 519,
}


def fields_by_path(schema, prefix=""):
    out = {}
    for f in schema.get("fields", []):
        path = prefix + f["name"]
        out[path] = f
        t = f["type"]
        if isinstance(t, list):
            t = next((b for b in t if b != "null"), t)
        if isinstance(t, dict) and t.get("type") == "record":
            out.update(fields_by_path(t, path + "."))
    return out


def main(kind, path):
    with open(path, "rb") as f:
        reader = avro.datafile.DataFileReader(f, avro.io.DatumReader())
        schema = json.loads(reader.schema)
        rows = list(reader)
        meta = {k: v for k, v in reader.meta.items()}
    print("records", len(rows))
    fields = fields_by_path(schema)
    expected = MANIFEST_IDS if kind == "manifest" else LIST_IDS
    missing = [p for p, i in expected.items() if p not in fields or fields[p].get("field-id") != i]
    if missing:
        print("missing or wrong field ids:", missing)
        sys.exit(1)
    print("all field ids present")
    if kind == "manifest":
        for key in ("schema", "partition-spec", "format-version", "content"):
            if key not in meta:
                print("header lacks", key)
                sys.exit(1)
        for r in rows:
            print(r["data_file"]["file_path"].split("/")[-1], r["data_file"]["record_count"])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
