"""Typical PySpark batch jobs, ported by changing only the import, each checked against the
same question asked in SQL of the same session (and so the same engine)."""

import datetime
import math
import random

import pytest

from sluice import SparkSession, Window
from sluice import functions as F


@pytest.fixture(scope="module")
def spark():
    spark = (SparkSession.builder.appName("jobs").config("spark.sql.shuffle.partitions", 4)
             .config("threads", 2).getOrCreate())
    rng = random.Random(7)
    customers = [(c, "cust%03d" % c, rng.choice(["NL", "DE", "FR", None]),
                  datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randrange(900)))
                 for c in range(200)]
    orders = []
    for o in range(5000):
        orders.append((o, rng.randrange(220), rng.choice(["book", "game", "tool", "food"]),
                       round(rng.uniform(1, 500), 2), rng.randrange(1, 6),
                       datetime.datetime(2023, 1, 1) + datetime.timedelta(minutes=rng.randrange(500000)),
                       rng.choice(["paid", "paid", "refunded", None])))
    spark.createDataFrame(customers, "customer_id long, name string, country string, signup date") \
        .createOrReplaceTempView("customers")
    spark.createDataFrame(orders, "order_id long, customer_id long, category string, price double, "
                                  "qty int, ts timestamp, status string") \
        .createOrReplaceTempView("orders")
    return spark


def _key(row):
    # NULLs sort first; doubles compare after rounding (sums may add in another order).
    return tuple((v is not None, round(v, 6) if isinstance(v, float) else v) for v in row)


def _equal(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def same(df, sql, spark):
    got = sorted((tuple(r) for r in df.collect()), key=_key)
    want = sorted((tuple(r) for r in spark.sql(sql).collect()), key=_key)
    assert len(got) == len(want) > 0
    for g, w in zip(got, want):
        assert len(g) == len(w) and all(_equal(x, y) for x, y in zip(g, w)), (g, w)


def test_revenue_per_country(spark):
    orders, customers = spark.table("orders"), spark.table("customers")
    df = (orders.filter(F.col("status") == "paid")
          .withColumn("revenue", F.col("price") * F.col("qty"))
          .join(customers, "customer_id")
          .groupBy("country")
          .agg(F.round(F.sum("revenue"), 2).alias("revenue"), F.countDistinct("customer_id").alias("buyers")))
    same(df, """SELECT country, round(sum(price * qty), 2), count(DISTINCT o.customer_id)
                FROM orders o JOIN customers c ON o.customer_id = c.customer_id
                WHERE status = 'paid' GROUP BY country""", spark)


def test_orders_without_customer(spark):
    orders, customers = spark.table("orders"), spark.table("customers")
    df = orders.join(customers, "customer_id", "left_anti").groupBy("category").count()
    same(df, """SELECT category, count(*) FROM orders o
                WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.customer_id = o.customer_id)
                GROUP BY category""", spark)


def test_top_order_per_customer_window(spark):
    w = Window.partitionBy("customer_id").orderBy(F.col("price").desc(), F.col("order_id"))
    df = (spark.table("orders").withColumn("rn", F.row_number().over(w))
          .filter(F.col("rn") == 1).select("customer_id", "order_id", "price"))
    same(df, """SELECT customer_id, order_id, price FROM (
                  SELECT *, row_number() OVER (PARTITION BY customer_id
                                               ORDER BY price DESC, order_id) AS rn
                  FROM orders) WHERE rn = 1""", spark)


def test_monthly_status_pivot_by_when(spark):
    df = (spark.table("orders")
          .withColumn("month", F.month("ts"))
          .groupBy("month")
          .agg(F.sum(F.when(F.col("status") == "paid", 1).otherwise(0)).alias("paid"),
               F.sum(F.when(F.col("status").isNull(), 1).otherwise(0)).alias("unknown"),
               F.count("*").alias("n")))
    same(df, """SELECT month(ts), sum(CASE WHEN status = 'paid' THEN 1 ELSE 0 END),
                       sum(CASE WHEN status IS NULL THEN 1 ELSE 0 END), count(*)
                FROM orders GROUP BY month(ts)""", spark)


def test_dedup_and_union(spark):
    o = spark.table("orders")
    df = (o.select("customer_id", "category").union(o.select("customer_id", "category"))
          .dropDuplicates().groupBy("category").count())
    same(df, """SELECT category, count(*) FROM (SELECT DISTINCT customer_id, category FROM orders)
                GROUP BY category""", spark)


def test_customer_tenure_buckets(spark):
    c = spark.table("customers")
    df = (c.withColumn("days", F.datediff(F.lit("2023-01-01").cast("date"), F.col("signup")))
          .withColumn("bucket", F.when(F.col("days") > 365, "old").otherwise("new"))
          .groupBy("bucket", "country").agg(F.avg("days").alias("avg_days"), F.max("signup").alias("last")))
    same(df, """SELECT CASE WHEN date_diff('day', signup, DATE '2023-01-01') > 365 THEN 'old'
                            ELSE 'new' END AS bucket, country,
                       avg(date_diff('day', signup, DATE '2023-01-01')), max(signup)
                FROM customers GROUP BY 1, 2""", spark)


def test_top_categories_ordered(spark):
    df = (spark.table("orders").groupBy("category")
          .agg(F.sum(F.col("price") * F.col("qty")).alias("total"))
          .orderBy(F.col("total").desc()).limit(2))
    got = [tuple(r) for r in df.collect()]
    want = [tuple(r) for r in spark.sql(
        "SELECT category, sum(price * qty) AS total FROM orders GROUP BY category "
        "ORDER BY total DESC LIMIT 2").collect()]
    assert [g[0] for g in got] == [w[0] for w in want]
    assert all(math.isclose(g[1], w[1], rel_tol=1e-9) for g, w in zip(got, want))


def test_string_cleanup_job(spark):
    df = (spark.table("customers")
          .withColumn("code", F.upper(F.substring("name", 1, 4)))
          .withColumn("country", F.coalesce(F.col("country"), F.lit("??")))
          .groupBy("code", "country").count())
    same(df, """SELECT upper(substring(name, 1, 4)), coalesce(country, '??'), count(*)
                FROM customers GROUP BY 1, 2""", spark)


def test_broadcast_join_same_answer(spark):
    orders, customers = spark.table("orders"), spark.table("customers")
    df = orders.join(F.broadcast(customers), "customer_id").groupBy("country").agg(F.sum("qty"))
    same(df, """SELECT country, sum(qty) FROM orders JOIN customers USING (customer_id)
                GROUP BY country""", spark)
