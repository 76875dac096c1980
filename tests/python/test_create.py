"""Python data into the engine: createDataFrame from pandas, dicts of arrays and rows."""

import datetime
import decimal

import numpy as np
import pandas as pd
import pytest

import sluice
from sluice import Row
from sluice.types import LongType, StringType, StructField, StructType


def test_from_pandas_with_nullable_dtypes(spark):
    pdf = pd.DataFrame({
        "i8": np.array([1, 2, 3], dtype=np.int8),
        "i64": pd.array([10, None, 30], dtype="Int64"),
        "f": [1.5, np.nan, 2.5],
        "b": pd.array([True, None, False], dtype="boolean"),
        "s": ["a", None, "c"],
        "ts": pd.to_datetime(["2024-01-01 10:00", None, "2024-01-03"]),
        "d": [datetime.date(2024, 1, 1), None, datetime.date(2024, 1, 3)],
        "dec": [decimal.Decimal("1.10"), decimal.Decimal("2.25"), None],
    })
    df = spark.createDataFrame(pdf)
    assert dict(df.dtypes) == {"i8": "tinyint", "i64": "bigint", "f": "double",
                               "b": "boolean", "s": "string", "ts": "timestamp", "d": "date",
                               "dec": "decimal(18,2)"}
    rows = df.collect()
    assert [tuple(r) for r in rows][1] == (2, None, None, None, None, None, None,
                                           decimal.Decimal("2.25"))
    assert rows[0].ts == datetime.datetime(2024, 1, 1, 10, 0)
    back = df.toPandas()
    assert back["i64"].isna().tolist() == [False, True, False]
    assert back["s"].tolist() == ["a", None, "c"]


def test_round_trip_of_a_large_frame(spark):
    n = 100_000
    pdf = pd.DataFrame({"k": np.arange(n) % 97, "v": np.arange(n, dtype=np.float64)})
    df = spark.createDataFrame(pdf)
    assert df.count() == n
    agg = df.groupBy("k").sum("v").orderBy("k").toPandas()
    expected = pdf.groupby("k")["v"].sum().reset_index()
    assert np.allclose(agg["sum(v)"].to_numpy(), expected["v"].to_numpy())


def test_from_rows_and_schemas(spark):
    assert spark.createDataFrame([(1, "a"), (2, "b")]).columns == ["_1", "_2"]
    df = spark.createDataFrame([(1, "a"), (2, None)], schema=["id", "name"])
    assert df.dtypes == [("id", "bigint"), ("name", "string")]
    df = spark.createDataFrame([Row(id=1, name="a"), Row(id=2, name="b")])
    assert df.columns == ["id", "name"] and df.count() == 2
    df = spark.createDataFrame([{"x": 1.5, "y": True}, {"x": 2.0, "y": None}])
    assert df.dtypes == [("x", "double"), ("y", "boolean")]
    schema = StructType([StructField("id", LongType()), StructField("name", StringType())])
    assert spark.createDataFrame([(5, "e")], schema).collect()[0].asDict() == {"id": 5, "name": "e"}
    df = spark.createDataFrame([(1, "2024-05-01")], "id: int, d: date")
    assert df.collect()[0].d == datetime.date(2024, 5, 1)


def test_from_dict_of_arrays(spark):
    df = spark.createDataFrame({"a": np.arange(5, dtype=np.int32), "b": [0.5] * 5,
                                "c": np.array(["2024-01-01"] * 5, dtype="datetime64[us]")})
    assert df.dtypes == [("a", "int"), ("b", "double"), ("c", "timestamp")]
    assert df.agg({"a": "sum"}).collect()[0][0] == 10


def test_bad_input_is_an_error(spark):
    with pytest.raises(ValueError):
        spark.createDataFrame({"a": [1, 2], "b": [1]})
    with pytest.raises(TypeError):
        spark.createDataFrame([(1,), ("x",)])
    with pytest.raises(sluice.ConversionError):
        spark.createDataFrame([("1.x",)], schema="d decimal(10,2)")
