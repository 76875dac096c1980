"""Structured streaming from Python (spark.readStream / writeStream, sluice.streaming): a
source declared by load(), windows from F.window / F.session_window, watermarks, the
availableNow and continuous triggers, and errors. Each job's rows are compared with the batch
query of the same SQL over the same records."""

import time

import pytest

import sluice
from sluice import functions as F

BIDS = [
    '{"auction": 1, "price": 10, "ts": "2024-01-01 00:00:01"}',
    '{"auction": 2, "price": 3, "ts": "2024-01-01 00:00:04"}',
    '{"auction": 1, "price": 30, "ts": "2024-01-01 00:00:12"}',
    '{"auction": 3, "price": 40, "ts": "2024-01-01 00:00:25"}',
    '{"auction": 3, "price": 41, "ts": "2024-01-01 00:00:02"}',
    '{"auction": 2, "price": 7, "ts": "2024-01-01 00:00:27"}',
]


@pytest.fixture
def lake(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text("\n".join(BIDS) + "\n")
    spark = sluice.connect(str(tmp_path / "db"), threads=2)
    bids = spark.readStream.format("json") \
        .schema("auction BIGINT, price BIGINT, ts TIMESTAMP") \
        .load(str(tmp_path / "in"), name="bids")
    return spark, bids, tmp_path


def rows(spark, sql):
    return [tuple(r) for r in spark.sql(sql).collect()]


def test_tumbling_window_counts_equal_batch(lake):
    spark, bids, _ = lake
    counts = (bids.withWatermark("ts", "5 seconds")
                  .filter(F.col("price") > 5)
                  .groupBy(F.window("ts", "10 seconds"))
                  .agg(F.count("*").alias("bids"), F.sum("price").alias("volume")))
    q = counts.writeStream.trigger(availableNow=True).toTable("counts")
    assert q.awaitTermination()
    assert q.stats["records"] == 6
    assert q.stats["late_rows"] == 1  # 00:00:02 after the watermark reached 00:00:20
    got = rows(spark, "SELECT window_start, bids, volume FROM counts ORDER BY 1")
    assert [(str(s), n, v) for s, n, v in got] == [
        ("2024-01-01 00:00:00", 1, 10), ("2024-01-01 00:00:10", 1, 30), ("2024-01-01 00:00:20", 2, 47)]
    assert rows(spark, "SELECT auction, price FROM counts_late") == [(3, 41)]
    # The windows the late row did not touch equal the batch query of the same SQL.
    later = " WHERE window_start > TIMESTAMP '2024-01-01 00:00:00'"
    diff = rows(spark, "SELECT count(*) FROM ((SELECT * FROM counts%s) EXCEPT ALL (SELECT * FROM (%s)%s))"
                % (later, counts.sql, later))
    assert diff == [(0,)]
    assert q.status["state"] == "finished"


def test_sliding_window_and_row_steps(lake):
    spark, bids, _ = lake
    hop = (bids.withWatermark("ts", "1 minute")
               .withColumn("price", F.col("price") * 100)
               .select("auction", "price", "ts")
               .groupBy(F.window("ts", "10 seconds", "5 seconds"), "auction")
               .agg(F.max("price").alias("top")))
    hop.writeStream.trigger(availableNow=True).queryName("hop_job").toTable("tops").awaitTermination()
    streamed = sorted(rows(spark, "SELECT * FROM tops"))
    batch = sorted(rows(spark, hop.sql))
    assert streamed == batch and len(streamed) == 12


def test_session_windows_per_key(lake):
    spark, bids, _ = lake
    sessions = (bids.withWatermark("ts", "1 minute")
                    .groupBy(F.session_window("ts", "10 seconds"), "auction")
                    .count())
    sessions.writeStream.trigger(availableNow=True).toTable("sessions").awaitTermination()
    got = rows(spark, "SELECT auction, window_start, window_end, count FROM sessions ORDER BY 1, 2")
    assert [(a, str(s)[-8:], str(e)[-8:], n) for a, s, e, n in got] == [
        (1, "00:00:01", "00:00:11", 1), (1, "00:00:12", "00:00:22", 1),
        (2, "00:00:04", "00:00:14", 1), (2, "00:00:27", "00:00:37", 1),
        (3, "00:00:02", "00:00:12", 1), (3, "00:00:25", "00:00:35", 1)]


def test_continuous_query_picks_up_new_files(lake):
    spark, bids, tmp = lake
    q = bids.select("auction", "price").writeStream.trigger(processingTime="100 milliseconds") \
        .toTable("copied")
    deadline = time.time() + 60
    while q.status.get("records") != 6 and time.time() < deadline:
        time.sleep(0.02)
    (tmp / "in" / "b.jsonl").write_text('{"auction": 9, "price": 1, "ts": "2024-01-01 00:00:29"}\n')
    while q.status.get("records") != 7 and time.time() < deadline:
        time.sleep(0.02)
    assert q.isActive
    q.stop()
    assert q.stats["records"] == 7
    assert rows(spark, "SELECT count(*), sum(price) FROM copied") == [(7, 132)]


def test_errors(lake):
    spark, bids, _ = lake
    with pytest.raises(ValueError, match="nope is not a table over a stream"):
        spark.readStream.table("nope")
    with pytest.raises(ValueError, match="outputMode 'complete'"):
        bids.writeStream.outputMode("complete")
    with pytest.raises(ValueError, match="schema"):
        spark.readStream.format("json").load("/tmp")
    # A windowed job must say when a row is final: grouping without the window is refused.
    with pytest.raises(Exception, match="window_end"):
        bids.withWatermark("ts", "1 second").groupBy("auction").count().writeStream \
            .trigger(availableNow=True).toTable("t")
