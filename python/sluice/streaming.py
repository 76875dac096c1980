"""Structured streaming (PySpark's readStream / writeStream) over Sluice's streaming jobs.

    bids = spark.readStream.format("json").schema("auction BIGINT, price BIGINT, ts TIMESTAMP") \\
        .load("/data/bids", name="bids")                   # or spark.readStream.table("bids")
    q = (bids.withWatermark("ts", "5 seconds")
             .groupBy(F.window("ts", "10 seconds"), "auction")
             .agg(F.count("*").alias("bids"))
             .writeStream.trigger(availableNow=True).toTable("counts"))
    q.awaitTermination()

A streaming DataFrame is the SQL of a `sluice stream run` job, built step by step (`sql`
shows it); `toTable` runs that job over the session's warehouse, so windows, watermarks, late
rows (`<sink>_late`), dead letters, checkpoints and exactly-once commits are the SQL job's
(docs/streaming.md). A window grouping (`F.window`, `F.session_window`) becomes the window
table function over the source; its result has the columns `window_start` and `window_end`
(not Spark's `window` struct), by which the job knows when a window is final.
"""

import itertools
import json

from sluice.column import Column, _flatten, col_column, quote, sql_literal
from sluice.readwriter import _Options
from sluice.types import StructType, to_sql_type

_names = itertools.count(1)

# Spark's Kafka options, as the kafka connector spells them.
_KAFKA_OPTIONS = {"kafka.bootstrap.servers": "properties.bootstrap.servers",
                  "subscribe": "topic"}
_STARTING = {"earliest": "earliest-offset", "latest": "latest-offset"}


def _micros(text, what):
    from sluice.functions import _duration_micros
    us = _duration_micros(text, what)
    if us <= 0:
        raise ValueError("%s %r must be positive" % (what, text))
    return us


def _interval(us):
    return "INTERVAL '%d' MICROSECOND" % us


def _columns_of(cols):
    return [c if isinstance(c, Column) else col_column(c) for c in _flatten(cols)]


class DataStreamReader(_Options):
    """spark.readStream: a table over a stream, declared with CREATE TABLE ... WITH
    ('connector' = ...) or by format/option/schema then load()."""

    def __init__(self, session):
        self._session = session
        self._format = None
        self._options = {}
        self._schema = None

    def format(self, source):
        self._format = source
        return self

    def schema(self, schema):
        """A StructType or "a BIGINT, ts TIMESTAMP"."""
        if isinstance(schema, StructType):
            schema = ", ".join("%s %s" % (quote(f.name), to_sql_type(f.dataType)) for f in schema.fields)
        self._schema = schema
        return self

    def table(self, tableName):
        columns = self._session._s.source_columns(tableName)
        if columns is None:
            raise ValueError("%s is not a table over a stream (declare it with CREATE TABLE ... "
                             "WITH ('connector' = ...), or with readStream...load(name=...))"
                             % tableName)
        return StreamingDataFrame(self._session, tableName, list(columns))

    def load(self, path=None, format=None, schema=None, name=None, **options):
        """Declares source `name` (default: a new name) with the format, options and schema
        given, in the session's warehouse, and reads it. Formats: json, csv, parquet (a
        directory of files: connector filesystem), kafka, redis-stream, nexmark."""
        if format is not None:
            self.format(format)
        if schema is not None:
            self.schema(schema)
        self.options(**options)
        if self._format is None:
            raise ValueError("readStream: format(...) comes before load()")
        if self._schema is None:
            raise ValueError("readStream: schema(...) comes before load() (a stream's columns)")
        opts = {}
        for key, value in self._options.items():
            key = _KAFKA_OPTIONS.get(key, key)
            if key == "startingOffsets":
                key, value = "scan.startup.mode", _STARTING.get(value, value)
            opts[key] = value
        if self._format in ("json", "csv", "parquet"):
            opts.setdefault("format", self._format)
            connector = "filesystem"
        else:
            connector = self._format
        if path is not None:
            opts["path"] = str(path)
        opts["connector"] = connector
        name = name or "stream_%d" % next(_names)
        with_list = ", ".join("%s = %s" % (sql_literal(k), sql_literal(v)) for k, v in sorted(opts.items()))
        self._session._s.sql("CREATE OR REPLACE TABLE %s (%s) WITH (%s)" % (quote(name), self._schema, with_list))
        return self.table(name)

    def json(self, path, schema=None, name=None):
        return self.load(path, "json", schema, name)

    def csv(self, path, schema=None, name=None):
        return self.load(path, "csv", schema, name)

    def parquet(self, path, schema=None, name=None):
        return self.load(path, "parquet", schema, name)


