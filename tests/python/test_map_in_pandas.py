"""df.mapInPandas(fn, schema) run by the engine's tasks: fn called once per partition with an
iterator over the partition's batches."""

import re
import threading

import pandas as pd
import pytest

import sluice
from sluice import functions as F


def test_map_in_pandas_filters_rows(spark):
    def evens(frames):
        for pdf in frames:
            assert isinstance(pdf, pd.DataFrame)
            yield pdf[pdf.id % 2 == 0]

    df = spark.range(10_000).repartition(3).mapInPandas(evens, "id bigint")
    assert df.count() == 5_000
    assert df.agg(F.sum("id")).collect()[0][0] == sum(range(0, 10_000, 2))
    assert "MapBatches" in _explain(df)


def test_map_in_pandas_expands_rows_and_changes_types(spark):
    words = spark.createDataFrame([("a b", 1), (None, 2), ("c d e", 3)], "text string, n int")

    def split(frames):
        for pdf in frames:
            for text, n in zip(pdf.text, pdf.n):
                if text is None:
                    continue
                yield pd.DataFrame({"word": text.split(), "n": [float(n)] * len(text.split())})

    out = words.mapInPandas(split, "word string, n double").orderBy("word").collect()
    assert [tuple(r) for r in out] == [("a", 1.0), ("b", 1.0), ("c", 3.0), ("d", 3.0),
                                       ("e", 3.0)]


def test_map_in_pandas_runs_on_worker_threads(spark):
    threads = set()

    def record(frames):
        for pdf in frames:
            threads.add(threading.get_ident())
            yield pdf

    assert spark.range(50_000).repartition(2).mapInPandas(record, "id bigint").count() == 50_000
    assert threads and threading.get_ident() not in threads


def test_map_in_pandas_errors_name_the_function_and_rows():
    spark = sluice.connect(threads=1)

    def boom(frames):
        for pdf in frames:
            if pdf.id.max() > 3000:
                raise KeyError("late row")
            yield pdf

    with pytest.raises(sluice.PythonUdfError) as e:
        spark.range(5000).mapInPandas(boom, "id bigint").collect()
    message = str(e.value)
    assert "mapInPandas function 'boom' raised KeyError" in message
    assert re.search(r"on partition 0, after func had been given its rows 0\.\.4095", message), \
        message
    assert "Traceback" in message

    def wrong(frames):
        for pdf in frames:
            yield pdf.assign(id=pdf.id.astype(str))

    with pytest.raises(sluice.PythonUdfError, match=r"returned '0' \(str\) for a BIGINT"):
        spark.range(3).mapInPandas(wrong, "id bigint").collect()
    with pytest.raises(sluice.PythonUdfError, match="without column 'x'"):
        spark.range(3).mapInPandas(lambda it: (p.assign(y=1) for p in it), "x bigint").collect()


def test_map_in_pandas_calls_func_once_per_partition_over_all_its_batches(spark):
    calls = []
    lock = threading.Lock()

    def totals(frames):
        batches = rows = total = 0
        for pdf in frames:
            assert list(pdf.index) == list(range(len(pdf)))  # each batch indexed from 0
            batches += 1
            rows += len(pdf)
            total += int(pdf.id.sum())
        with lock:
            calls.append(batches)
        yield pd.DataFrame({"rows": [rows], "total": [total], "batches": [batches]})

    df = spark.range(30_000).repartition(3).mapInPandas(
        totals, "rows bigint, total bigint, batches bigint")
    out = df.collect()
    assert len(out) == 3 and len(calls) == 3  # one call, one output row per partition
    assert sum(r.rows for r in out) == 30_000
    assert sum(r.total for r in out) == sum(range(30_000))
    assert all(r.batches >= 2 for r in out)  # 10,000 rows arrive in several batches


def test_map_in_pandas_func_may_stop_early_or_yield_nothing(spark):
    def first_batch(frames):
        yield next(frames)

    df = spark.range(100_000).repartition(2).mapInPandas(first_batch, "id bigint")
    assert 0 < df.count() <= 2 * 2048
    assert spark.range(1000).mapInPandas(lambda it: iter(()), "id bigint").count() == 0


def test_map_in_pandas_engine_error_below_wins_over_what_func_does(spark):
    bad = spark.sql("SELECT CAST(x AS INTEGER) AS x FROM (VALUES ('1'), ('two')) t(x)")

    def swallow(frames):
        try:
            for pdf in frames:
                yield pdf
        except Exception:
            yield pd.DataFrame({"x": [-1]})

    with pytest.raises(sluice.ConversionError, match="two"):
        bad.mapInPandas(swallow, "x int").collect()


def _evens_answer(threads):
    s = sluice.connect(threads=threads, shuffle_partitions=4)
    df = s.range(30_000).repartition(4, "id").mapInPandas(
        lambda it: (p.assign(sq=p.id * p.id)[p.id % 3 == 0] for p in it), "id bigint, sq bigint")
    return [tuple(r) for r in df.orderBy("id").collect()]


def test_map_in_pandas_same_answer_with_one_and_two_threads():
    one = _evens_answer(1)
    assert one == _evens_answer(2)
    assert len(one) == 10_000 and one[5] == (15, 225)


def _explain(df):
    import contextlib
    import io
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        df.explain()
    return buf.getvalue()
