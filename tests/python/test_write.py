"""df.write: formats, modes, partitionBy, saveAsTable."""

import os

import pytest

import sluice
from sluice import functions as F


def test_write_parquet_csv_json_round_trip(spark, tmp_path):
    df = spark.range(100).withColumn("g", F.col("id") % 3)
    for fmt in ("parquet", "csv", "json"):
        path = str(tmp_path / fmt)
        getattr(df.write, fmt)(path)
        back = getattr(spark.read, fmt)(path) if fmt != "csv" else spark.read.csv(path, header=True)
        assert back.count() == 100, fmt
        assert back.agg(F.sum("g")).collect()[0][0] == sum(i % 3 for i in range(100)), fmt


def test_write_modes(spark, tmp_path):
    path = str(tmp_path / "out")
    spark.range(10).write.parquet(path)
    with pytest.raises(sluice.InvalidInputError, match="already exists"):
        spark.range(10).write.parquet(path)
    spark.range(5).write.mode("ignore").parquet(path)
    assert spark.read.parquet(path).count() == 10
    spark.range(3).write.mode("append").parquet(path)
    assert spark.read.parquet(path).count() == 13
    spark.range(4).write.parquet(path, mode="overwrite")
    assert spark.read.parquet(path).count() == 4


def test_partition_by(spark, tmp_path):
    path = str(tmp_path / "parts")
    df = spark.range(30).withColumn("g", F.col("id") % 3)
    df.write.partitionBy("g").parquet(path)
    assert sorted(os.listdir(path)) == ["g=0", "g=1", "g=2"]
    back = spark.read.parquet(path)
    assert back.filter("g = 1").count() == 10
    df.write.parquet(str(tmp_path / "p2"), partitionBy=["g"])
    assert sorted(os.listdir(tmp_path / "p2")) == ["g=0", "g=1", "g=2"]


def test_save_as_table_modes(spark):
    spark.range(3).write.saveAsTable("t")
    with pytest.raises(sluice.InvalidInputError):
        spark.range(3).write.saveAsTable("t")
    spark.range(2).write.mode("append").saveAsTable("t")
    assert spark.table("t").count() == 5
    spark.range(7).write.mode("overwrite").saveAsTable("t")
    assert spark.table("t").count() == 7
    spark.range(1).write.saveAsTable("t", mode="ignore")
    assert spark.table("t").count() == 7
