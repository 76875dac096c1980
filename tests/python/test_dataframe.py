"""The PySpark-shaped transformations, each checked against its answer."""

import pytest

import sluice
from sluice import Window
from sluice import functions as F


def rows(df):
    return [tuple(r) for r in df.collect()]


def test_select_filter_where(people):
    df = people.select("name", (F.col("salary") / 1000).alias("k")).filter(F.col("k") > 100)
    assert df.columns == ["name", "k"]
    assert sorted(rows(df)) == [("alice", 120.0), ("bob", 135.0)]
    assert people.where("age > 40").count() == 2
    assert people.filter(people.age.isNull()).select("name").collect()[0].name == "dan"
    assert people[people["dept"] == "ops"].count() == 1


def test_unaliased_expressions_get_pyspark_names(people):
    df = people.select(F.col("age") + 1, F.upper("name"))
    assert df.columns == ["(age + 1)", "upper(name)"]
    agg = people.groupBy("dept").agg(F.sum("salary"), F.count("*"), F.countDistinct("name"))
    assert agg.columns == ["dept", "sum(salary)", "count(1)", "count(DISTINCT name)"]


def test_with_column_adds_and_replaces_in_place(people):
    df = people.withColumn("age", F.col("age") + 1).withColumn("senior", F.col("age") > 45)
    assert df.columns == ["name", "age", "dept", "salary", "hired", "senior"]
    got = dict((r.name, (r.age, r.senior)) for r in df.collect())
    assert got["bob"] == (46, True) and got["alice"] == (35, False) and got["dan"] == (None, None)


def test_rename_drop(people):
    df = people.withColumnRenamed("dept", "team").drop("salary", "hired", "missing")
    assert df.columns == ["name", "age", "team"]
    assert people.withColumnRenamed("nope", "x").columns == people.columns


def test_union_and_union_by_name(spark):
    a = spark.createDataFrame([(1, "x")], schema="id long, s string")
    b = spark.createDataFrame([("y", 2)], schema="s string, id long")
    assert sorted(rows(a.unionByName(b))) == [(1, "x"), (2, "y")]
    assert rows(a.union(a)) == [(1, "x"), (1, "x")]
    c = spark.createDataFrame([(3,)], schema="id long")
    assert sorted(rows(a.unionByName(c, allowMissingColumns=True)), key=lambda r: r[0]) == [
        (1, "x"), (3, None)]
    with pytest.raises(sluice.BindError):
        a.unionByName(c)


def test_distinct_drop_duplicates(spark):
    df = spark.createDataFrame([(1, "a"), (1, "a"), (1, "b"), (2, "b")], schema="k int, v string")
    assert df.distinct().count() == 3
    assert df.dropDuplicates(["k"]).count() == 2
    assert df.dropDuplicates().count() == 3


def test_group_by_agg(people):
    df = (people.groupBy("dept")
          .agg(F.count("*").alias("n"), F.avg("salary").alias("avg"), F.max("age").alias("oldest"),
               F.min("hired").alias("first_hire"))
          .orderBy("dept"))
    got = rows(df)
    assert [r[:4] for r in got] == [("eng", 2, 127500.0, 45), ("ops", 1, 90000.0, 51),
                                    ("sales", 2, 67500.0, 29)]
    assert str(got[0][4]) == "2018-06-01"
    assert rows(people.groupBy("dept").count().orderBy("dept")) == [("eng", 2), ("ops", 1),
                                                                    ("sales", 2)]
    assert rows(people.agg(F.sum("salary"))) == [(480000.0,)]
    assert rows(people.groupBy().agg({"age": "max"})) == [(51,)]
    assert rows(people.groupBy("dept").sum("salary").orderBy("dept"))[0] == ("eng", 255000.0)


def test_joins(spark, people):
    depts = spark.createDataFrame([("eng", "Engineering"), ("ops", "Operations"), ("hr", "People")],
                                  schema="dept string, title string")
    inner = people.join(depts, "dept").select("name", "title").orderBy("name")
    assert rows(inner)[:2] == [("alice", "Engineering"), ("bob", "Engineering")]
    assert people.join(depts, on=["dept"], how="left").count() == 5
    assert people.join(depts, "dept", "left_anti").count() == 2
    assert people.join(depts, "dept", "left_semi").count() == 3
    assert people.join(depts, "dept", "full").count() == 6
    cond = people.join(depts, people.dept == depts.dept, "inner")
    assert cond.count() == 3
    p, d = people.alias("p"), depts.alias("d")
    aliased = p.join(d, F.col("p.dept") == F.col("d.dept")).select("name", "title")
    assert aliased.count() == 3
    assert people.crossJoin(depts).count() == 15


def test_order_by_sort_limit(people):
    assert [r.name for r in people.orderBy(F.col("age").desc()).limit(2).collect()] == ["erin", "bob"]
    # Spark's orders: NULLs first ascending, last descending.
    assert people.orderBy("age").first().name == "dan"
    assert people.sort("age", ascending=False).collect()[-1].name == "dan"
    assert [r.name for r in people.orderBy(["dept", "name"], ascending=[False, True]).collect()][:2] == [
        "carol", "dan"]


