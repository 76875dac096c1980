"""session.read and df.write (PySpark's DataFrameReader and DataFrameWriter)."""

import os
import shutil
import uuid

from sluice.errors import InvalidInputError


def _text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _Options:
    """option() / options() of the readers and writers (PySpark's), into self._options."""

    def option(self, key, value):
        self._options[key] = _text(value)
        return self

    def options(self, **options):
        for k, v in options.items():
            self.option(k, v)
        return self


class DataFrameReader(_Options):
    """Lazy readers: the schema is sniffed now, rows are read when an action runs."""

    def __init__(self, session):
        self._session = session
        self._format = None
        self._options = {}

    def format(self, source):
        self._format = source.lower()
        return self


    def schema(self, schema):
        raise NotImplementedError("reader schemas are inferred; cast columns after reading")

    def load(self, path=None, format=None, **options):  # noqa: A002
        fmt = (format or self._format or "parquet").lower()
        self.options(**options)
        return getattr(self, fmt)(path)

    def csv(self, path, **options):
        """CSV files (a path, glob or directory). Options: header, sep, quote, escape,
        nullValue, dateFormat, timestampFormat, skip, ignore_errors, inferSchema."""
        self.options(**{k: v for k, v in options.items() if v is not None})
        return self._session._wrap(self._session._s.read_csv(str(path), self._options))

    def parquet(self, *paths, **options):
        if len(paths) != 1:
            raise InvalidInputError("parquet() reads one path, glob or directory")
        return self._session._wrap(self._session._s.read_parquet(str(paths[0])))

    def json(self, path, **options):
        """JSON lines (one object per line)."""
        return self._session._wrap(self._session._s.read_json(str(path)))

    def table(self, name):
        return self._session.table(name)


class DataFrameWriter(_Options):
    """Writes a DataFrame from the engine's tasks, in parallel.

    Modes: "error"/"errorifexists" (default: fail if the path exists), "overwrite" (replace it
    atomically), "append" (add files beside the existing ones), "ignore" (do nothing if it
    exists). A path ending in the format's extension gets one file; any other path becomes
    a directory of part files (Hive-style subdirectories with partitionBy)."""

    def __init__(self, df):
        self._df = df
        self._mode = "errorifexists"
        self._format = None
        self._options = {}
        self._partition_by = []

    def mode(self, saveMode):
        mode = (saveMode or "errorifexists").lower()
        if mode == "error":
            mode = "errorifexists"
        if mode not in ("errorifexists", "overwrite", "append", "ignore"):
            raise InvalidInputError("unknown save mode %r" % saveMode)
        self._mode = mode
        return self

    def format(self, source):
        self._format = source.lower()
        return self


    def partitionBy(self, *cols):
        if len(cols) == 1 and isinstance(cols[0], (list, tuple)):
            cols = cols[0]
        self._partition_by = list(cols)
        return self

    def _apply(self, mode, partitionBy, options):
        if mode is not None:
            self.mode(mode)
        if partitionBy is not None:
            self.partitionBy(partitionBy if isinstance(partitionBy, (list, tuple)) else [partitionBy])
        self.options(**{k: v for k, v in options.items() if v is not None})

    def parquet(self, path, mode=None, partitionBy=None, compression=None):
        self._apply(mode, partitionBy, {"compression": compression})
        self._save(str(path), "parquet")

    def csv(self, path, mode=None, partitionBy=None, header=None, sep=None, **options):
        self._apply(mode, partitionBy, dict(header=header, delimiter=sep, **options))
        self._save(str(path), "csv")

    def json(self, path, mode=None, partitionBy=None, **options):
        self._apply(mode, partitionBy, options)
        self._save(str(path), "json")

    def save(self, path, format=None, mode=None, partitionBy=None, **options):  # noqa: A002
        self._apply(mode, partitionBy, options)
        self._save(str(path), (format or self._format or "parquet").lower())

    def _save(self, path, fmt):
        exists = os.path.exists(path)
        if exists and self._mode == "errorifexists":
            raise InvalidInputError("path %s already exists (mode='overwrite' replaces it, "
                                    "mode='append' adds to it)" % path)
        if exists and self._mode == "ignore":
            return
        jdf = self._df._jdf
        if exists and self._mode == "append":
            if not os.path.isdir(path):
                raise InvalidInputError("cannot append to the single file %s" % path)
            staging = os.path.join(path, ".append-" + uuid.uuid4().hex)
            try:
                jdf.write(staging, fmt, self._partition_by, self._options)
                tag = uuid.uuid4().hex[:8]
                for root, _, files in os.walk(staging):
                    rel = os.path.relpath(root, staging)
                    target_dir = os.path.normpath(os.path.join(path, rel))
                    os.makedirs(target_dir, exist_ok=True)
                    for f in files:
                        os.rename(os.path.join(root, f), os.path.join(target_dir, tag + "-" + f))
            finally:
                shutil.rmtree(staging, ignore_errors=True)
            return
        jdf.write(path, fmt, self._partition_by, self._options)

    def saveAsTable(self, name, format=None, mode=None, partitionBy=None, **options):  # noqa: A002
        if mode is not None:
            self.mode(mode)
        if partitionBy:
            raise InvalidInputError("saveAsTable() does not partition tables; use write.parquet")
        s = self._df._session._s
        exists = s.has_table(name)
        if exists and self._mode == "errorifexists":
            raise InvalidInputError("table %s already exists (mode='overwrite' replaces it, "
                                    "mode='append' adds to it)" % name)
        if exists and self._mode == "ignore":
            return
        if exists and self._mode == "append":
            self._df._jdf.insert_into(name)
            return
        self._df._jdf.save_as_table(name, self._mode == "overwrite")

    def insertInto(self, tableName, overwrite=False):
        if overwrite:
            self._df._jdf.save_as_table(tableName, True)
        else:
            self._df._jdf.insert_into(tableName)