class StreamingDataFrame:
    """A DataFrame over a stream (isStreaming): row steps, a watermark, one window grouping,
    then writeStream."""

    isStreaming = True

    def __init__(self, session, source, columns, watermark=None, window=None, steps=()):
        self._session = session
        self._source = source
        self._source_columns = columns
        self._watermark = watermark  # (column, delay in microseconds) or None
        self._window = window        # the window table function's SQL, or None
        self._steps = tuple(steps)   # ("select", cols, before_window) / ("filter", text) / ...

    def _with(self, **changes):
        args = dict(session=self._session, source=self._source, columns=self._source_columns,
                    watermark=self._watermark, window=self._window, steps=self._steps)
        args.update(changes)
        return StreamingDataFrame(**args)

    def _step(self, *step):
        return self._with(steps=self._steps + (step,))

    # --- steps --------------------------------------------------------------------------
    def withWatermark(self, eventTime, delayThreshold):
        if self._window is not None:
            raise ValueError("withWatermark comes before the window grouping")
        return self._with(watermark=(eventTime, _micros(delayThreshold, "delayThreshold")))

    def select(self, *cols):
        return self._step("select", _columns_of(cols), False)

    def selectExpr(self, *exprs):
        return self._step("select", [Column((e,), e) for e in _flatten(exprs)], False)

    def filter(self, condition):
        return self._step("filter", condition if isinstance(condition, str) else condition._render())

    where = filter

    def withColumn(self, colName, col):
        return self._step("with", colName, col)

    def groupBy(self, *cols):
        return StreamingGroupedData(self, _columns_of(cols))

    groupby = groupBy

    # --- the job's SQL ------------------------------------------------------------------
    @property
    def sql(self):
        """The job's query: SELECT ... FROM <source> | TABLE(<window>(TABLE <source>, ...))."""
        columns = list(self._source_columns)
        window_columns = ["window_start", "window_end", "window_time"]
        if self._window is not None:
            columns += window_columns
            text = "SELECT * FROM TABLE(%s)" % self._window
        else:
            text = "SELECT * FROM %s" % quote(self._source)
        for step in self._steps:
            src = " FROM (%s) AS _s" % text
            if step[0] == "filter":
                text = "SELECT *%s WHERE %s" % (src, step[1])
            elif step[0] == "select":
                cols, before_window = step[1], step[2]
                items = [c._select_item() for c in cols]
                names = [c._output_name() for c in cols]
                if before_window and self._window is not None:
                    items += [quote(w) for w in window_columns]
                    names += window_columns
                text = "SELECT %s%s" % (", ".join(items), src)
                columns = names
            elif step[0] == "with":
                name, col = step[1], step[2]
                item = "%s AS %s" % (col._render(), quote(name))
                if name.lower() in (c.lower() for c in columns):
                    text = "SELECT * REPLACE (%s)%s" % (item, src)
                else:
                    text = "SELECT *, %s%s" % (item, src)
                    columns = columns + [name]
            elif step[0] == "agg":
                keys, exprs = step[1], step[2]
                items = [k._select_item() for k in keys] + [e._select_item() for e in exprs]
                tail = " GROUP BY " + ", ".join(k._render() for k in keys) if keys else ""
                text = "SELECT %s%s%s" % (", ".join(items), src, tail)
                columns = [c._output_name() for c in keys + exprs]
        return text

    @property
    def columns(self):
        return list(self._source_columns)

    @property
    def writeStream(self):
        return DataStreamWriter(self)

    def _job_sql(self, table):
        ddl = ""
        if self._watermark is not None:
            ddl = self._session._s.source_ddl(self._source, self._watermark[0], self._watermark[1]) + ";\n"
        return "%sINSERT INTO %s\n%s;\n" % (ddl, quote(table), self.sql)


