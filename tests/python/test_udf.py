"""Vectorized Python UDFs run by the engine's worker threads, batch by batch."""

import re
import threading

import numpy as np
import pandas as pd
import pytest

import sluice
from sluice import functions as F


@pytest.fixture
def mixed(spark):
    return spark.createDataFrame(
        [(1, 1.5, "a"), (None, 2.0, None), (3, None, "ccc"), (4, 4.25, "dd")],
        schema="i bigint, d double, s string")


def test_udf_over_ints_doubles_and_strings_with_nulls(spark, mixed):
    @sluice.udf("bigint")
    def plus_one(x):
        assert isinstance(x, pd.Series)
        return x + 1

    @sluice.udf(returnType="double")
    def half(x):
        return x / 2

    def shout(s):
        return s.map(lambda v: None if v is None else v.upper() + "!")

    shout_udf = F.udf(shout, "string")
    rows = mixed.select(plus_one("i").alias("i1"), half(F.col("d")).alias("d2"),
                        shout_udf("s").alias("s2")).collect()
    assert [tuple(r) for r in rows] == [
        (2, 0.75, "A!"), (None, 1.0, None), (4, None, "CCC!"), (5, 2.125, "DD!")]


def test_udf_output_name_and_numpy_arguments(spark, mixed):
    seen = []

    @sluice.udf("double", useNumPy=True)
    def total(i, d):
        seen.append((type(i), type(d)))
        return np.asarray(i.filled(0), dtype=float) + np.asarray(d.filled(0.0))

    df = mixed.select(total("i", "d"))
    assert df.columns == ["total(i, d)"]
    assert [r[0] for r in df.collect()] == [2.5, 2.0, 3.0, 8.25]
    assert seen[0] == (np.ma.MaskedArray, np.ma.MaskedArray)


def test_numeric_arguments_are_read_only_views(spark):
    flags = []

    @sluice.udf("bigint", useNumPy=True)
    def probe(x):
        flags.append((x.flags.writeable, x.base is not None))
        return x * 2

    assert spark.range(5).select(probe("id")).collect()[4][0] == 8
    assert flags and all(w is False and has_base for w, has_base in flags)


def test_registered_udf_in_sql(spark, mixed):
    mixed.createOrReplaceTempView("t")
    spark.udf.register("twice", lambda x: x * 2, "bigint")
    out = spark.sql("SELECT twice(i) AS t2, twice(i) + 1 AS t3 FROM t WHERE twice(i) > 2 "
                    "ORDER BY 1").collect()
    assert [tuple(r) for r in out] == [(6, 7), (8, 9)]
    # Session-scoped: another session does not know it.
    other = sluice.connect()
    with pytest.raises(sluice.BindError, match="twice"):
        other.sql("SELECT twice(1)")


def test_register_keeps_a_udf_return_type(spark):
    @sluice.udf("string")
    def label(x):
        return x.astype(str) + "x"

    spark.udf.register("label", label)
    assert spark.sql("SELECT label(range) AS l FROM range(3)").collect()[2].l == "2x"


def test_declared_argument_types_are_cast_before_the_call(spark):
    seen = []

    @sluice.udf("double", argTypes=["double", "string"])
    def scaled(x, unit):
        seen.append((x.dtype.kind, unit.dtype.kind))
        return x * 1.5

    out = spark.range(3).select(scaled(F.col("id"), F.col("id")).alias("v")).collect()
    assert [r.v for r in out] == [0.0, 1.5, 3.0]
    assert set(seen) == {("f", "O")}  # BIGINT ids arrive as doubles, and as strings
    spark.udf.register("scaled", scaled)
    assert spark.sql("SELECT scaled('2', 7) AS v").collect()[0].v == 3.0
    with pytest.raises(sluice.BindError, match="scaled"):
        spark.sql("SELECT scaled(1)").collect()
    with pytest.raises(sluice.ConversionError):
        spark.sql("SELECT scaled('two', 'x')").collect()


