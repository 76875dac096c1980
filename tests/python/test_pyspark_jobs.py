"""Typical PySpark batch jobs, ported by changing only the import, each checked against the
same question asked in SQL: of the same session, and of DuckDB over the same data (Parquet
files the session wrote)."""

import datetime
import math
import random

import pytest

import duckdb_peer
from sluice import SparkSession, Window
from sluice import functions as F

_VIEWS = {}  # table -> the Parquet files DuckDB reads it from


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
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
    events = [(e, rng.choice(["click", "view", "buy"]), rng.choice(["a b", "b c d", "", None]),
               datetime.datetime(2024, 3, 1) + datetime.timedelta(seconds=rng.randrange(7200)))
              for e in range(3000)]
    spark.createDataFrame(events, "event_id long, kind string, tags string, ts timestamp") \
        .createOrReplaceTempView("events")
    base = tmp_path_factory.mktemp("peer")
    for table in ("customers", "orders", "events"):
        spark.table(table).write.parquet(str(base / table), mode="overwrite")
        _VIEWS[table] = str(base / table / "*.parquet")
    return spark


def _key(row):
    # NULLs sort first; doubles compare after rounding (sums may add in another order).
    return tuple((v is not None, round(v, 6) if isinstance(v, float) else str(v)) for v in row)


def _equal(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def _sorted(rows):
    return sorted((tuple(duckdb_peer.normalize(v) for v in r) for r in rows), key=_key)


def same(df, sql, spark, duckdb_sql=None):
    """df's rows equal those of `sql` in the session and in DuckDB (`duckdb_sql` where
    DuckDB spells the question differently), in any order."""
    got = _sorted(df.collect())
    peers = [("sluice sql", spark.sql(sql).collect()),
             ("duckdb", duckdb_peer.rows(duckdb_sql or sql, _VIEWS))]
    for name, want in ((n, _sorted(r)) for n, r in peers if r is not None):
        assert len(got) == len(want) > 0, (name, len(got), len(want))
        for g, w in zip(got, want):
            assert len(g) == len(w) and all(_equal(x, y) for x, y in zip(g, w)), (name, g, w)


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
    sql = ("SELECT category, sum(price * qty) AS total FROM orders GROUP BY category "
           "ORDER BY total DESC LIMIT 2")
    peers = [[tuple(r) for r in spark.sql(sql).collect()], duckdb_peer.rows(sql, _VIEWS)]
    for want in (p for p in peers if p is not None):
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


def test_events_per_tumbling_window(spark):
    df = (spark.table("events").groupBy(F.window("ts", "10 minutes"), "kind")
          .agg(F.count("*").alias("n"))
          .select(F.col("window.start"), F.col("window.end"), "kind", "n"))
    same(df, """SELECT make_timestamp(b), make_timestamp(b + 600000000), kind, count(*)
                FROM (SELECT epoch_us(ts) // 600000000 * 600000000 AS b, kind FROM events)
                GROUP BY b, kind""", spark,
         duckdb_sql="""SELECT time_bucket(INTERVAL 10 MINUTE, ts) AS s,
                              time_bucket(INTERVAL 10 MINUTE, ts) + INTERVAL 10 MINUTE, kind,
                              count(*) FROM events GROUP BY s, kind""")


def test_events_per_sliding_window(spark):
    # Windows of 15 minutes every 5: each event counts in the three windows that hold it.
    df = (spark.table("events").groupBy(F.window("ts", "15 minutes", "5 minutes"))
          .agg(F.count("*").alias("n"), F.countDistinct("kind").alias("kinds")))
    rows = df.collect()
    assert sum(r.n for r in rows) == 3 * 3000 and all(r.kinds <= 3 for r in rows)
    assert all(r.window.end - r.window.start == datetime.timedelta(minutes=15) for r in rows)
    same(df.select("window.start", "window.end", "n", "kinds"), """
        SELECT make_timestamp(s), make_timestamp(s + 900000000), count(*), count(DISTINCT kind)
        FROM (SELECT kind, epoch_us(ts) // 300000000 * 300000000 - k * 300000000 AS s
              FROM events, range(3) r(k)) GROUP BY s""", spark, duckdb_sql="""
        SELECT s, s + INTERVAL 15 MINUTE, count(*), count(DISTINCT kind) FROM (
          SELECT kind, time_bucket(INTERVAL 5 MINUTE, ts) - k * INTERVAL 5 MINUTE AS s
          FROM events, range(3) r(k)) GROUP BY s""")


def test_tag_counts_with_explode(spark):
    df = (spark.table("events").withColumn("tag", F.explode(F.split(F.col("tags"), " ")))
          .filter(F.col("tag") != "").groupBy("tag").count())
    same(df, """SELECT tag, count(*) FROM (SELECT unnest(string_split(tags, ' ')) AS tag
                FROM events) WHERE tag <> '' GROUP BY tag""", spark)


def test_distinct_pairs_and_sets_per_customer(spark):
    df = (spark.table("orders").groupBy("customer_id")
          .agg(F.countDistinct("category", "status").alias("pairs"),
               F.size(F.collect_set("category")).alias("categories")))
    same(df, """SELECT customer_id,
                       count(DISTINCT CASE WHEN status IS NOT NULL THEN category || '/' || status END),
                       len(list_distinct(list(category)))
                FROM orders GROUP BY customer_id""", spark)
