"""Nested values out to Python (lists, structs as Rows, maps as dicts, TIME), and the PySpark
functions that make or expand them: window, explode, split, array, struct, collect_set,
multi-column countDistinct."""

import datetime
import decimal

import pytest

from sluice import Row
from sluice import functions as F


def test_nested_values_collect_as_pyspark_gives_them(spark):
    row = spark.sql("""SELECT [1, NULL, 3] AS l, {'a': 1, 'b': 'x'} AS s, MAP {'k': 2.5} AS m,
                              [{'d': DATE '2024-02-29', 't': TIMESTAMP '2024-01-01 10:00:01.5'}] AS ls,
                              TIME '13:45:07.25' AS tm, [1.50::DECIMAL(4,2)] AS dl,
                              CAST(NULL AS INTEGER[]) AS nl, [[1], []] AS ll""").collect()[0]
    assert row.l == [1, None, 3]
    assert row.s == Row(a=1, b="x") and row.s.a == 1 and row.s["b"] == "x"
    assert row.m == {"k": 2.5}
    assert row.ls[0].d == datetime.date(2024, 2, 29)
    assert row.ls[0].t == datetime.datetime(2024, 1, 1, 10, 0, 1, 500000)
    assert row.tm == datetime.time(13, 45, 7, 250000)
    assert row.dl == [decimal.Decimal("1.50")]
    assert row.nl is None and row.ll == [[1], []]
    pdf = spark.sql("SELECT [i, i + 1] AS l, {'i': i} AS s FROM range(3) t(i)").toPandas()
    assert list(pdf.l) == [[0, 1], [1, 2], [2, 3]] and pdf.s[2].i == 2


def _events(spark):
    times = ["2024-03-01 00:00:00", "2024-03-01 00:04:59", "2024-03-01 00:05:00",
             "2024-03-01 00:12:30", None]
    return spark.createDataFrame(
        [(i, datetime.datetime.fromisoformat(t) if t else None) for i, t in enumerate(times)],
        "id int, ts timestamp")


def test_window_tumbling_is_half_open_and_aligned(spark):
    df = _events(spark).select("id", F.window("ts", "5 minutes").alias("w")).orderBy("id")
    got = [(r.id, r.w.start.strftime("%H:%M") if r.w else None) for r in df.collect()]
    assert got == [(0, "00:00"), (1, "00:00"), (2, "00:05"), (3, "00:10"), (4, None)]
    assert all(r.w.end - r.w.start == datetime.timedelta(minutes=5)
               for r in df.collect() if r.w is not None)
    shifted = _events(spark).select(F.window("ts", "5 minutes", startTime="2 minutes")
                                    .alias("w")).collect()
    assert shifted[0].w.start == datetime.datetime(2024, 2, 29, 23, 57)


def test_window_sliding_gives_each_row_every_window_that_holds_it(spark):
    df = _events(spark).filter(F.col("id") == 3)
    # 10-minute windows every 5 minutes: 00:12:30 is in [00:05, 00:15) and [00:10, 00:20).
    starts = sorted(r.window.start.strftime("%H:%M")
                    for r in df.select(F.window("ts", "10 minutes", "5 minutes")).collect())
    assert starts == ["00:05", "00:10"]
    # 10-minute windows every 4 minutes (not a divisor): starts 00:04, 00:08, 00:12 hold it.
    counts = (df.groupBy(F.window("ts", "10 minutes", "4 minutes")).count()
              .select("window.start", "count").orderBy("start").collect())
    assert [(r.start.strftime("%H:%M"), r["count"]) for r in counts] == \
        [("00:04", 1), ("00:08", 1), ("00:12", 1)]
    with pytest.raises(ValueError, match="not months"):
        F.window("ts", "1 month")
    with pytest.raises(ValueError, match="slideDuration <= windowDuration"):
        F.window("ts", "1 minute", "2 minutes")


def test_explode_split_array_struct(spark):
    df = spark.createDataFrame([(1, "a,b;c"), (2, ""), (3, None)], "id int, s string")
    parts = df.select("id", F.explode(F.split("s", "[,;]")).alias("p")).orderBy("id", "p")
    assert [tuple(r) for r in parts.collect()] == [(1, "a"), (1, "b"), (1, "c"), (2, "")]
    outer = df.select("id", F.explode_outer(F.split("s", ",")).alias("p")).orderBy("id", "p")
    assert [tuple(r) for r in outer.collect()] == [(1, "a"), (1, "b;c"), (2, ""), (3, None)]
    made = df.filter(F.col("id") == 1).select(F.array("id", F.lit(7)).alias("a"),
                                              F.struct("id", "s").alias("st")).collect()[0]
    assert made.a == [1, 7] and made.st == Row(id=1, s="a,b;c")
    assert F.explode("x")._output_name() == "col"


def test_count_distinct_of_several_columns_skips_rows_with_a_null(spark):
    df = spark.createDataFrame([(1, "a"), (1, "a"), (1, "b"), (2, None), (None, "a")],
                               "x int, y string")
    out = df.agg(F.countDistinct("x", "y"), F.countDistinct("x"),
                 F.size(F.collect_set("y")).alias("ys"))
    assert out.columns == ["count(DISTINCT x, y)", "count(DISTINCT x)", "ys"]
    assert tuple(out.collect()[0]) == (2, 2, 2)
    grouped = df.groupBy("x").agg(F.countDistinct("x", "y").alias("n")).orderBy("x").collect()
    assert [(r.x, r.n) for r in grouped] == [(None, 0), (1, 2), (2, 0)]


def test_initcap_as_spark(spark):
    df = spark.createDataFrame([("hello WORLD",), ("élan  vital",), (None,)], "s string")
    assert [r[0] for r in df.select(F.initcap("s")).collect()] == \
        ["Hello World", "Élan  Vital", None]


def test_collect_list_and_set_skip_nulls_as_spark(spark):
    df = spark.createDataFrame([(1, 3), (1, None), (1, 3), (2, None)], "g int, x int")
    out = df.groupBy("g").agg(F.collect_list("x").alias("l"), F.collect_set("x").alias("s")) \
        .orderBy("g").collect()
    assert [(r.g, r.l, r.s) for r in out] == [(1, [3, 3], [3]), (2, [], [])]
    assert df.agg(F.collect_list("x")).columns == ["collect_list(x)"]
