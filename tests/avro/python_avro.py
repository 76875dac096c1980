"""Debian's python3-avro as an independent Avro implementation for avro_file_test.

  python_avro.py read FILE   prints the record count, the field ids and element id of the
                             schema, and row 7 of the file written by the test
  python_avro.py write FILE  writes 1000 records with a deflate codec and field ids
"""
import json
import sys

import avro.datafile
import avro.io
import avro.schema


def read(path):
    with open(path, "rb") as f:
        reader = avro.datafile.DataFileReader(f, avro.io.DatumReader())
        schema = json.loads(reader.schema)
        rows = list(reader)
    print("records", len(rows))
    print("field-ids", ",".join(str(f["field-id"]) for f in schema["fields"]))
    array = next(f for f in schema["fields"] if f["name"] == "a")["type"]
    print("element-id", array["element-id"])
    r = rows[7]
    print("row7", r["b"], r["i"], r["l"], r["f"], r["s"], r["e"], r["a"], r["m"], r["o"])


def write(path):
    schema = avro.schema.parse(json.dumps({
        "type": "record", "name": "data_file", "fields": [
            {"name": "file_path", "type": "string", "field-id": 100},
            {"name": "record_count", "type": "long", "field-id": 103},
            {"name": "note", "type": ["null", "string"], "default": None, "field-id": 104},
        ]}))
    with open(path, "wb") as f:
        writer = avro.datafile.DataFileWriter(f, avro.io.DatumWriter(), schema, codec="deflate")
        for n in range(1000):
            writer.append({"file_path": f"s3://bucket/file-{n}.parquet", "record_count": n * 10,
                           "note": None if n % 2 == 0 else "odd"})
        writer.close()


if __name__ == "__main__":
    {"read": read, "write": write}[sys.argv[1]](sys.argv[2])
