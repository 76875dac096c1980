"""DataFrame: PySpark's DataFrame API over the engine's lazy DataFrame.

Operations on whole columns and rows (drop, rename, join on names, union, distinct, limit,
repartition, coalesce, cache, hints) call the engine's DataFrame directly; operations with
column expressions (select, filter, withColumn, groupBy().agg(), orderBy, joins on a
condition) render them to SQL over this DataFrame (see column.py) and bind it. Nothing runs
until an action: count, show, collect, toPandas, to_numpy, to_dict, write.
"""

import itertools

from sluice import convert
from sluice.row import Row
from sluice.column import Column, ColumnRef, _as_column, _flatten, col_column, quote
from sluice.types import StructField, StructType, from_sql_type

_ids = itertools.count(1)

_JOIN_SQL = {
    "inner": "JOIN", "cross": "CROSS JOIN",
    "left": "LEFT JOIN", "leftouter": "LEFT JOIN", "left_outer": "LEFT JOIN",
    "right": "RIGHT JOIN", "rightouter": "RIGHT JOIN", "right_outer": "RIGHT JOIN",
    "full": "FULL JOIN", "outer": "FULL JOIN", "fullouter": "FULL JOIN", "full_outer": "FULL JOIN",
    "semi": "SEMI JOIN", "leftsemi": "SEMI JOIN", "left_semi": "SEMI JOIN",
    "anti": "ANTI JOIN", "leftanti": "ANTI JOIN", "left_anti": "ANTI JOIN",
}


