"""Results into Python (rows, NumPy, pandas) and Python data into the engine.

Out: the extension gathers the result into one engine buffer per column and hands each over
as (values, nulls) (see python/src/result_columns.h); this module turns those into NumPy
arrays, pandas columns or Row lists. In: pandas DataFrames, dicts of arrays and lists of rows
become typed columns that the extension copies into engine batches.
"""

import datetime
import decimal

import numpy as np

from sluice.row import Row
from sluice.types import DataType, DecimalType, parse_schema, parse_type


def _gather(df):
    limit = df._session._s.max_collect_bytes()
    rows, columns = df._jdf.gather(limit)
    types = [t for _, t, _ in df._jdf.schema()]
    return rows, df.columns, types, columns


def _interval(t):
    from dateutil.relativedelta import relativedelta
    months, days, micros = t
    return relativedelta(months=months, days=days, microseconds=micros)


# TIMESTAMPTZ comes back as its UTC time (naive datetimes, like TIMESTAMP).
_TIMESTAMPS = ("TIMESTAMP", "TIMESTAMP WITH TIME ZONE")


def _numpy_column(sql_type, values, nulls):
    """The to_dict() array of one column."""
    if sql_type == "DATE":
        arr = values.astype("datetime64[D]")
        if nulls is not None:
            arr[nulls] = np.datetime64("NaT")
        return arr
    if sql_type in _TIMESTAMPS:
        if nulls is None:
            return values.view("datetime64[us]")
        arr = values.astype("datetime64[us]")
        arr[nulls] = np.datetime64("NaT")
        return arr
    if sql_type == "INTERVAL":
        return np.array([None if v is None else _interval(v) for v in values], dtype=object)
    if values.dtype == object or nulls is None:
        return values
    return np.ma.MaskedArray(values, mask=nulls)


def to_dict(df):
    rows, names, types, columns = _gather(df)
    return {n: _numpy_column(t, v, m) for n, t, (v, m) in zip(names, types, columns)}


