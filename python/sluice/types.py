"""Data types: PySpark's type classes, mapped onto Sluice's SQL types.

Sluice has BOOLEAN, TINYINT, SMALLINT, INTEGER, BIGINT, DOUBLE, DECIMAL(p,s), VARCHAR, DATE,
TIMESTAMP and INTERVAL; FloatType is stored as DOUBLE.
"""

import re


class DataType:
    sql = None  # the SQL type name

    def simpleString(self):
        return self.typeName()

    def typeName(self):
        return type(self).__name__[:-4].lower()

    def __eq__(self, other):
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __hash__(self):
        return hash(self.sql)

    def __repr__(self):
        return type(self).__name__ + "()"


class BooleanType(DataType): sql = "BOOLEAN"
class ByteType(DataType):
    sql = "TINYINT"
    def simpleString(self): return "tinyint"
class ShortType(DataType):
    sql = "SMALLINT"
    def simpleString(self): return "smallint"
class IntegerType(DataType):
    sql = "INTEGER"
    def simpleString(self): return "int"
class LongType(DataType):
    sql = "BIGINT"
    def simpleString(self): return "bigint"
class FloatType(DataType): sql = "DOUBLE"
class DoubleType(DataType): sql = "DOUBLE"
class StringType(DataType): sql = "VARCHAR"
class DateType(DataType): sql = "DATE"
class TimestampType(DataType): sql = "TIMESTAMP"
class NullType(DataType):
    sql = "VARCHAR"
    def simpleString(self): return "void"
class IntervalType(DataType): sql = "INTERVAL"


class DecimalType(DataType):
    def __init__(self, precision=10, scale=0):
        self.precision = precision
        self.scale = scale
        self.sql = "DECIMAL(%d,%d)" % (precision, scale)

    def simpleString(self):
        return "decimal(%d,%d)" % (self.precision, self.scale)

    def __repr__(self):
        return "DecimalType(%d,%d)" % (self.precision, self.scale)


class StructField:
    def __init__(self, name, dataType, nullable=True):
        self.name = name
        self.dataType = dataType
        self.nullable = nullable

    def __eq__(self, other):
        return isinstance(other, StructField) and (self.name, self.dataType, self.nullable) == (
            other.name, other.dataType, other.nullable)

    def __repr__(self):
        return "StructField(%r, %r, %r)" % (self.name, self.dataType, self.nullable)


class StructType:
    def __init__(self, fields=None):
        self.fields = list(fields or [])

    def add(self, name, dataType, nullable=True):
        self.fields.append(StructField(name, parse_type(dataType) if isinstance(dataType, str)
                                       else dataType, nullable))
        return self

    @property
    def names(self):
        return [f.name for f in self.fields]

    def fieldNames(self):
        return self.names

    def __iter__(self):
        return iter(self.fields)

    def __len__(self):
        return len(self.fields)

    def __getitem__(self, key):
        if isinstance(key, str):
            for f in self.fields:
                if f.name == key:
                    return f
            raise KeyError(key)
        return self.fields[key]

    def __eq__(self, other):
        return isinstance(other, StructType) and self.fields == other.fields

    def simpleString(self):
        return "struct<%s>" % ",".join("%s:%s" % (f.name, f.dataType.simpleString())
                                       for f in self.fields)

    def __repr__(self):
        return "StructType(%r)" % self.fields


_NAMES = {
    "boolean": BooleanType, "bool": BooleanType,
    "tinyint": ByteType, "byte": ByteType, "int1": ByteType,
    "smallint": ShortType, "short": ShortType, "int2": ShortType,
    "int": IntegerType, "integer": IntegerType, "int4": IntegerType,
    "bigint": LongType, "long": LongType, "int8": LongType,
    "float": FloatType, "real": FloatType, "double": DoubleType, "float8": DoubleType,
    "string": StringType, "varchar": StringType, "text": StringType,
    "date": DateType, "timestamp": TimestampType, "datetime": TimestampType,
    "interval": IntervalType, "void": NullType, "null": NullType,
}


def parse_type(text):
    """A DataType from a type name as PySpark or SQL writes it ("int", "decimal(10,2)")."""
    t = text.strip().lower()
    m = re.fullmatch(r"(?:decimal|numeric)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?", t)
    if m:
        return DecimalType(int(m.group(1) or 18), int(m.group(2) or 0))
    t = re.sub(r"\(.*\)$", "", t).strip()  # varchar(10)
    if t in _NAMES:
        return _NAMES[t]()
    raise ValueError("unknown data type %r" % text)


def from_sql_type(text):
    """The DataType of a Sluice SQL type name ("BIGINT", "DECIMAL(15,2)")."""
    return parse_type(text)


def to_sql_type(data_type):
    """SQL type text for a DataType or a type name."""
    if isinstance(data_type, str):
        data_type = parse_type(data_type)
    return data_type.sql


def parse_schema(schema):
    """createDataFrame's schema argument as [(name, DataType or None)].

    Accepts a StructType, a DDL string ("a INT, b STRING" or "a: int, b: string"), a list of
    names, a list of (name, type) pairs, or a dict name -> type.
    """
    if schema is None:
        return None
    if isinstance(schema, StructType):
        return [(f.name, f.dataType) for f in schema.fields]
    if isinstance(schema, DataType):
        return [("value", schema)]
    if isinstance(schema, dict):
        return [(n, parse_type(t) if isinstance(t, str) else t) for n, t in schema.items()]
    if isinstance(schema, str):
        out = []
        depth, start = 0, 0
        items = []
        for i, ch in enumerate(schema):
            depth += ch == "("
            depth -= ch == ")"
            if ch == "," and depth == 0:
                items.append(schema[start:i])
                start = i + 1
        items.append(schema[start:])
        for item in items:
            item = item.strip()
            if not item:
                continue
            name, _, type_text = item.replace(":", " ", 1).partition(" ")
            out.append((name.strip("`"), parse_type(type_text)))
        return out
    out = []
    for item in schema:
        if isinstance(item, str):
            out.append((item, None))
        elif isinstance(item, StructField):
            out.append((item.name, item.dataType))
        else:
            name, t = item
            out.append((name, parse_type(t) if isinstance(t, str) else t))
    return out
