"""Column functions (PySpark's pyspark.sql.functions), mapped onto the engine's SQL functions.

Arguments that name columns accept a Column or a column name; the others (a pattern, a
count of days, a format) are Python values. A function the engine does not have yet fails
when the DataFrame call is made, with the binder's message.
"""

from sluice.column import (Column, ColumnRef, _as_column, _call, _flatten, _joined, _to_column,
                           col_column, lit_column, quote, sql_literal)


def col(name):
    """The column `name` ("t.x": column x of the DataFrame aliased t; "*": every column)."""
    return col_column(name)


column = col


def lit(value):
    """A literal value (None is NULL)."""
    return lit_column(value)


def expr(sql):
    """A column from SQL expression text, as the engine parses it."""
    return Column((sql,), sql)


def when(condition, value):
    """CASE WHEN condition THEN value ...; chain .when() and end with .otherwise()."""
    c = Column((), "CASE WHEN")
    c._case = ([(_to_column(condition), _to_column(value))], None)
    return c


def _fn(sql_name, *cols, spark=None):
    return _call(sql_name, spark or sql_name, *[_as_column(c) for c in cols])


def _lits(*values):
    return [lit_column(v) for v in values]


# --- aggregates ------------------------------------------------------------------------
def sum(c): return _fn("sum", c)  # noqa: A001
def avg(c): return _fn("avg", c)
def mean(c): return _fn("avg", c, spark="avg")
def min(c): return _fn("min", c)  # noqa: A001
def max(c): return _fn("max", c)  # noqa: A001
def first(c, ignorenulls=False): return _fn("first", c)
def any_value(c): return _fn("any_value", c)
def stddev(c): return _fn("stddev_samp", c, spark="stddev")
def stddev_samp(c): return _fn("stddev_samp", c)
def stddev_pop(c): return _fn("stddev_pop", c)
def variance(c): return _fn("var_samp", c, spark="variance")
def var_samp(c): return _fn("var_samp", c)
def var_pop(c): return _fn("var_pop", c)
def median(c): return _fn("median", c)
def approx_count_distinct(c, rsd=None): return _fn("approx_count_distinct", c)
def max_by(c, by): return _fn("max_by", c, by)
def min_by(c, by): return _fn("min_by", c, by)


def count(c):
    """count(c) counts non-NULL values; count("*") and count(lit(1)) count rows."""
    if isinstance(c, str) and c == "*":
        return Column(("count(*)",), "count(1)")
    return _fn("count", c)


def countDistinct(c, *cols):
    """The number of distinct values of a column, or of distinct combinations of several
    columns (as PySpark: a combination with a NULL in any column is not counted)."""
    if not cols:
        return _call("count", "count", _as_column(c), distinct=True)
    args = [_as_column(a) for a in (c,) + cols]
    parts = ("count(DISTINCT CASE WHEN ",) + \
        _joined((("(",) + a._pieces() + (") IS NOT NULL",) for a in args), " AND ") + \
        (" THEN {",) + _joined(("'c%d': " % i,) + a._pieces() for i, a in enumerate(args))
    names = [a._output_name() for a in args]
    return Column(parts + ("} END)",), "count(DISTINCT %s)" % ", ".join(names))


count_distinct = countDistinct


def sumDistinct(c):
    return _call("sum", "sum", _as_column(c), distinct=True)


sum_distinct = sumDistinct


def count_if(condition):
    cond = _as_column(condition)
    return Column(("sum(CASE WHEN ",) + cond._pieces() + (" THEN 1 ELSE 0 END)",),
                  "count_if(%s)" % cond._name)


def collect_list(c):
    """The non-NULL values of a group, as a LIST ([] when there are none), as Spark."""
    x = _as_column(c)
    return Column(("coalesce(list(",) + x._pieces() + (") FILTER (WHERE ",) + x._pieces() +
                  (" IS NOT NULL), [])",), "collect_list(%s)" % x._name)


