"""Results into Python: rows, pandas, NumPy; zero copy; exact types; the collect guard."""

import datetime
import decimal

import numpy as np
import pandas as pd
import pytest

import sluice
from sluice import _sluice
from sluice import functions as F


def _base_chain_has_engine_buffer(arr):
    b = arr
    while b is not None:
        if isinstance(b, _sluice._EngineBuffer):
            return True
        b = getattr(b, "base", None)
    return False


def test_collect_rows_are_pyspark_rows(people):
    r = people.filter("name = 'alice'").collect()[0]
    assert r.name == "alice" and r["age"] == 34 and r[2] == "eng"
    assert r.asDict()["hired"] == datetime.date(2020, 1, 15)
    assert isinstance(r.age, int) and isinstance(r.salary, float)
    assert people.take(2) == people.limit(2).collect()
    assert people.head().name in {"alice", "bob", "carol", "dan", "erin"}


def test_exact_types_and_nulls(spark, amounts):
    got = amounts.orderBy("id").collect()
    assert [r.amount for r in got] == [decimal.Decimal("10.25"), decimal.Decimal("-3.10"), None]
    df = spark.sql("SELECT TIMESTAMP '2024-03-01 12:30:45.123456' AS ts, DATE '0001-01-01' AS d, "
                   "INTERVAL 3 DAY AS iv, 'é€' AS s, CAST(NULL AS BIGINT) AS n, true AS b")
    r = df.collect()[0]
    assert r.ts == datetime.datetime(2024, 3, 1, 12, 30, 45, 123456)
    assert r.d == datetime.date(1, 1, 1)
    assert r.iv.days == 3
    assert r.s == "é€" and r.n is None and r.b is True


def test_to_pandas_dtypes(people, amounts):
    pdf = people.orderBy("name").toPandas()
    assert list(pdf.columns) == people.columns
    assert str(pdf["age"].dtype) == "Int32"  # NULLs: pandas' nullable integer
    assert pdf["age"].isna().tolist() == [False, False, False, True, False]
    assert pdf["salary"].dtype == np.float64
    assert pdf["name"].tolist() == ["alice", "bob", "carol", "dan", "erin"]
    assert pdf["hired"].tolist()[3] is None
    assert pdf["hired"].tolist()[0] == datetime.date(2020, 1, 15)
    apdf = amounts.orderBy("id").toPandas()
    assert apdf["amount"].tolist()[:2] == [decimal.Decimal("10.25"), decimal.Decimal("-3.10")]
    ts = people.select(F.col("hired").cast("timestamp").alias("t")).toPandas()
    assert str(ts["t"].dtype) == "datetime64[ns]"


def test_to_pandas_numeric_columns_are_zero_copy(spark):
    df = spark.range(100_000).withColumn("x", F.col("id") * 2).withColumn("f", F.col("id") / 4)
    pdf = df.toPandas()
    for name in ("id", "x", "f"):
        assert _base_chain_has_engine_buffer(pdf[name].to_numpy()), name
    assert pdf["x"].sum() == 2 * sum(range(100_000))


def test_to_dict_and_to_numpy(spark):
    df = spark.range(5000).withColumn("sq", F.col("id") * F.col("id"))
    d = df.to_dict()
    assert isinstance(d["id"], np.ndarray) and d["id"].dtype == np.int64
    assert not d["id"].flags.owndata and _base_chain_has_engine_buffer(d["id"])
    assert d["sq"][4999] == 4999 * 4999
    one = df.select("id").to_numpy()
    assert one.shape == (5000,) and _base_chain_has_engine_buffer(one)
    assert df.to_numpy().shape == (5000, 2)
    # A one-batch result is gathered into its own buffer too.
    small = spark.range(10).to_dict()["id"]
    assert _base_chain_has_engine_buffer(small) and small.tolist() == list(range(10))


def test_to_dict_with_nulls_is_masked(spark):
    df = spark.createDataFrame({"v": pd.array([1, None, 3], dtype="Int64")})
    v = df.to_dict()["v"]
    assert isinstance(v, np.ma.MaskedArray)
    assert v.mask.tolist() == [False, True, False] and v.compressed().tolist() == [1, 3]


def test_engine_buffer_outlives_the_dataframe(spark):
    arr = spark.range(50_000).to_dict()["id"]
    import gc
    gc.collect()
    assert arr[49_999] == 49_999 and arr.sum() == sum(range(50_000))


def test_collect_guard_fails_before_the_query_runs(spark):
    spark.conf.set("max_collect_bytes", "1MB")
    big = spark.range(10_000_000)
    with pytest.raises(sluice.CollectTooLargeError) as e:
        big.toPandas()
    message = str(e.value)
    assert "estimated" in message and "MiB" in message
    assert "write" in message and "limit" in message
    assert len(big.limit(10).collect()) == 10  # small results still pass
    assert big.count() == 10_000_000  # count brings back one row


def test_collect_guard_stops_a_result_larger_than_estimated(spark):
    spark.conf.set("max_collect_bytes", "1MB")
    # A filter the estimate takes for selective (equality: 10%) that keeps every row.
    df = spark.range(1_000_000).filter(F.col("id") == F.col("id"))
    with pytest.raises(sluice.CollectTooLargeError, match="over"):
        df.collect()
    spark.conf.set("max_collect_bytes", 0)  # 0: no guard
    assert len(df.to_dict()["id"]) == 1_000_000


def test_max_collect_bytes_is_a_setting(spark):
    spark.sql("SET max_collect_bytes = '2MiB'")
    assert spark.conf.get("max_collect_bytes") == "2.0 MiB"
    spark.sql("SET max_collect_bytes = '100KB'")
    with pytest.raises(sluice.CollectTooLargeError):
        spark.range(100_000).collect()
    spark.sql("RESET max_collect_bytes")
    assert len(spark.range(100_000).collect()) == 100_000
