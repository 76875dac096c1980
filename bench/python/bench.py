"""The Python side of bench/python/run.sh: best of RUNS seconds per workload, one JSON line
each. engine_gather is the engine's run plus the gather into one buffer per column (what
toPandas() starts from); to_pandas adds the pandas DataFrame around those buffers."""

import json
import sys
import time

import sluice
from sluice import functions as F

path, threads, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
spark = sluice.connect(threads=threads, max_collect_bytes=0)


def best(name, fn, check):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
        check(out)
    print(json.dumps({"name": name, "seconds": round(min(times), 4)}), flush=True)
    return min(times)


df = spark.read.parquet(path)
rows = df.count()
gather = best("python_engine_gather", lambda: df._jdf.gather(0), lambda out: None)
pandas_time = best("python_to_pandas_5_columns", df.toPandas,
                   lambda pdf: pdf.shape == (rows, 5) or sys.exit("wrong shape"))
grouped = df.groupBy("k").agg(F.sum("v").alias("sv"), F.count("*").alias("n"),
                              F.avg("x").alias("ax"))
group_time = best("python_groupby_to_pandas", grouped.toPandas,
                  lambda pdf: len(pdf) == 1000 or sys.exit("wrong group count"))
group_engine = best("python_groupby_engine_gather", lambda: grouped._jdf.gather(0),
                    lambda out: None)
print(json.dumps({"name": "python_layer_overhead_to_pandas",
                  "ratio": round(pandas_time / gather, 3)}))
print(json.dumps({"name": "python_layer_overhead_groupby",
                  "ratio": round(group_time / group_engine, 3)}))
