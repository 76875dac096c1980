"""Row: a result row, a tuple whose fields are also reachable by name (PySpark's Row)."""


class Row(tuple):
    """A tuple with field names: row[0], row["name"], row.name, row.asDict().

    Row(name="Alice", age=11) makes a row from keyword arguments; Row("name", "age") makes a
    row class that is called with the values, as in PySpark.
    """

    def __new__(cls, *args, **kwargs):
        if kwargs:
            row = tuple.__new__(cls, kwargs.values())
            row.__fields__ = list(kwargs)
            return row
        row = tuple.__new__(cls, args)
        row.__fields__ = None
        return row

    @classmethod
    def _make_row(cls, fields, values):
        row = tuple.__new__(cls, values)
        row.__fields__ = fields
        return row

    def __call__(self, *values):
        """A row of this row's field names (self made as Row("a", "b"))."""
        return Row._make_row(list(self), values)

    def asDict(self, recursive=False):
        if self.__fields__ is None:
            raise TypeError("a Row without field names cannot become a dict")
        return {f: (v.asDict(True) if recursive and isinstance(v, Row) else v)
                for f, v in zip(self.__fields__, self)}

    def __getitem__(self, key):
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self.__fields__.index(key))
            except (ValueError, AttributeError):
                raise KeyError(key) from None
        return tuple.__getitem__(self, key)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        fields = self.__dict__.get("__fields__")
        if fields is not None and name in fields:
            return tuple.__getitem__(self, fields.index(name))
        raise AttributeError(name)

    def __contains__(self, item):
        fields = self.__dict__.get("__fields__")
        return item in fields if fields is not None else tuple.__contains__(self, item)

    def __repr__(self):
        if self.__fields__ is None:
            return "<Row(%s)>" % ", ".join(repr(v) for v in self)
        return "Row(%s)" % ", ".join("%s=%r" % (f, v) for f, v in zip(self.__fields__, self))

    def __reduce__(self):
        return (Row._make_row, (self.__fields__, tuple(self)))