# --- window functions ------------------------------------------------------------------
def row_number(): return Column(("row_number()",), "row_number()")
def rank(): return Column(("rank()",), "RANK()")
def dense_rank(): return Column(("dense_rank()",), "DENSE_RANK()")
def percent_rank(): return Column(("percent_rank()",), "PERCENT_RANK()")
def cume_dist(): return Column(("cume_dist()",), "CUME_DIST()")
def ntile(n): return Column(("ntile(%d)" % n,), "ntile(%d)" % n)


def lag(c, offset=1, default=None):
    return _call("lag", "lag", _as_column(c), *_lits(offset, default))


def lead(c, offset=1, default=None):
    return _call("lead", "lead", _as_column(c), *_lits(offset, default))


def first_value(c): return _fn("first_value", c)
def last_value(c): return _fn("last_value", c)


# --- null handling, conditionals, math ---------------------------------------------------
def coalesce(*cols): return _fn("coalesce", *cols)
def nvl(c, other): return _fn("coalesce", c, other, spark="nvl")
def ifnull(c, other): return _fn("coalesce", c, other, spark="ifnull")
def nullif(c, other): return _fn("nullif", c, other)
def greatest(*cols): return _fn("greatest", *cols)
def least(*cols): return _fn("least", *cols)
def isnull(c): return _as_column(c).isNull()
def isnotnull(c): return _as_column(c).isNotNull()


def isnan(c):
    x = _as_column(c)
    return Column(("(",) + x._pieces() + (" = CAST('nan' AS DOUBLE))",), "isnan(%s)" % x._name)


def abs(c): return _fn("abs", c)  # noqa: A001
def sqrt(c): return _fn("sqrt", c, spark="SQRT")
def exp(c): return _fn("exp", c, spark="EXP")
def log(c): return _fn("ln", c, spark="ln")
def ln(c): return _fn("ln", c)
def log10(c): return _fn("log10", c, spark="LOG10")
def log2(c): return _fn("log2", c, spark="LOG2")
def pow(c, e): return _call("power", "POWER", _as_column(c), _to_column(e))  # noqa: A001
def floor(c): return _fn("floor", c, spark="FLOOR")
def ceil(c): return _fn("ceil", c, spark="CEIL")
def signum(c): return _fn("sign", c, spark="SIGNUM")


def round(c, scale=0):  # noqa: A001
    return _call("round", "round", _as_column(c), lit_column(scale))


def hash(*cols): return _fn("hash", *cols)  # noqa: A001


# --- strings --------------------------------------------------------------------------
def upper(c): return _fn("upper", c)
def lower(c): return _fn("lower", c)
def length(c): return _fn("length", c)
def trim(c): return _fn("trim", c)
def ltrim(c): return _fn("ltrim", c)
def rtrim(c): return _fn("rtrim", c)
def reverse(c): return _fn("reverse", c)
def initcap(c): return _fn("initcap", c)
def concat(*cols): return _fn("concat", *cols)


def concat_ws(sep, *cols):
    return _call("concat_ws", "concat_ws", lit_column(sep), *[_as_column(c) for c in cols])


def substring(c, pos, len):  # noqa: A002
    return _call("substring", "substring", _as_column(c), *_lits(pos, len))


def instr(c, substr): return _call("instr", "instr", _as_column(c), lit_column(substr))
def lpad(c, n, pad): return _call("lpad", "lpad", _as_column(c), *_lits(n, pad))
def rpad(c, n, pad): return _call("rpad", "rpad", _as_column(c), *_lits(n, pad))
def repeat(c, n): return _call("repeat", "repeat", _as_column(c), lit_column(n))


def regexp_replace(c, pattern, replacement):
    return _call("regexp_replace", "regexp_replace", _as_column(c), *_lits(pattern, replacement))


def regexp_extract(c, pattern, idx):
    return _call("regexp_extract", "regexp_extract", _as_column(c), *_lits(pattern, idx))


