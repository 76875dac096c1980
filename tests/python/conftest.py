"""Fixtures of the Python module's tests: a session in memory and small sample data."""

import datetime
import decimal

import pytest

import sluice


@pytest.fixture
def spark():
    return sluice.connect(threads=2, shuffle_partitions=4)


@pytest.fixture
def people(spark):
    return spark.createDataFrame(
        [
            ("alice", 34, "eng", 120000.0, datetime.date(2020, 1, 15)),
            ("bob", 45, "eng", 135000.0, datetime.date(2018, 6, 1)),
            ("carol", 29, "sales", 70000.0, datetime.date(2021, 3, 9)),
            ("dan", None, "sales", 65000.0, None),
            ("erin", 51, "ops", 90000.0, datetime.date(2015, 11, 30)),
        ],
        schema="name string, age int, dept string, salary double, hired date",
    )


@pytest.fixture
def amounts(spark):
    return spark.createDataFrame(
        [(1, decimal.Decimal("10.25")), (2, decimal.Decimal("-3.10")), (3, None)],
        schema="id bigint, amount decimal(10,2)",
    )
