"""Typed exceptions with the engine's messages, and Ctrl-C / interrupt cancelling a query."""

import _thread
import threading

import pytest

import sluice
from sluice import Window
from sluice import functions as F


def test_exception_hierarchy():
    assert issubclass(sluice.ParseError, sluice.UserError)
    assert issubclass(sluice.UserError, sluice.Error)
    assert issubclass(sluice.OutOfMemoryError, MemoryError)
    assert issubclass(sluice.InvalidInputError, ValueError)


def test_bind_error_from_a_dataframe_call_names_the_column(spark, people):
    with pytest.raises(sluice.BindError) as e:
        people.select(F.col("salry") * 2)
    message = str(e.value)
    assert "salry" in message and "salary" in message  # "did you mean"
    assert "^" in message


def test_conversion_error_when_the_query_runs(spark):
    df = spark.createDataFrame([("12",), ("x",)], schema="s string")
    bad = df.select(F.col("s").cast("int").alias("i"))
    with pytest.raises(sluice.ConversionError, match="x"):
        bad.collect()


def test_out_of_memory_is_typed(spark):
    spark.conf.set("memory_limit", "1MB")
    # A window over one ordered partition keeps its rows in memory (it does not spill).
    df = spark.range(3_000_000).withColumn("r", F.row_number().over(Window.orderBy("id")))
    with pytest.raises(sluice.OutOfMemoryError, match="memory_limit"):
        df.count()


def _endless(spark):
    # A cross join of 200k x 200k rows counted: hours of work, so only a cancel ends it soon.
    a = spark.range(200_000)
    return a.crossJoin(a.withColumnRenamed("id", "id2")).filter(F.col("id") + F.col("id2") < 0)


def test_ctrl_c_cancels_a_running_query(spark):
    timer = threading.Timer(0.5, _thread.interrupt_main)
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            _endless(spark).count()
    finally:
        timer.cancel()
    # The session still works afterwards.
    assert spark.range(3).count() == 3


def test_interrupt_from_another_thread(spark):
    timer = threading.Timer(0.5, spark.interrupt)
    timer.start()
    try:
        with pytest.raises(sluice.InterruptError):
            _endless(spark).count()
    finally:
        timer.cancel()
    assert spark.range(3).count() == 3