def _pandas_column(sql_type, values, nulls):
    import pandas as pd
    if sql_type == "DATE":
        out = values.astype("datetime64[D]").astype(object)
        if nulls is not None:
            out[nulls] = None
        return out
    if sql_type in _TIMESTAMPS:
        valid = values if nulls is None else values[~nulls]
        # pandas keeps nanoseconds in an int64: years 1677 to 2262; others stay datetimes.
        if len(valid) == 0 or (valid.min() > -(2 ** 63) // 1000 and valid.max() < 2 ** 63 // 1000):
            out = values.astype("datetime64[us]").astype("datetime64[ns]")
            if nulls is not None:
                out[nulls] = np.datetime64("NaT")
        else:
            out = values.view("datetime64[us]").astype(object)
            if nulls is not None:
                out[nulls] = None
        return out
    if sql_type == "INTERVAL":
        return np.array([None if v is None else _interval(v) for v in values], dtype=object)
    if values.dtype == object or nulls is None:
        return values
    if values.dtype == np.bool_:
        return pd.arrays.BooleanArray(values, nulls, copy=False)
    if values.dtype.kind == "f":
        return pd.arrays.FloatingArray(values, nulls, copy=False)
    return pd.arrays.IntegerArray(values, nulls, copy=False)


def to_pandas(df):
    import pandas as pd
    rows, names, types, columns = _gather(df)
    data = {}
    for i, (n, t, (v, m)) in enumerate(zip(names, types, columns)):
        data[n if n not in data else "%s_%d" % (n, i)] = _pandas_column(t, v, m)
    # copy=False keeps one block per column, so numeric columns stay views of the engine's
    # buffers (with copy=True pandas would consolidate them into a new 2-D block).
    out = pd.DataFrame(data, index=pd.RangeIndex(rows), copy=False)
    if len(set(names)) != len(names):
        out.columns = names
    return out


def _python_list(sql_type, values, nulls):
    if sql_type == "DATE":
        out = values.astype("datetime64[D]").astype(object).tolist()
    elif sql_type in _TIMESTAMPS:
        out = values.view("datetime64[us]").astype(object).tolist()
    elif sql_type == "INTERVAL":
        out = [None if v is None else _interval(v) for v in values]
    else:
        out = values.tolist()
    if nulls is not None:
        for i in np.flatnonzero(nulls).tolist():
            out[i] = None
    return out


def to_rows(df):
    rows, names, types, columns = _gather(df)
    lists = [_python_list(t, v, m) for t, (v, m) in zip(types, columns)]
    make = Row._make_row
    return [make(names, values) for values in zip(*lists)] if lists else [Row() for _ in range(rows)]


# --- into the engine ------------------------------------------------------------------

_INT_TYPES = {np.dtype("int8"): "TINYINT", np.dtype("int16"): "SMALLINT",
              np.dtype("int32"): "INTEGER", np.dtype("int64"): "BIGINT",
              np.dtype("uint8"): "SMALLINT", np.dtype("uint16"): "INTEGER",
              np.dtype("uint32"): "BIGINT", np.dtype("uint64"): "BIGINT"}
_PHYSICAL = {"BOOLEAN": np.bool_, "TINYINT": np.int8, "SMALLINT": np.int16,
             "INTEGER": np.int32, "BIGINT": np.int64, "DOUBLE": np.float64}


def _infer_object_type(values):
    """The SQL type of a list of Python values (None ignored)."""
    kinds = set()
    scale, digits = 0, 1
    for v in values:
        if v is None or (isinstance(v, float) and v != v and False):
            continue
        if isinstance(v, bool) or isinstance(v, np.bool_):
            kinds.add("BOOLEAN")
        elif isinstance(v, (int, np.integer)):
            kinds.add("BIGINT")
        elif isinstance(v, (float, np.floating)):
            kinds.add("DOUBLE")
        elif isinstance(v, str):
            kinds.add("VARCHAR")
        elif isinstance(v, datetime.datetime):
            kinds.add("TIMESTAMP")
        elif isinstance(v, datetime.date):
            kinds.add("DATE")
        elif isinstance(v, decimal.Decimal):
            kinds.add("DECIMAL")
            sign, ds, exp = v.as_tuple()
            s = max(0, -exp)
            scale = max(scale, s)
            digits = max(digits, len(ds) + max(0, exp) - s)
        else:
            raise TypeError("cannot infer a type for %r (%s)" % (v, type(v).__name__))
    if not kinds:
        return "VARCHAR"
    if kinds == {"BIGINT", "DOUBLE"}:
        return "DOUBLE"
    if kinds == {"DECIMAL", "BIGINT"}:
        kinds = {"DECIMAL"}
    if kinds == {"TIMESTAMP", "DATE"}:
        return "TIMESTAMP"
    if len(kinds) > 1:
        raise TypeError("a column mixes values of types %s" % sorted(kinds))
    kind = kinds.pop()
    if kind == "DECIMAL":
        return "DECIMAL(%d,%d)" % (min(38, max(digits + scale, 18 if digits + scale <= 18 else 38)), scale)
    return kind


def _as_date(v):
    if isinstance(v, str):
        return datetime.date.fromisoformat(v)
    if isinstance(v, datetime.datetime):
        return v.date()
    return v


def _as_datetime(v):
    if isinstance(v, str):
        return datetime.datetime.fromisoformat(v)
    if isinstance(v, datetime.date) and not isinstance(v, datetime.datetime):
        return datetime.datetime.combine(v, datetime.time())
    if hasattr(v, "to_pydatetime"):
        return v.to_pydatetime()
    return v


def _from_objects(name, values, sql_type):
    """A column spec from a list of Python objects (None: NULL)."""
    values = list(values)
    nulls = np.array([v is None or (isinstance(v, float) and v != v and sql_type != "DOUBLE")
                      for v in values], dtype=bool)
    has_nulls = bool(nulls.any())
    base = sql_type.split("(")[0]
    if base in ("VARCHAR", "DECIMAL", "INTERVAL"):
        text = [None if n else (format(v, "f") if isinstance(v, decimal.Decimal) else str(v))
                for v, n in zip(values, nulls)]
        return (name, sql_type, text, nulls if has_nulls else None)
    if base == "DATE":
        days = np.array([0 if n else (_as_date(v).toordinal() - 719163)
                         for v, n in zip(values, nulls)], dtype=np.int32)
        return (name, sql_type, days, nulls if has_nulls else None)
    if base == "TIMESTAMP":
        arr = np.array([np.datetime64("NaT") if n else np.datetime64(_as_datetime(v), "us")
                        for v, n in zip(values, nulls)], dtype="datetime64[us]")
        return (name, sql_type, arr.view(np.int64), nulls if has_nulls else None)
    dtype = _PHYSICAL[base]
    fill = False if base == "BOOLEAN" else 0
    arr = np.array([fill if n else v for v, n in zip(values, nulls)], dtype=dtype)
    return (name, sql_type, arr, nulls if has_nulls else None)


def _from_array(name, data, declared):
    """A column spec from a NumPy array or pandas Series/array; `declared` SQL type or None."""
    import pandas as pd
    is_pandas = isinstance(data, (pd.Series, pd.api.extensions.ExtensionArray, pd.Index))
    if is_pandas:
        nulls = np.asarray(pd.isna(data), dtype=bool)
        dtype = data.dtype
    else:
        data = np.asarray(data)
        dtype = data.dtype
        nulls = None
        if dtype.kind == "M":
            nulls = np.isnat(data)
    has_nulls = nulls is not None and bool(nulls.any())
    mask = nulls if has_nulls else None
    kind = getattr(dtype, "kind", "O")
    if declared is None:
        if kind == "b":
            declared = "BOOLEAN"
        elif kind in "iu":
            declared = _INT_TYPES.get(np.dtype(getattr(dtype, "numpy_dtype", dtype)), "BIGINT")
        elif kind == "f":
            declared = "DOUBLE"
        elif kind == "M":
            declared = "TIMESTAMP"
        else:
            objects = data.tolist() if hasattr(data, "tolist") else list(data)
            objects = [None if m else v for v, m in zip(objects, nulls)] if nulls is not None \
                else objects
            return _from_objects(name, objects, _infer_object_type(objects))
    base = declared.split("(")[0]
    if base in _PHYSICAL and kind in "biuf":
        if is_pandas:
            arr = data.to_numpy(dtype=_PHYSICAL[base], na_value=0) if has_nulls else \
                np.asarray(data).astype(_PHYSICAL[base], copy=False)
        else:
            arr = data.astype(_PHYSICAL[base], copy=False)
            if not np.array_equal(arr, data) and kind != "f":
                raise ValueError("column %s: values do not fit %s" % (name, declared))
        return (name, declared, np.ascontiguousarray(arr), mask)
    if base == "TIMESTAMP" and kind == "M":
        arr = np.asarray(data).astype("datetime64[us]").view(np.int64)
        return (name, declared, np.ascontiguousarray(arr), mask)
    objects = data.tolist() if hasattr(data, "tolist") else list(data)
    if nulls is not None:
        objects = [None if m else v for v, m in zip(objects, nulls)]
    return _from_objects(name, objects, declared)


def _sql_type(t):
    if t is None:
        return None
    if isinstance(t, str):
        t = parse_type(t)
    if isinstance(t, DataType):
        return t.sql
    raise TypeError("not a data type: %r" % (t,))


def to_columns(data, schema=None):
    """createDataFrame's input as column specs for the extension."""
    import pandas as pd
    fields = parse_schema(schema)
    if isinstance(data, pd.DataFrame):
        names = [str(c) for c in data.columns]
        arrays = [data.iloc[:, i] for i in range(data.shape[1])]
    elif isinstance(data, dict):
        names = [str(k) for k in data]
        arrays = list(data.values())
    else:
        rows = list(data)
        names = None
        if rows and isinstance(rows[0], Row) and rows[0].__fields__ is not None:
            names = list(rows[0].__fields__)
        elif rows and isinstance(rows[0], dict):
            names = list(rows[0])
            rows = [[r.get(n) for n in names] for r in rows]
        width = len(rows[0]) if rows else (len(fields) if fields else 0)
        if names is None:
            names = [f[0] for f in fields] if fields else ["_%d" % (i + 1) for i in range(width)]
        if rows and not isinstance(rows[0], (list, tuple)):
            rows = [(r,) for r in rows]
        arrays = [[r[i] for r in rows] for i in range(width)] if rows else [[] for _ in names]
        declared = [_sql_type(f[1]) for f in fields] if fields else [None] * len(names)
        if fields:
            names = [f[0] for f in fields]
        return [_from_objects(n, a, d or _infer_object_type(a)) for n, a, d in
                zip(names, arrays, declared)]
    if fields:
        if len(fields) != len(names):
            raise ValueError("schema has %d columns, the data %d" % (len(fields), len(names)))
        declared = [_sql_type(t) for _, t in fields]
        names = [n for n, _ in fields]
    else:
        declared = [None] * len(names)
    return [_from_array(n, a, d) for n, a, d in zip(names, arrays, declared)]


__all__ = ["to_rows", "to_pandas", "to_dict", "to_columns", "DecimalType"]