def split(c, pattern, limit=-1):
    """The LIST of the parts of a string around matches of the regular expression
    `pattern` (Spark's split; limit -1 only)."""
    if limit not in (-1, 0):
        raise NotImplementedError("split with a limit")
    x = _as_column(c)
    if not any(ch in pattern for ch in ".^$*+?()[]{}|\\"):
        return Column(("string_split(",) + x._pieces() + (", %s)" % sql_literal(pattern),),
                      "split(%s, %s, -1)" % (x._name, pattern))
    # A regular expression: its matches become a separator that text does not hold (U+001F).
    return Column(("string_split(regexp_replace(",) + x._pieces() +
                  (", %s, '\x1f', 'g'), '\x1f')" % sql_literal(pattern),),
                  "split(%s, %s, -1)" % (x._name, pattern))


def split_part(c, delimiter, part):
    return _call("split_part", "split_part", _as_column(c), *_lits(delimiter, part))


def startswith(c, prefix): return _as_column(c).startswith(prefix)
def endswith(c, suffix): return _as_column(c).endswith(suffix)


# --- dates and times ------------------------------------------------------------------
def current_date():
    return Column(("CAST(now() AS DATE)",), "current_date()")


def current_timestamp():
    return Column(("now()",), "current_timestamp()")


def year(c): return _fn("year", c)
def quarter(c): return _fn("quarter", c)
def month(c): return _fn("month", c)
def dayofmonth(c): return _fn("day", c, spark="dayofmonth")
def dayofyear(c): return _fn("dayofyear", c)
def weekofyear(c): return _fn("weekofyear", c)
def hour(c): return _fn("hour", c)
def minute(c): return _fn("minute", c)
def second(c): return _fn("second", c)


def dayofweek(c):
    """1 for Sunday to 7 for Saturday, as Spark counts."""
    x = _as_column(c)
    return Column(("(dayofweek(",) + x._pieces() + (") + 1)",), "dayofweek(%s)" % x._name)


def to_date(c, format=None):  # noqa: A002
    x = _as_column(c)
    if format is None:
        return Column(("CAST(",) + x._pieces() + (" AS DATE)",), "to_date(%s)" % x._name)
    return Column(("CAST(strptime(",) + x._pieces() + (", %s) AS DATE)" % sql_literal(
        _java_to_strftime(format)),), "to_date(%s, %s)" % (x._name, format))


def to_timestamp(c, format=None):  # noqa: A002
    x = _as_column(c)
    if format is None:
        return Column(("CAST(",) + x._pieces() + (" AS TIMESTAMP)",), "to_timestamp(%s)" % x._name)
    return Column(("strptime(",) + x._pieces() + (", %s)" % sql_literal(
        _java_to_strftime(format)),), "to_timestamp(%s, %s)" % (x._name, format))


def date_add(c, days): return _call("date_add", "date_add", _as_column(c), _to_column(days))


def date_sub(c, days):
    x = _as_column(c)
    d = _to_column(days)
    return Column(("date_add(",) + x._pieces() + (", -(",) + d._pieces() + ("))",),
                  "date_sub(%s, %s)" % (x._name, d._name))


def datediff(end, start):
    """Days from `start` to `end`."""
    e, s = _as_column(end), _as_column(start)
    return Column(("date_diff('day', ",) + s._pieces() + (", ",) + e._pieces() + (")",),
                  "datediff(%s, %s)" % (e._name, s._name))


def add_months(c, months):
    x = _as_column(c)
    m = _to_column(months)
    return Column(("CAST(",) + x._pieces() + (" + INTERVAL (",) + m._pieces() +
                  (") MONTH AS DATE)",), "add_months(%s, %s)" % (x._name, m._name))


def last_day(c): return _fn("last_day", c)


_DURATION_UNITS = {"microsecond": 1, "millisecond": 1000, "second": 1000000,
                   "minute": 60 * 1000000, "hour": 3600 * 1000000, "day": 86400 * 1000000,
                   "week": 7 * 86400 * 1000000}