class DataFrame:
    """A lazy, immutable relation (PySpark's pyspark.sql.DataFrame)."""

    def __init__(self, session, jdf, lineage=(), alias=None):
        self._session = session
        self._jdf = jdf
        self._id = next(_ids)
        self._lineage = frozenset(lineage) | {self._id}
        self._alias = alias
        self._uncached = None

    # --- plumbing ----------------------------------------------------------------------
    @property
    def _rel(self):
        return "__df%d" % self._id

    def _derive(self, jdf, keep_alias=False):
        return DataFrame(self._session, jdf, self._lineage, self._alias if keep_alias else None)

    def _query(self, select_sql, tail=""):
        """Binds SELECT <select_sql> FROM this DataFrame <tail>."""
        text = "SELECT %s\nFROM %s %s" % (select_sql, self._rel, tail)
        return self._derive(self._session._bind(text, {self._rel: self._jdf}))

    def _columns_of(self, cols):
        return [c if isinstance(c, Column) else col_column(c) for c in _flatten(cols)]

    # --- schema ------------------------------------------------------------------------
    @property
    def columns(self):
        return list(self._jdf.columns)

    @property
    def dtypes(self):
        return [(n, from_sql_type(t).simpleString()) for n, t, _ in self._jdf.schema()]

    @property
    def schema(self):
        return StructType([StructField(n, from_sql_type(t), nullable)
                           for n, t, nullable in self._jdf.schema()])

    def printSchema(self):
        lines = ["root"]
        for n, t, nullable in self._jdf.schema():
            lines.append(" |-- %s: %s (nullable = %s)" % (
                n, from_sql_type(t).simpleString(), str(nullable).lower()))
        print("\n".join(lines))

    def __getitem__(self, item):
        if isinstance(item, str):
            if item not in self.columns and item.lower() not in [c.lower() for c in self.columns]:
                raise KeyError("no column %r in %s" % (item, self.columns))
            return Column((ColumnRef(self._id, item),), item)
        if isinstance(item, Column):
            return self.filter(item)
        if isinstance(item, (list, tuple)):
            return self.select(*item)
        if isinstance(item, int):
            return self[self.columns[item]]
        raise TypeError("unexpected item %r" % (item,))

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self.__dict__.get("_jdf").columns:
            return self[name]
        raise AttributeError("DataFrame has no attribute or column %r" % name)

    def __repr__(self):
        return "DataFrame[%s]" % ", ".join("%s: %s" % d for d in self.dtypes)

    # --- transformations -----------------------------------------------------------------
    def select(self, *cols):
        cols = self._columns_of(cols)
        names = [c._is_plain_ref() for c in cols]
        if all(n is not None for n in names):
            return self._derive(self._jdf.select_names(names))
        return self._query(", ".join(c._select_item() for c in cols))

    def selectExpr(self, *exprs):
        return self._query(", ".join(_flatten(exprs)))

    def filter(self, condition):
        text = condition if isinstance(condition, str) else condition._render()
        return self._query("*", "WHERE " + text)

    where = filter

    def withColumn(self, name, col):
        return self.withColumns({name: col})

    def withColumns(self, cols_map):
        items = []
        replaced = set()
        lower = {n.lower(): n for n in cols_map}
        for existing in self.columns:
            key = existing.lower()
            if key in lower:
                items.append(_as_expr(cols_map[lower[key]])._render() + " AS " + quote(lower[key]))
                replaced.add(lower[key])
            else:
                items.append(quote(existing))
        for name, col in cols_map.items():
            if name not in replaced:
                items.append(_as_expr(col)._render() + " AS " + quote(name))
        return self._query(", ".join(items))

    def withColumnRenamed(self, existing, new):
        if existing.lower() not in [c.lower() for c in self.columns]:
            return self  # as PySpark: renaming a missing column is a no-op
        return self._derive(self._jdf.with_column_renamed(existing, new))

    def withColumnsRenamed(self, mapping):
        df = self
        for a, b in mapping.items():
            df = df.withColumnRenamed(a, b)
        return df

    def toDF(self, *names):
        return self.select(*[col_column(c).alias(n) for c, n in zip(self.columns, names)])

    def drop(self, *cols):
        present = {c.lower() for c in self.columns}
        names = []
        for c in cols:
            name = c if isinstance(c, str) else c._is_plain_ref()
            if name is None:
                raise TypeError("drop() takes column names or column references")
            if name.lower() in present:
                names.append(name)
        return self._derive(self._jdf.drop(names)) if names else self

    def union(self, other):
        return self._derive(self._jdf.union(other._jdf))

    unionAll = union

    def unionByName(self, other, allowMissingColumns=False):
        mine = self.columns
        theirs = {c.lower(): c for c in other.columns}
        if not allowMissingColumns:
            missing = [c for c in mine if c.lower() not in theirs]
            if missing:
                from sluice.errors import BindError
                raise BindError("unionByName: columns %s are missing from the other DataFrame"
                                % missing)
            return self.union(other.select(*[theirs[c.lower()] for c in mine]))
        left, right = self, other
        extra = [c for c in other.columns if c.lower() not in {m.lower() for m in mine}]
        if extra:
            left = self.select("*", *[_null_like(other, c).alias(c) for c in extra])
        items = []
        for c in mine + extra:
            items.append(col_column(theirs[c.lower()]) if c.lower() in theirs
                         else _null_like(self, c).alias(c))
        return left.union(right.select(*items))

    def distinct(self):
        return self._derive(self._jdf.distinct())

    def dropDuplicates(self, subset=None):
        return self._derive(self._jdf.drop_duplicates(list(subset or [])))

    drop_duplicates = dropDuplicates

    def groupBy(self, *cols):
        return GroupedData(self, self._columns_of(cols))

    groupby = groupBy

    def agg(self, *exprs):
        return GroupedData(self, []).agg(*exprs)

    def join(self, other, on=None, how=None):
        how = (how or "inner").lower().replace(" ", "")
        if how not in _JOIN_SQL:
            from sluice.errors import InvalidInputError
            raise InvalidInputError("unknown join type %r (known: %s)" % (how, ", ".join(_JOIN_SQL)))
        if on is None:
            if how in ("inner", "cross"):
                return self.crossJoin(other)
            from sluice.errors import InvalidInputError
            raise InvalidInputError("a %s join needs a condition (on=...)" % how)
        if isinstance(on, str):
            on = [on]
        if isinstance(on, (list, tuple)) and all(isinstance(c, str) for c in on):
            jhow = {"leftsemi": "semi", "left_semi": "semi", "leftanti": "anti",
                    "left_anti": "anti", "fullouter": "full", "full_outer": "full",
                    "leftouter": "left", "rightouter": "right"}.get(how, how)
            return DataFrame(self._session, self._jdf.join_on(other._jdf, list(on), jhow),
                             self._lineage | other._lineage)
        if isinstance(on, (list, tuple)):
            cond = on[0]
            for c in on[1:]:
                cond = cond & c
            on = cond
        return self._join_on_condition(other, on, how)

    def _join_on_condition(self, other, condition, how):
        left_name = self._alias or "__l"
        right_name = other._alias or "__r"

        def resolve(ref):
            if ref.df_id == self._id or (ref.df_id in self._lineage and
                                         ref.df_id not in other._lineage):
                return quote(left_name) + "." + quote(ref.name)
            if ref.df_id in other._lineage:
                return quote(right_name) + "." + quote(ref.name)
            return quote(ref.name)

        text = "SELECT *\nFROM %s AS %s %s %s AS %s ON %s" % (
            self._rel, quote(left_name), _JOIN_SQL[how], other._rel, quote(right_name),
            condition._render(resolve))
        jdf = self._session._bind(text, {self._rel: self._jdf, other._rel: other._jdf})
        return DataFrame(self._session, jdf, self._lineage | other._lineage)

    def crossJoin(self, other):
        return DataFrame(self._session, self._jdf.cross_join(other._jdf),
                         self._lineage | other._lineage)

    def alias(self, alias):
        """Names this DataFrame for qualified references in joins: F.col("alias.x")."""
        return DataFrame(self._session, self._jdf, self._lineage, alias)

    def orderBy(self, *cols, ascending=True):
        cols = self._columns_of(cols)
        if isinstance(ascending, bool):
            ascending = [ascending] * len(cols)
        keys = []
        for c, asc in zip(cols, ascending):
            order = c._sort or ("ASC NULLS FIRST" if asc else "DESC NULLS LAST")
            keys.append(c._render() + " " + order)
        return self._query("*", "ORDER BY " + ", ".join(keys))

    sort = orderBy

    def limit(self, num):
        return self._derive(self._jdf.limit(int(num), 0))

    def offset(self, num):
        return self._derive(self._jdf.limit(-1, int(num)))

    def repartition(self, numPartitions, *cols):
        if isinstance(numPartitions, (str, Column)):
            cols = (numPartitions,) + cols
            numPartitions = int(self._session.conf.get("shuffle_partitions"))
        names = []
        for c in self._columns_of(cols):
            n = c._is_plain_ref()
            if n is None:
                raise TypeError("repartition() takes column names or references")
            names.append(n)
        return self._derive(self._jdf.repartition(int(numPartitions), names))

    def coalesce(self, numPartitions):
        return self._derive(self._jdf.coalesce(int(numPartitions)))

    def cache(self):
        """Keeps the result in memory the first time an action runs it (returns self)."""
        if self._uncached is None:
            self._uncached = self._jdf
            self._jdf = self._jdf.cache()
        return self

    persist = cache

    def unpersist(self, blocking=False):
        if self._uncached is not None:
            self._jdf = self._uncached
            self._uncached = None
        return self

    @property
    def is_cached(self):
        return self._uncached is not None

    def hint(self, name, *parameters):
        return self._derive(self._jdf.hint(name.lower()), keep_alias=True)

    def fillna(self, value, subset=None):
        names = subset or self.columns
        if isinstance(names, str):
            names = [names]
        mapping = value if isinstance(value, dict) else {n: value for n in names}
        from sluice.functions import coalesce, lit
        return self.withColumns({n: coalesce(col_column(n), lit(v)) for n, v in mapping.items()})

    def dropna(self, how="any", subset=None):
        names = subset or self.columns
        conds = [col_column(n).isNotNull() for n in names]
        cond = conds[0]
        for c in conds[1:]:
            cond = (cond & c) if how == "any" else (cond | c)
        return self.filter(cond)

    def createOrReplaceTempView(self, name):
        self._session._s.register_view(name, self._jdf, True)

    def createTempView(self, name):
        self._session._s.register_view(name, self._jdf, False)

    # --- actions -----------------------------------------------------------------------
    def count(self):
        return self._jdf.count()

    def isEmpty(self):
        return self.limit(1).count() == 0

    def show(self, n=20, truncate=True, vertical=False):
        print(self._jdf.show_string(int(n)), end="")

    def explain(self, extended=None, mode=None):
        """Prints the plan: mode "simple"/"formatted" (the stage graph, runs nothing),
        "extended" (the logical plan too) or "analyze" (runs the query, adds metrics)."""
        if isinstance(extended, str):
            mode = extended
        mode = (mode or ("extended" if extended else "simple")).lower()
        if mode not in ("simple", "formatted", "extended", "analyze", "cost", "codegen"):
            from sluice.errors import InvalidInputError
            raise InvalidInputError("unknown explain mode %r" % mode)
        text = self._jdf.explain(mode == "analyze")
        if mode == "extended":
            text = "== Logical Plan ==\n%s\n== Physical Plan ==\n%s" % (
                self._jdf.logical_plan(), text)
        print(text)

    def collect(self):
        """Every row as a list of Row (guarded by max_collect_bytes)."""
        return convert.to_rows(self)

    def take(self, num):
        return self.limit(num).collect()

    def head(self, n=None):
        if n is None:
            rows = self.take(1)
            return rows[0] if rows else None
        return self.take(n)

    def first(self):
        return self.head()

    def toPandas(self):
        """A pandas DataFrame (guarded by max_collect_bytes). Numeric columns without NULLs
        view the engine's buffers; columns with NULLs use pandas' nullable dtypes (Int64,
        Float64, boolean); strings, dates (datetime.date) and decimals (decimal.Decimal) are
        Python objects; timestamps are datetime64[ns]."""
        return convert.to_pandas(self)

    def to_dict(self):
        """{name: NumPy array} (guarded by max_collect_bytes): numeric columns without NULLs
        view the engine's buffers (the array's base keeps them alive); with NULLs, a
        numpy.ma.MaskedArray over the same buffer; DATE datetime64[D], TIMESTAMP
        datetime64[us]; strings and decimals object arrays."""
        return convert.to_dict(self)

    def to_numpy(self):
        """One column: its 1-D array (as in to_dict). Several: a 2-D array (a copy)."""
        arrays = list(self.to_dict().values())
        if len(arrays) == 1:
            return arrays[0]
        import numpy as np
        return np.column_stack(arrays)

    def toLocalIterator(self):
        return iter(self.collect())

    @property
    def write(self):
        from sluice.readwriter import DataFrameWriter
        return DataFrameWriter(self)

    # --- Python functions over rows (slow; for completeness) -------------------------------
    def mapInPandas(self, func, schema):
        """A DataFrame, typed by `schema`, of the pandas DataFrames func yields: the engine's
        tasks call func(iterator) once per batch of rows (up to 2048), the iterator holding
        that batch as one pandas DataFrame, from its worker threads (the GIL taken per
        batch). Output columns are matched to `schema` by name (by position when the names
        differ but the count matches). Errors raise PythonUdfError with the traceback and
        the batch's rows within its partition."""
        from sluice.udf import map_in_pandas
        return self._derive(map_in_pandas(self, func, schema))

    def flatMap(self, func, schema):
        """Calls func(row) for every Row and makes a DataFrame, typed by `schema`, of the
        rows (tuples, lists or Rows) of the iterables it returns.

        Slow, for completeness: every row becomes a Python object and crosses into this
        process (built on mapInPandas). Prefer column expressions or a vectorized UDF."""
        from sluice.types import parse_schema
        names = [n for n, _ in parse_schema(schema)]

        def batches(frames):
            import pandas as pd
            for pdf in frames:
                cols = list(pdf.columns)
                out = []
                for values in pdf.itertuples(index=False, name=None):
                    row = Row._make_row(cols, [None if _is_missing(v) else v for v in values])
                    out.extend(tuple(r) for r in func(row))
                yield pd.DataFrame(out, columns=names) if out else \
                    pd.DataFrame({n: [] for n in names})

        return self.mapInPandas(batches, schema)

    def map(self, func, schema):
        """Calls func(row) for every Row and makes a DataFrame, typed by `schema`, of the
        rows (tuples, lists or Rows) it returns.

        Slow, for completeness: every row becomes a Python object and crosses into this
        process (built on mapInPandas). Prefer column expressions or a vectorized UDF."""
        return self.flatMap(lambda row: [func(row)], schema)


