"""Sluice from Python: SQL and a PySpark-shaped DataFrame API over the Sluice engine.

    import sluice
    from sluice import functions as F
    spark = sluice.connect()
    df = spark.range(1000).withColumn("g", F.col("id") % 10)
    df.groupBy("g").agg(F.sum("id").alias("total")).orderBy("g").toPandas()
"""

from sluice.errors import *  # noqa: F401,F403
from sluice.errors import __all__ as _error_names
from sluice.column import Column
from sluice.row import Row
from sluice.window import Window
from sluice.dataframe import DataFrame, GroupedData
from sluice.readwriter import DataFrameReader, DataFrameWriter
from sluice.session import Session, SparkSession, connect
from sluice.udf import UserDefinedFunction, pandas_udf, udf
from sluice import functions, types

__all__ = [
    "connect", "Session", "SparkSession", "DataFrame", "GroupedData", "Column", "Row",
    "Window", "DataFrameReader", "DataFrameWriter", "functions", "types", "udf", "pandas_udf",
    "UserDefinedFunction",
] + list(_error_names)