def _duration_micros(text, what):
    """Microseconds of a Spark duration string ("10 minutes", "1 hour 30 minutes")."""
    words = str(text).lower().replace("interval", " ").split()
    if not words or len(words) % 2:
        raise ValueError("%s %r is not a duration like '10 minutes'" % (what, text))
    total = 0
    for number, unit in zip(words[::2], words[1::2]):
        unit = unit.rstrip("s") if unit not in ("ms", "us") else unit
        unit = {"ms": "millisecond", "us": "microsecond", "sec": "second",
                "min": "minute"}.get(unit, unit)
        if unit not in _DURATION_UNITS:
            raise ValueError("%s %r: unknown unit %r (windows take weeks, days, hours, "
                             "minutes, seconds, milliseconds, microseconds; not months)"
                             % (what, text, unit))
        try:
            total += int(number) * _DURATION_UNITS[unit]
        except ValueError:
            raise ValueError("%s %r: %r is not a whole number" % (what, text, number)) from None
    return total


def window(timeColumn, windowDuration, slideDuration=None, startTime=None):
    """The time window of each row, as Spark's window(): a struct `window` of `start` and
    `end` TIMESTAMPs. Windows are aligned to the epoch (shifted by startTime) and half open,
    [start, end). With a slideDuration shorter than the window a row falls in several
    windows, and grouping by the window gives it to each of them (as Spark does). A NULL
    time gives a NULL window."""
    w = _duration_micros(windowDuration, "windowDuration")
    slide = w if slideDuration is None else _duration_micros(slideDuration, "slideDuration")
    offset = 0 if startTime is None else _duration_micros(startTime, "startTime")
    if w <= 0 or slide <= 0 or slide > w:
        raise ValueError("window needs 0 < slideDuration <= windowDuration (got %r, %r)"
                         % (windowDuration, slideDuration))
    t = _as_column(timeColumn)
    spec = ("window", t._is_plain_ref(), w, slide, offset)  # for a streaming groupBy
    us = ("epoch_us(",) + t._pieces() + (")",)
    # The latest window start at or before the time: floor((us - offset) / slide) windows.
    last = ("(",) + us + (" - (((",) + us + (" - %d) %% %d) + %d) %% %d)" % (offset, slide, slide, slide),)

    def bounds(start):
        return ("{'start': make_timestamp(",) + start + ("), 'end': make_timestamp(",) + \
            start + (" + %d)}" % w,)

    if slide == w:
        c = Column(("CASE WHEN ",) + t._pieces() + (" IS NULL THEN NULL ELSE ",) +
                   bounds(last) + (" END",), "window")
        c._window = spec
        return c
    count = -(-w // slide)  # windows a time can fall in
    windows = []
    for k in range(count):
        start = ("(",) + last + (" - %d)" % (k * slide),)
        if w % slide == 0:  # then every one of the windows holds the time
            windows.append(bounds(start))
        else:
            windows.append(("CASE WHEN ",) + start + (" + %d > " % w,) + us + (" THEN ",) +
                           bounds(start) + (" END",))
    items = _joined(windows)
    # list_distinct drops the NULLs of windows that do not hold the time, keeping the order.
    listed = ("[",) + items + ("]",) if w % slide == 0 else ("list_distinct([",) + items + ("])",)
    c = Column(("unnest(",) + listed + (")",), "window")
    c._expands = True
    c._window = spec
    return c


def session_window(timeColumn, gapDuration):
    """Spark's session_window, in a streaming groupBy (readStream): sessions of each value of
    the other grouping keys, closed by a gap of gapDuration without rows; the result has the
    columns window_start and window_end. In batch queries, use the SESSION table function
    (SELECT ... FROM TABLE(SESSION(TABLE t PARTITION BY k, DESCRIPTOR(ts), INTERVAL ...)))."""
    gap = _duration_micros(gapDuration, "gapDuration")
    if gap <= 0:
        raise ValueError("session_window needs a positive gapDuration (got %r)" % (gapDuration,))
    t = _as_column(timeColumn)
    c = Column(("session_window_is_for_streaming_queries(",) + t._pieces() + (")",), "session_window")
    c._window = ("session", t._is_plain_ref(), gap)
    return c


def explode(c):
    """A row per element of a LIST (rows with an empty or NULL list give none), as Spark's
    explode(); its column is named `col`."""
    x = _as_column(c)
    out = Column(("unnest(",) + x._pieces() + (")",), "col")
    out._expands = True
    return out


def explode_outer(c):
    """explode, but an empty or NULL list gives one row with NULL."""
    x = _as_column(c)
    out = Column(("unnest(CASE WHEN len(",) + x._pieces() + (") > 0 THEN ",) + x._pieces() +
                 (" ELSE [NULL] END)",), "col")
    out._expands = True
    return out


def collect_set(c):
    """The distinct non-NULL values of a group, as a LIST."""
    x = _as_column(c)
    return Column(("list_distinct(list(",) + x._pieces() + ("))",), "collect_set(%s)" % x._name)


def size(c):
    """The number of elements of a LIST (-1 for NULL, as Spark)."""
    x = _as_column(c)
    return Column(("coalesce(len(",) + x._pieces() + ("), -1)",), "size(%s)" % x._name)


def array(*cols):
    """A LIST of the columns' values."""
    args = [_as_column(a) for a in _flatten(cols)]
    return Column(("[",) + _joined(a._pieces() for a in args) + ("]",), "array(%s)" % ", ".join(a._output_name() for a in args))


def struct(*cols):
    """A STRUCT of the columns, its fields named as the columns are."""
    args = [_as_column(a) for a in _flatten(cols)]
    fields = _joined((sql_literal(a._output_name()) + ": ",) + a._pieces() for a in args)
    return Column(("{",) + fields + ("}",), "struct(%s)" % ", ".join(a._output_name() for a in args))


def date_trunc(format, c):  # noqa: A002
    return _call("date_trunc", "date_trunc", lit_column(format.lower()), _as_column(c))


def trunc(c, format):  # noqa: A002
    x = _as_column(c)
    return Column(("CAST(date_trunc(%s, " % sql_literal(format.lower()),) + x._pieces() +
                  (") AS DATE)",), "trunc(%s, %s)" % (x._name, format))


def date_format(c, format):  # noqa: A002
    """Formats with a Java/Spark pattern (yyyy-MM-dd HH:mm:ss) through strftime."""
    return _call("strftime", "date_format", _as_column(c), lit_column(_java_to_strftime(format)))


def unix_timestamp(c):
    x = _as_column(c)
    return Column(("CAST(epoch(",) + x._pieces() + (") AS BIGINT)",), "unix_timestamp(%s)" % x._name)


_JAVA_PATTERNS = [("yyyy", "%Y"), ("yy", "%y"), ("MMMM", "%B"), ("MMM", "%b"), ("MM", "%m"),
                  ("dd", "%d"), ("HH", "%H"), ("hh", "%I"), ("mm", "%M"), ("ss", "%S"),
                  ("SSSSSS", "%f"), ("EEEE", "%A"), ("EEE", "%a"), ("a", "%p")]


def _java_to_strftime(pattern):
    out, i = [], 0
    while i < len(pattern):
        for java, c_fmt in _JAVA_PATTERNS:
            if pattern.startswith(java, i):
                out.append(c_fmt)
                i += len(java)
                break
        else:
            out.append(pattern[i])
            i += 1
    return "".join(out)


# --- sort helpers -----------------------------------------------------------------------
def asc(c): return _as_column(c).asc()
def desc(c): return _as_column(c).desc()
def asc_nulls_last(c): return _as_column(c).asc_nulls_last()
def desc_nulls_first(c): return _as_column(c).desc_nulls_first()


def broadcast(df):
    """Marks a DataFrame to be broadcast in a join (df.hint("broadcast"))."""
    return df.hint("broadcast")


def udf(f=None, returnType="string", useNumPy=False):
    """A vectorized Python UDF over pandas Series (see sluice.udf)."""
    from sluice.udf import udf as make
    return make(f, returnType, useNumPy)


pandas_udf = udf


__all__ = [n for n in dir() if not n.startswith("_") and n not in (
    "Column", "ColumnRef", "quote", "sql_literal", "col_column", "lit_column")]
