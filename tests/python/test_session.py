"""sluice.connect, settings, SQL, readers, tables, range and the dbt runner."""

import os

import pytest

import sluice


def test_connect_takes_settings_as_keywords():
    s = sluice.connect(threads=3, shuffle_partitions=5, adaptive=False)
    assert s.conf.get("threads") == "3"
    assert s.conf.get("shuffle_partitions") == "5"
    assert s.conf.get("adaptive") == "false"


def test_conf_set_and_unset(spark):
    spark.conf.set("shuffle_partitions", 7)
    assert spark.conf.get("shuffle_partitions") == "7"
    spark.conf.unset("shuffle_partitions")
    assert spark.conf.get("shuffle_partitions") != "7"
    with pytest.raises(sluice.InvalidInputError, match="shuffle_partition"):
        spark.conf.set("shuffle_partition", 3)


def test_sql_query_is_lazy_and_other_statements_run(spark):
    assert spark.sql("CREATE TABLE t (a INTEGER, b VARCHAR)") is None
    spark.sql("INSERT INTO t VALUES (1, 'x'), (2, 'y')")
    df = spark.sql("SELECT a * 10 AS a10, b FROM t ORDER BY a")
    # Lazy: a row inserted after sql() is seen by the action.
    spark.sql("INSERT INTO t VALUES (3, 'z')")
    assert [tuple(r) for r in df.collect()] == [(10, "x"), (20, "y"), (30, "z")]
    shown = spark.sql("SHOW TABLES")
    assert "t" in [r[0] for r in shown.collect()]


def test_sql_errors_are_typed_and_positioned(spark):
    with pytest.raises(sluice.ParseError) as e:
        spark.sql("SELECT 1 +")
    assert "line 1" in str(e.value) and "^" in str(e.value)
    with pytest.raises(sluice.BindError, match="nope"):
        spark.sql("SELECT nope FROM range(3)")


def test_table_and_temp_view(spark, people):
    people.createOrReplaceTempView("people")
    assert spark.table("people").count() == 5
    assert spark.sql("SELECT count(*) FROM people WHERE dept = 'eng'").collect()[0][0] == 2
    assert spark.catalog.tableExists("people")


def test_range_matches_pyspark(spark):
    df = spark.range(5)
    assert df.columns == ["id"]
    assert [r.id for r in df.collect()] == [0, 1, 2, 3, 4]
    assert [r.id for r in spark.range(2, 10, 3).collect()] == [2, 5, 8]


def test_readers(spark, tmp_path):
    csv = tmp_path / "a.csv"
    csv.write_text("k;v\n1;x\n2;\n")
    df = spark.read.csv(str(csv), header=True, sep=";")
    assert df.columns == ["k", "v"]
    assert [tuple(r) for r in df.orderBy("k").collect()] == [(1, "x"), (2, None)]
    js = tmp_path / "a.json"
    js.write_text('{"k": 1, "s": "a"}\n{"k": 2, "s": "b"}\n')
    assert spark.read.json(str(js)).count() == 2
    spark.range(10).write.parquet(str(tmp_path / "p"))
    assert spark.read.parquet(str(tmp_path / "p")).count() == 10
    assert spark.read.format("parquet").load(str(tmp_path / "p")).count() == 10
    with pytest.raises(sluice.InvalidInputError, match="unknown CSV option"):
        spark.read.csv(str(csv), bogus=1)


def test_warehouse_directory_persists(tmp_path):
    db = str(tmp_path / "wh")
    s = sluice.connect(db=db)
    s.range(4).write.saveAsTable("nums")
    del s
    again = sluice.connect(db=db)
    assert again.table("nums").count() == 4


def test_dbt_build(tmp_path):
    project = tmp_path / "proj"
    (project / "models").mkdir(parents=True)
    (project / "dbt_project.yml").write_text("name: p\nversion: '1'\nprofile: p\n")
    (project / "models" / "a.sql").write_text("select 1 as x union all select 2 as x")
    (project / "models" / "b.sql").write_text("select sum(x) as s from {{ ref('a') }}")
    s = sluice.connect(db=str(tmp_path / "wh"))
    report = s.dbt.build(str(project), select="a")
    assert report["success"]
    assert [r["unique_id"] for r in report["results"]] == ["model.p.a"]
    report = s.dbt.build(str(project))
    assert report["success"]
    assert s.table("b").collect()[0].s == 3
