"""Vectorized Python UDFs run inside the engine's tasks.

``@sluice.udf(returnType)`` (PySpark's ``pandas_udf``) makes a function over pandas Series
(or, with ``useNumPy=True``, NumPy arrays) usable as a column expression and, after
``session.udf.register(name, f, returnType)``, from SQL. The engine calls it once per batch
of rows from its worker threads: each call takes the GIL for that batch only (see
python/src/py_udf.h), numeric arguments arrive as read-only views of the engine's buffers,
and the result is converted back to the declared type, checked for length and type.
"""

import itertools
import re
import traceback
import weakref

import numpy as np

from sluice import convert
from sluice.column import Column, _call, _as_column
from sluice.errors import PythonUdfError
from sluice.types import DataType, parse_type

_ids = itertools.count(1)
# Internal SQL name -> UDF, for registering the UDFs a query uses in its session.
_by_sql_name = weakref.WeakValueDictionary()
_SQL_NAME = re.compile(r"__udf_\d+_\w*")

_NUMERIC_KINDS = {"BOOLEAN": "b", "TINYINT": "biu", "SMALLINT": "biu", "INTEGER": "biu",
                  "BIGINT": "biu", "DOUBLE": "biuf"}


def _type_of(return_type):
    if isinstance(return_type, str):
        return parse_type(return_type)
    if isinstance(return_type, DataType):
        return return_type
    raise TypeError("returnType must be a DataType or a type name, not %r" % (return_type,))


def _argument(sql_type, values, nulls, use_numpy):
    if use_numpy:
        return convert._numpy_column(sql_type, values, nulls)
    import pandas as pd
    return pd.Series(convert._pandas_column(sql_type, values, nulls), copy=False)


def _check_values(label, sql_type, result):
    """Raises PythonUdfError (naming `label`) when `result`'s values cannot be `sql_type`."""
    base = sql_type.split("(")[0]
    kind = getattr(getattr(result, "dtype", None), "kind", "O")
    if base in _NUMERIC_KINDS and kind != "O" and kind not in _NUMERIC_KINDS[base]:
        raise PythonUdfError("%s returned values of dtype %s, not %s"
                             % (label, result.dtype, sql_type))
    if kind == "O" or base == "VARCHAR":
        for v in (result.tolist() if hasattr(result, "tolist") else list(result)):
            if v is None or (isinstance(v, float) and v != v):
                continue
            ok = (isinstance(v, str) if base == "VARCHAR" else
                  not isinstance(v, str) and (base not in _NUMERIC_KINDS or
                                              isinstance(v, (bool, int, float, np.generic))))
            if not ok:
                raise PythonUdfError("%s returned %r (%s) for a %s result"
                                     % (label, v, type(v).__name__, sql_type))


class UserDefinedFunction:
    """A vectorized Python function: call it with columns to get a Column."""

    def __init__(self, func, returnType, name=None, useNumPy=False, argTypes=None):
        self.func = func
        self.returnType = _type_of(returnType)
        self.useNumPy = bool(useNumPy)
        # The arguments' types, when declared: the engine casts each argument to its type
        # (and refuses a call with another number of arguments) before the function sees it.
        self.argTypes = None if argTypes is None else [_type_of(t) for t in argTypes]
        self.__name__ = name or getattr(func, "__name__", "udf")
        self._sql_name = "__udf_%d_%s" % (next(_ids), re.sub(r"\W", "_", self.__name__))
        self._sessions = weakref.WeakSet()
        _by_sql_name[self._sql_name] = self

    def __call__(self, *cols):
        column = _call(self._sql_name, self.__name__, *[_as_column(c) for c in cols])
        return column

    def _runner(self, name):
        sql_type = self.returnType.sql
        func, use_numpy = self.func, self.useNumPy

        def run(columns, rows, first_row, batch):
            where = "rows %d..%d (batch %d of %d rows, counted in the order batches reached " \
                    "it)" % (first_row, first_row + rows - 1, batch, rows)
            try:
                args = [_argument(t, v, m, use_numpy) for t, v, m in columns]
                result = func(*args)
            except Exception as e:
                raise PythonUdfError("UDF '%s' raised %s: %s on %s\nPython traceback:\n%s" % (
                    name, type(e).__name__, e, where, traceback.format_exc())) from None
            if np.isscalar(result) or not hasattr(result, "__len__"):
                raise PythonUdfError("UDF '%s' returned %s, not a Series or array of %d values "
                                     "(on %s)" % (name, type(result).__name__, rows, where))
            if len(result) != rows:
                raise PythonUdfError("UDF '%s' returned %d values for a batch of %d rows (on %s)"
                                     % (name, len(result), rows, where))
            _check_values("UDF '%s'" % name, sql_type, result)
            try:
                return convert._from_array("result", result, sql_type)
            except (TypeError, ValueError, OverflowError) as e:
                raise PythonUdfError("UDF '%s' returned values that are not %s: %s (on %s)"
                                     % (name, sql_type, e, where)) from None

        return run

    def _register(self, session, name=None):
        """Registers this function in `session` (the engine Session) under `name`."""
        session.register_udf(name or self._sql_name, self.returnType.sql,
                             self._runner(name or self.__name__),
                             None if self.argTypes is None else [t.sql for t in self.argTypes])