class StreamingGroupedData:
    """groupBy(...) of a streaming DataFrame: a window key becomes the window table function
    over the source, grouped by window_start and window_end."""

    def __init__(self, df, keys):
        self._df = df
        self._keys = keys

    def agg(self, *exprs):
        exprs = _flatten(exprs)
        df, keys = self._df, []
        for k in self._keys:
            spec = getattr(k, "_window", None)
            if spec is None:
                keys.append(k)
                continue
            if df._window is not None:
                raise ValueError("a streaming query groups by one window")
            if any(s[0] == "agg" for s in df._steps):
                raise ValueError("the window grouping comes before any other aggregation")
            time = spec[1]
            if time is None or time.lower() not in (c.lower() for c in df._source_columns):
                raise ValueError("a streaming window's time is a column of the source %s" % df._source)
            table = "TABLE %s" % quote(df._source)
            if spec[0] == "session":
                # Spark's sessions are per value of the other grouping keys.
                by = [o._is_plain_ref() for o in self._keys if getattr(o, "_window", None) is None]
                if any(b is None for b in by):
                    raise ValueError("session_window groups with plain columns only")
                if by:
                    table += " PARTITION BY " + (quote(by[0]) if len(by) == 1 else
                                                 "(" + ", ".join(quote(b) for b in by) + ")")
                call = "SESSION(%s, DESCRIPTOR(%s), %s)" % (table, quote(time), _interval(spec[2]))
            elif spec[2] == spec[3]:
                call = "TUMBLE(%s, DESCRIPTOR(%s), %s, %s)" % (table, quote(time), _interval(spec[2]),
                                                              _interval(spec[4]))
            else:
                call = "HOP(%s, DESCRIPTOR(%s), %s, %s, %s)" % (table, quote(time), _interval(spec[3]),
                                                               _interval(spec[2]), _interval(spec[4]))
            steps = tuple((s[0], s[1], True) if s[0] == "select" else s for s in df._steps)
            df = df._with(window=call, steps=steps)
            keys += [col_column("window_start"), col_column("window_end")]
        return df._step("agg", keys, exprs)

    def count(self):
        from sluice import functions as F
        return self.agg(F.count("*").alias("count"))


class DataStreamWriter:
    """df.writeStream: how the job runs, then toTable(name) starts it."""

    def __init__(self, df):
        self._df = df
        self._until_idle = False
        self._checkpoint_ms = 0
        self._name = ""

    def outputMode(self, outputMode):
        if outputMode.lower() != "append":
            raise ValueError("outputMode %r: a streaming job appends the rows that are final "
                             "(windows the watermark passed); update and complete are not "
                             "supported" % outputMode)
        return self

    def trigger(self, processingTime=None, once=None, availableNow=None):
        """availableNow=True (or once=True): process what the sources hold, emit every window,
        stop. processingTime="10 seconds": commit every 10 s (the checkpoint interval)."""
        if availableNow or once:
            self._until_idle = True
        if processingTime is not None:
            self._checkpoint_ms = max(1, _micros(processingTime, "processingTime") // 1000)
        return self

    def queryName(self, queryName):
        self._name = queryName
        return self

    def option(self, key, value):
        """Accepted for PySpark code; checkpointLocation is ignored (the job's state lives in
        the warehouse, under _streams/<queryName>)."""
        return self

    def options(self, **options):
        return self

    def format(self, source):
        return self

    def toTable(self, tableName):
        sql = self._df._job_sql(tableName)
        q = self._df._session._s.start_stream(sql, self._name, self._until_idle,
                                              self._checkpoint_ms, -1)
        return StreamingQuery(q)


class StreamingQuery:
    """A running streaming job (PySpark's StreamingQuery)."""

    def __init__(self, handle):
        self._q = handle
        self._stats = None

    @property
    def id(self):
        return self._q.id

    name = id

    @property
    def sql(self):
        """The job file that runs."""
        return self._q.sql

    @property
    def status(self):
        """The job's status as of its last checkpoint (state, watermark, records, rows_out,
        late_rows, dead_letters, buffered_rows, ...)."""
        text = self._q.status()
        return json.loads(text) if text else {}

    lastProgress = status

    @property
    def isActive(self):
        return self._stats is None and self.status.get("state", "running") == "running"

    def awaitTermination(self, timeout=None):
        """Waits for the job to end (an availableNow job when drained); returns True. Raises
        the job's error."""
        if self._stats is None:
            self._stats = self._q.await_termination()
        return True

    def stop(self):
        """Takes a last checkpoint and ends the job."""
        if self._stats is None:
            self._stats = self._q.stop()

    @property
    def stats(self):
        """What the job did once it ended: records, rows_out, late_rows, dead_letters,
        checkpoint_id."""
        return dict(self._stats) if self._stats is not None else None