def test_a_udf_that_raises_carries_traceback_and_rows():
    spark = sluice.connect(threads=1)
    @sluice.udf("bigint")
    def explode(x):
        if (x >= 5).any():
            raise ValueError("too big: %d" % x.max())
        return x

    with pytest.raises(sluice.PythonUdfError) as e:
        spark.range(8).select(explode("id")).collect()
    message = str(e.value)
    assert "UDF 'explode' raised ValueError: too big: 7" in message
    assert "Traceback" in message and 'raise ValueError("too big' in message
    assert "on rows 0..7 (batch 0 of 8 rows" in message
    # Later batches: the range counts the rows the UDF received before.
    with pytest.raises(sluice.PythonUdfError) as e:
        spark.range(5000).select(explode(F.col("id") - 4100)).collect()
    assert re.search(r"on rows 4096\.\.4999 \(batch 2 of 904 rows", str(e.value)), str(e.value)
    assert isinstance(e.value, sluice.UserError)


def test_wrong_result_length_is_an_error(spark):
    short = sluice.udf(lambda x: x[:-1], "bigint")
    with pytest.raises(sluice.PythonUdfError, match=r"returned 2 values for a batch of 3 rows"):
        spark.range(3).select(short("id")).collect()


def test_wrong_result_type_is_an_error(spark):
    words = sluice.udf(lambda x: x.astype(str), "bigint")
    with pytest.raises(sluice.PythonUdfError, match=r"UDF '<lambda>' returned '0' \(str\)"):
        spark.range(3).select(words("id")).collect()
    numbers = sluice.udf(lambda x: x * 1.5, "string")
    with pytest.raises(sluice.PythonUdfError, match="for a VARCHAR result"):
        spark.range(3).select(numbers("id")).collect()
    scalar = sluice.udf(lambda x: 1, "bigint")
    with pytest.raises(sluice.PythonUdfError, match="returned int, not a Series"):
        spark.range(3).select(scalar("id")).collect()


def _answer(threads):
    s = sluice.connect(threads=threads, shuffle_partitions=4)
    scale = sluice.udf(lambda x: x * 3 + 1, "bigint")
    df = s.range(200_000).repartition(4).select(scale("id").alias("v"))
    first = [r.v for r in df.orderBy("v").limit(10).collect()]
    return df.agg(F.sum("v"), F.count("v")).collect()[0], first


def test_same_answer_with_one_and_two_threads():
    assert _answer(1) == _answer(2)
    total, _ = _answer(2)
    assert total[0] == sum(i * 3 + 1 for i in range(200_000))


def test_runs_on_engine_worker_threads_and_releases_the_gil(spark):
    threads = set()

    @sluice.udf("bigint")
    def record(x):
        threads.add(threading.get_ident())
        return x

    df = spark.range(300_000).repartition(4).select(record("id").alias("v"))
    assert df.count() == 300_000
    # Called from engine threads, never from the Python thread that waits for the query.
    assert threads and threading.get_ident() not in threads
    # Between batches the GIL is free: a Python thread keeps running while the query does.
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(1)
            stop.wait(0.001)

    t = threading.Thread(target=tick)
    t.start()
    try:
        assert df.agg(F.sum("v")).collect()[0][0] == sum(range(300_000))
    finally:
        stop.set()
        t.join()
    assert ticks


def test_map_and_flat_map_over_rows(spark, mixed):
    doubled = mixed.map(lambda r: (r.s, (r.i or 0) * 2), "s string, j bigint")
    assert [tuple(r) for r in doubled.collect()] == [("a", 2), (None, 0), ("ccc", 6), ("dd", 8)]
    split = mixed.filter(F.col("s").isNotNull()).flatMap(
        lambda r: [(r.s, c) for c in r.s], "word string, ch string")
    assert split.count() == 6