def test_repartition_coalesce_keep_rows(spark):
    df = spark.range(1000)
    assert df.repartition(8).count() == 1000
    assert df.repartition(4, "id").coalesce(2).count() == 1000
    assert sorted(r.id for r in df.repartition(3).collect()) == list(range(1000))


def test_cache_unpersist(spark):
    spark.sql("CREATE TABLE src AS SELECT * FROM range(10)")
    df = spark.table("src").cache()
    assert df.is_cached and df.count() == 10
    spark.sql("INSERT INTO src SELECT * FROM range(5)")
    assert df.count() == 10  # the cached rows
    df.unpersist()
    assert not df.is_cached and df.count() == 15


def test_hint_and_explain(spark, people, capsys):
    depts = spark.createDataFrame([("eng", 1)], schema="dept string, floor int")
    joined = people.join(F.broadcast(depts), "dept")
    joined.explain()
    plan = capsys.readouterr().out
    assert "roadcast" in plan
    joined.explain(mode="analyze")
    analyzed = capsys.readouterr().out
    assert "rows" in analyzed.lower()
    joined.explain(True)
    assert "Logical Plan" in capsys.readouterr().out
    with pytest.raises(sluice.InvalidInputError):
        people.hint("nonsense")


def test_when_otherwise_and_functions(people):
    df = people.select(
        "name",
        F.when(F.col("age") >= 45, "senior").when(F.col("age") >= 30, "mid").otherwise("junior")
        .alias("band"),
        F.year("hired").alias("y"),
        F.length("name").alias("len"),
        F.coalesce(F.col("age"), F.lit(-1)).alias("age0"),
        F.concat(F.upper(F.substring("name", 1, 1)), F.substring("name", 2, 10)).alias("cap"),
        F.datediff(F.lit("2022-01-01").cast("date"), F.col("hired")).alias("days"),
        F.date_add("hired", 1).alias("next"),
        F.round(F.col("salary") / 7, 2).alias("r"),
    ).orderBy("name")
    got = {r.name: r for r in df.collect()}
    assert got["alice"].band == "mid" and got["bob"].band == "senior"
    assert got["carol"].band == "junior" and got["dan"].band == "junior"
    assert got["erin"].y == 2015 and got["dan"].y is None
    assert got["alice"].len == 5 and got["dan"].age0 == -1 and got["bob"].cap == "Bob"
    assert got["carol"].days == 298
    assert str(got["alice"].next) == "2020-01-16"
    assert got["alice"].r == 17142.86


def test_column_operators(spark):
    df = spark.createDataFrame([(7, 2, "abc")], schema="a int, b int, s string")
    r = df.select(
        (df.a + df.b).alias("add"), (df.a - 1).alias("sub"), (2 * df.a).alias("mul"),
        (df.a / df.b).alias("div"), (df.a % df.b).alias("mod"), (-df.a).alias("neg"),
        ((df.a > 5) & (df.b < 1)).alias("and_"), ((df.a > 5) | (df.b < 1)).alias("or_"),
        (~(df.a > 5)).alias("not_"), df.a.isin(1, 7).alias("isin"),
        df.a.between(1, 7).alias("btw"), df.s.like("a%").alias("like"),
        df.s.startswith("ab").alias("sw"), df.s.contains("bc").alias("ct"),
        df.a.cast("double").alias("d"), (df.a == 7).alias("eq"), (df.a != 7).alias("ne"),
    ).collect()[0]
    assert r.asDict() == {"add": 9, "sub": 6, "mul": 14, "div": 3.5, "mod": 1, "neg": -7,
                          "and_": False, "or_": True, "not_": False, "isin": True, "btw": True,
                          "like": True, "sw": True, "ct": True, "d": 7.0, "eq": True,
                          "ne": False}


def test_window_functions(people):
    w = Window.partitionBy("dept").orderBy(F.col("salary").desc())
    df = people.withColumn("rank", F.row_number().over(w)).filter("rank = 1").orderBy("dept")
    assert [(r.dept, r.name) for r in df.collect()] == [("eng", "bob"), ("ops", "erin"),
                                                       ("sales", "carol")]
    running = people.withColumn(
        "running", F.sum("salary").over(Window.orderBy("name").rowsBetween(
            Window.unboundedPreceding, Window.currentRow))).orderBy("name")
    assert [r.running for r in running.collect()][-1] == 480000.0


def test_select_expr_and_to_df(people):
    df = people.selectExpr("name", "salary * 2 AS double_salary").toDF("n", "s")
    assert df.columns == ["n", "s"]
    assert df.filter("n = 'bob'").first().s == 270000.0


def test_fillna_dropna(people):
    assert people.dropna().count() == 4
    assert people.fillna({"age": 0}).filter("age = 0").count() == 1


def test_lazy_and_immutable(people):
    filtered = people.filter(F.col("age") > 40)
    assert people.count() == 5 and filtered.count() == 2


def test_show(people, capsys):
    people.orderBy("name").show(2)
    out = capsys.readouterr().out
    assert "alice" in out and "bob" in out and "carol" not in out