def register_used(session, text):
    """Registers in `session` (the engine Session) the UDFs that SQL `text` calls."""
    for sql_name in set(_SQL_NAME.findall(text)):
        f = _by_sql_name.get(sql_name)
        if f is not None:
            f._register(session)


class UDFRegistration:
    """session.udf: registers Python functions for SQL."""

    def __init__(self, session):
        self._s = session

    def register(self, name, f, returnType=None):
        """Makes `f` callable from SQL as `name` in this session and returns it as a UDF.
        `f` is a UserDefinedFunction (its returnType is kept) or a function over pandas
        Series (returnType required; default string)."""
        if isinstance(f, UserDefinedFunction):
            u = f if returnType is None else UserDefinedFunction(f.func, returnType, name,
                                                                 f.useNumPy, f.argTypes)
        else:
            u = UserDefinedFunction(f, returnType or "string", name)
        u._register(self._s, name)
        return u


def udf(f=None, returnType="string", useNumPy=False, argTypes=None):
    """A vectorized UDF (PySpark's pandas_udf): ``@udf("double")``, ``@udf(returnType=...)``
    or ``udf(f, "double")``. The function takes one pandas Series per argument (NumPy arrays
    with useNumPy=True: masked arrays where there are NULLs) and returns as many values.
    ``argTypes`` (a type per argument, e.g. ``["double", "string"]``) has the engine cast the
    arguments before the call, so the function always sees those types."""
    if f is not None and not callable(f):
        return lambda g: UserDefinedFunction(g, f, useNumPy=useNumPy, argTypes=argTypes)
    if f is None:
        return lambda g: UserDefinedFunction(g, returnType, useNumPy=useNumPy, argTypes=argTypes)
    return UserDefinedFunction(f, returnType, useNumPy=useNumPy, argTypes=argTypes)


pandas_udf = udf


def map_in_pandas(df, func, schema):
    """The engine DataFrame of df.mapInPandas(func, schema): a MapBatches plan node whose
    tasks each call `func` once, from the engine's worker threads, with an iterator over the
    task's input as pandas DataFrames (one per engine batch, pulled as func asks for it)."""
    import pandas as pd
    from sluice.types import parse_schema
    fields = parse_schema(schema)
    if not fields or any(t is None for _, t in fields):
        raise TypeError("mapInPandas needs a schema with a type for every column")
    names = [n for n, _ in fields]
    types = [_type_of(t).sql for _, t in fields]
    fname = getattr(func, "__name__", "function")
    label = "mapInPandas function '%s'" % fname
    input_names = df.columns

    def run(source, partition):
        given = [0]  # rows of the partition handed to func so far

        def where():
            if given[0] == 0:
                return "partition %d, before its first row" % partition
            return "partition %d, after func had been given its rows 0..%d" % (
                partition, given[0] - 1)

        def frames():
            for columns, rows in source:
                pdf = pd.DataFrame({i: convert._pandas_column(t, v, m)
                                    for i, (t, v, m) in enumerate(columns)},
                                   index=pd.RangeIndex(rows), copy=False)
                pdf.columns = input_names
                given[0] += rows
                yield pdf

        def raised(e):
            return PythonUdfError("%s raised %s: %s on %s\nPython traceback:\n%s" % (
                label, type(e).__name__, e, where(), traceback.format_exc()))

        try:
            outputs = iter(func(frames()))
        except Exception as e:
            raise raised(e) from None
        while True:
            try:
                o = next(outputs)
            except StopIteration:
                return
            except Exception as e:
                raise raised(e) from None
            if not isinstance(o, pd.DataFrame):
                raise PythonUdfError("%s yielded %s, not a pandas DataFrame (on %s)"
                                     % (label, type(o).__name__, where()))
            yield _output_specs(label, o, names, types, where())

    return df._jdf.map_batches(fname, list(zip(names, types)), run)


def _output_specs(label, frame, names, types, where):
    """The column specs of one DataFrame mapInPandas' function yielded: its columns matched to
    the schema by name, or by position when the names differ but the count matches."""
    specs = []
    for i, (n, t) in enumerate(zip(names, types)):
        if n in frame.columns:
            data = frame[n]
        elif len(frame.columns) == len(names):
            data = frame.iloc[:, i]
        else:
            raise PythonUdfError("%s yielded a DataFrame without column %r (it has %s; on %s)"
                                 % (label, n, list(frame.columns), where))
        _check_values(label, t, data)
        try:
            specs.append(convert._from_array(n, data, t))
        except (TypeError, ValueError, OverflowError) as e:
            raise PythonUdfError("%s yielded values of column %s that are not %s: %s (on %s)"
                                 % (label, n, t, e, where)) from None
    return specs