class GroupedData:
    """groupBy(...)'s result, waiting for its aggregates (PySpark's GroupedData)."""

    def __init__(self, df, keys):
        self._df = df
        self._keys = keys

    def _expanded(self):
        """The DataFrame and keys to group: keys that make several rows of one (a sliding
        window, explode) become columns of a projection first, as Spark expands before it
        aggregates."""
        if not any(k._expands for k in self._keys):
            return self._df, self._keys
        items = ["*"] + [k._select_item() for k in self._keys if k._expands]
        df = self._df._query(", ".join(items))
        return df, [col_column(k._output_name()) if k._expands else k for k in self._keys]

    def agg(self, *exprs):
        if len(exprs) == 1 and isinstance(exprs[0], dict):
            from sluice import functions as F
            exprs = [getattr(F, {"mean": "avg"}.get(f, f))(c) for c, f in exprs[0].items()]
        exprs = _flatten(exprs)
        df, keys = self._expanded()
        items = [k._select_item() for k in keys] + [e._select_item() for e in exprs]
        tail = ""
        if keys:
            tail = "GROUP BY " + ", ".join(k._render() for k in keys)
        return df._query(", ".join(items), tail)

    def count(self):
        from sluice import functions as F
        return self.agg(F.count("*").alias("count"))

    def _each(self, fn, cols):
        from sluice import functions as F
        if not cols:
            numeric = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "DOUBLE")
            keys = {k._output_name() for k in self._keys}
            cols = [n for n, t, _ in self._df._jdf.schema()
                    if (t in numeric or t.startswith("DECIMAL")) and n not in keys]
        return self.agg(*[getattr(F, fn)(c) for c in cols])

    def sum(self, *cols): return self._each("sum", cols)
    def avg(self, *cols): return self._each("avg", cols)
    def mean(self, *cols): return self._each("avg", cols)
    def min(self, *cols): return self._each("min", cols)
    def max(self, *cols): return self._each("max", cols)


def _is_missing(v):
    try:
        import pandas as pd
        return v is None or v is pd.NA or (isinstance(v, float) and v != v) or v is pd.NaT
    except TypeError:
        return False


def _as_expr(col):
    from sluice.column import lit_column
    return lit_column(col)


def _null_like(df, name):
    t = dict((n, t) for n, t, _ in df._jdf.schema())[name]
    return Column(("CAST(NULL AS %s)" % t,), name)
