"""Column expressions: Python objects that render to SQL expression text.

A Column is a sequence of SQL text pieces and references to columns of particular
DataFrames (``df["x"]``, ``df.x``), plus the name PySpark would give its result
(``sum(x)``, ``(a + 1)``). Each DataFrame operation renders its columns into a SQL query over
its inputs and the engine's binder binds it, so every engine function is reachable, errors
carry the binder's line:column and caret, and ``explain()`` shows what ran.
"""

import datetime
import decimal
import math

from sluice.types import to_sql_type


def quote(name):
    """A SQL identifier for `name`."""
    return '"' + str(name).replace('"', '""') + '"'


def sql_literal(value):
    """A SQL literal for a Python value."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return "CAST('%s' AS DOUBLE)" % ("nan" if math.isnan(value) else
                                             ("inf" if value > 0 else "-inf"))
        return "CAST(%r AS DOUBLE)" % value
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, datetime.datetime):
        return "TIMESTAMP '%s'" % value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return "DATE '%s'" % value.isoformat()
    if hasattr(value, "item"):  # NumPy scalars
        return sql_literal(value.item())
    raise TypeError("cannot use %r (%s) as a SQL literal" % (value, type(value).__name__))


class ColumnRef:
    """A column of one DataFrame, resolved to a qualified name when a join needs one."""

    __slots__ = ("df_id", "name")

    def __init__(self, df_id, name):
        self.df_id = df_id
        self.name = name


class Column:
    """A column expression (PySpark's pyspark.sql.Column)."""

    __slots__ = ("_parts", "_name", "_alias", "_case", "_sort", "_expands", "_window")

    def __init__(self, parts, name):
        self._parts = tuple(parts)
        self._name = name
        self._alias = None
        self._case = None  # [(condition, value), ...] and else, for when().otherwise()
        self._sort = None  # "ASC NULLS FIRST" etc. for orderBy
        self._expands = False  # a generator (explode, sliding window): rows become several
        self._window = None  # window() / session_window(): the spec a streaming query uses

    # --- rendering -------------------------------------------------------------------
    def _pieces(self):
        if self._case is None:
            return self._parts
        branches, otherwise = self._case
        out = ["CASE"]
        for cond, value in branches:
            out += [" WHEN "] + list(cond._pieces()) + [" THEN "] + list(value._pieces())
        if otherwise is not None:
            out += [" ELSE "] + list(otherwise._pieces())
        out.append(" END")
        return tuple(out)

    def _render(self, resolve=None):
        """The SQL text; `resolve(ColumnRef)` renders DataFrame-bound references."""
        out = []
        for p in self._pieces():
            if isinstance(p, str):
                out.append(p)
            elif resolve is None:
                out.append(quote(p.name))
            else:
                out.append(resolve(p))
        return "".join(out)

    def _output_name(self):
        return self._alias if self._alias is not None else self._name

    def _is_plain_ref(self):
        """The name, when this is just a column reference without alias; else None."""
        p = self._pieces()
        if self._alias is None and self._sort is None and len(p) == 1 and isinstance(p[0], ColumnRef):
            return p[0].name
        if (self._alias is None and self._sort is None and len(p) == 1 and isinstance(p[0], str)
                and p[0] == quote(self._name)):
            return self._name
        return None

    def _select_item(self, resolve=None):
        """The SQL of a select-list item: aliased to PySpark's name unless a plain column."""
        text = self._render(resolve)
        if self._is_plain_ref() is not None or text == "*":
            return text
        return text + " AS " + quote(self._output_name())

    def __repr__(self):
        return "Column<'%s'>" % self._output_name()

    # --- building --------------------------------------------------------------------
    def _with(self, parts, name):
        return Column(parts, name)

    def _binary(self, op, other, reverse=False, spark_op=None):
        o = _to_column(other)
        left, right = (o, self) if reverse else (self, o)
        name = "(%s %s %s)" % (left._output_name(), spark_op or op, right._output_name())
        return Column(("(",) + left._pieces() + (" %s " % op,) + right._pieces() + (")",), name)

    def __add__(self, o): return self._binary("+", o)
    def __radd__(self, o): return self._binary("+", o, True)
    def __sub__(self, o): return self._binary("-", o)
    def __rsub__(self, o): return self._binary("-", o, True)
    def __mul__(self, o): return self._binary("*", o)
    def __rmul__(self, o): return self._binary("*", o, True)

    def __truediv__(self, o):
        # Spark's / is always fractional.
        c = self._binary("/", o)
        return Column(("(CAST(",) + self._pieces() + (" AS DOUBLE) / ",) +
                      _to_column(o)._pieces() + (")",), c._name)

    def __rtruediv__(self, o):
        c = self._binary("/", o, True)
        return Column(("(CAST(",) + _to_column(o)._pieces() + (" AS DOUBLE) / ",) +
                      self._pieces() + (")",), c._name)

    def __mod__(self, o): return self._binary("%", o)
    def __rmod__(self, o): return self._binary("%", o, True)
    def __pow__(self, o): return _call("power", "POWER", self, o)
    def __eq__(self, o): return self._binary("=", o)
    def __ne__(self, o): return self._binary("<>", o, spark_op="!=")
    def __lt__(self, o): return self._binary("<", o)
    def __le__(self, o): return self._binary("<=", o)
    def __gt__(self, o): return self._binary(">", o)
    def __ge__(self, o): return self._binary(">=", o)
    def __and__(self, o): return self._binary("AND", o)
    def __rand__(self, o): return self._binary("AND", o, True)
    def __or__(self, o): return self._binary("OR", o)
    def __ror__(self, o): return self._binary("OR", o, True)

    def __invert__(self):
        return Column(("(NOT ",) + self._pieces() + (")",), "(NOT %s)" % self._name)

    def __neg__(self):
        return Column(("(- ",) + self._pieces() + (")",), "(- %s)" % self._name)

    __hash__ = None

    def __bool__(self):
        raise ValueError("a Column has no truth value: use '&' for 'and', '|' for 'or', "
                         "'~' for 'not' when building conditions")

    def __getitem__(self, key):
        return _call("list_extract" if isinstance(key, int) else "struct_extract", None,
                     self, lit_column(key + 1 if isinstance(key, int) else key))

    def alias(self, *names):
        c = Column(self._parts, self._name)
        c._case = self._case
        c._alias = names[0]
        c._expands = self._expands
        c._window = self._window
        return c

    name = alias

    def cast(self, data_type):
        t = to_sql_type(data_type)
        return Column(("CAST(",) + self._pieces() + (" AS %s)" % t,), self._name)

    astype = cast

    def isNull(self):
        return Column(("(",) + self._pieces() + (" IS NULL)",), "(%s IS NULL)" % self._name)

    def isNotNull(self):
        return Column(("(",) + self._pieces() + (" IS NOT NULL)",), "(%s IS NOT NULL)" % self._name)

    def eqNullSafe(self, other):
        return self._binary("IS NOT DISTINCT FROM", other, spark_op="<=>")

    def isin(self, *values):
        if len(values) == 1 and isinstance(values[0], (list, tuple, set)):
            values = tuple(values[0])
        parts = ("(",) + self._pieces() + (" IN (",)
        for i, v in enumerate(values):
            parts += ((", ",) if i else ()) + _to_column(v)._pieces()
        return Column(parts + ("))",), "(%s IN (%s))" % (
            self._name, ", ".join(_to_column(v)._name for v in values)))

    def between(self, low, high):
        return Column(("(",) + self._pieces() + (" BETWEEN ",) + _to_column(low)._pieces() +
                      (" AND ",) + _to_column(high)._pieces() + (")",),
                      "((%s >= %s) AND (%s <= %s))" % (self._name, low, self._name, high))

    def like(self, pattern): return self._binary("LIKE", lit_column(pattern), spark_op="LIKE")
    def ilike(self, pattern): return self._binary("ILIKE", lit_column(pattern), spark_op="ILIKE")

    def rlike(self, pattern):
        return _call("regexp_matches", "RLIKE", self, lit_column(pattern))

    def startswith(self, prefix): return _call("starts_with", "startswith", self, _to_column(prefix))
    def endswith(self, suffix): return _call("ends_with", "endswith", self, _to_column(suffix))
    def contains(self, other): return _call("contains", "contains", self, _to_column(other))

    def substr(self, start, length):
        return _call("substring", "substring", self, _to_column(start), _to_column(length))

    def _sorted(self, order):
        c = Column(self._parts, self._name)
        c._case = self._case
        c._sort = order
        return c

    def asc(self): return self._sorted("ASC NULLS FIRST")
    def asc_nulls_first(self): return self._sorted("ASC NULLS FIRST")
    def asc_nulls_last(self): return self._sorted("ASC NULLS LAST")
    def desc(self): return self._sorted("DESC NULLS LAST")
    def desc_nulls_first(self): return self._sorted("DESC NULLS FIRST")
    def desc_nulls_last(self): return self._sorted("DESC NULLS LAST")

    def when(self, condition, value):
        if self._case is None or self._case[1] is not None:
            raise ValueError("when() follows functions.when() or another when()")
        c = Column((), self._name)
        c._case = (self._case[0] + [(_to_column(condition), _to_column(value))], None)
        return c

    def otherwise(self, value):
        if self._case is None or self._case[1] is not None:
            raise ValueError("otherwise() follows functions.when() and may be used once")
        c = Column((), self._name)
        c._case = (self._case[0], _to_column(value))
        return c

    def over(self, window):
        text = window._render()
        return Column(self._pieces() + (" OVER (%s)" % text,), "%s OVER (%s)" % (self._name, text))


def col_column(name):
    """F.col: a column by name; "t.x" is column x of the DataFrame aliased t; "*" all."""
    if name == "*":
        return Column(("*",), "*")
    if "." in name and not name.startswith("`"):
        qualifier, column = name.split(".", 1)
        return Column((quote(qualifier) + "." + quote(column),), column)
    return Column((quote(name.strip("`")),), name.strip("`"))


def lit_column(value):
    if isinstance(value, Column):
        return value
    name = "NULL" if value is None else ("true" if value is True else
                                          ("false" if value is False else str(value)))
    return Column((sql_literal(value),), name)


def _to_column(value):
    return value if isinstance(value, Column) else lit_column(value)


def _as_column(value):
    """A function argument: a Column, or a str naming a column."""
    return value if isinstance(value, Column) else col_column(value)


def _flatten(cols):
    """The arguments of f(a, b) or f([a, b]) as one list."""
    if len(cols) == 1 and isinstance(cols[0], (list, tuple)):
        return list(cols[0])
    return list(cols)


def _joined(pieces, sep=", "):
    """Sequences of SQL pieces joined by `sep`, as one sequence."""
    out = ()
    for i, p in enumerate(pieces):
        out += ((sep,) if i else ()) + tuple(p)
    return out


def _call(sql_name, spark_name, *args, distinct=False):
    parts = (sql_name + "(" + ("DISTINCT " if distinct else ""),) + \
        _joined(a._pieces() for a in args)
    names = [a._output_name() for a in args]
    name = "%s(%s%s)" % (spark_name or sql_name, "DISTINCT " if distinct else "", ", ".join(names))
    return Column(parts + (")",), name)
