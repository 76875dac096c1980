"""Session: the entry point (PySpark's SparkSession), one engine Session underneath."""

from sluice import _sluice
from sluice.convert import to_columns
from sluice.dataframe import DataFrame
from sluice.udf import UDFRegistration, register_used


def _setting_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class RuntimeConfig:
    """session.conf: the engine's settings (SET / RESET), by name."""

    def __init__(self, session):
        self._s = session

    def set(self, key, value):
        self._s.set(key, _setting_text(value))

    def get(self, key, default=None):
        try:
            return self._s.get(key)
        except Exception:
            if default is not None:
                return default
            raise

    def unset(self, key):
        self._s.reset(key)


class Dbt:
    """session.dbt: the dbt-style runner over this session's warehouse.

    Each call returns a dict: success, elapsed (seconds), results (one dict per node:
    unique_id, resource_type, status, message, rows_affected, failures, execution_time)."""

    def __init__(self, session):
        self._s = session

    def _run(self, command, project_dir, select, exclude, threads, full_refresh):
        select = [select] if isinstance(select, str) else list(select or [])
        exclude = [exclude] if isinstance(exclude, str) else list(exclude or [])
        return self._s.dbt(command, str(project_dir), select, exclude, int(threads),
                           bool(full_refresh))

    def build(self, project_dir=".", select=None, exclude=None, threads=1, full_refresh=False):
        return self._run("build", project_dir, select, exclude, threads, full_refresh)

    def run(self, project_dir=".", select=None, exclude=None, threads=1, full_refresh=False):
        return self._run("run", project_dir, select, exclude, threads, full_refresh)

    def test(self, project_dir=".", select=None, exclude=None, threads=1):
        return self._run("test", project_dir, select, exclude, threads, False)

    def seed(self, project_dir=".", select=None, exclude=None, threads=1, full_refresh=False):
        return self._run("seed", project_dir, select, exclude, threads, full_refresh)


class Catalog:
    """session.catalog: what tables and views exist."""

    def __init__(self, session):
        self._s = session

    def listTables(self):
        return list(self._s.table_names())

    def tableExists(self, name):
        return self._s.has_table(name)

    def dropTempView(self, name):
        self._s.drop(name, True)


class Session:
    """A Sluice session: settings, a warehouse (in memory, or the directory `db`) and the
    worker pool queries run on. Methods may be called from several threads."""

    def __init__(self, db=None, **settings):
        self._s = _sluice.Session({k: _setting_text(v) for k, v in settings.items()}, db or "")
        self.conf = RuntimeConfig(self._s)
        self.dbt = Dbt(self._s)
        self.catalog = Catalog(self._s)
        self.udf = UDFRegistration(self._s)

    def _wrap(self, jdf):
        return DataFrame(self, jdf)

    def _bind(self, text, relations):
        """The engine DataFrame of query `text` over `relations` (name -> engine DataFrame),
        with the Python UDFs it calls registered first."""
        register_used(self._s, text)
        return self._s.bind(text, relations)

    def sql(self, query):
        """A query becomes a lazy DataFrame; other statements (CREATE, INSERT, SET, ...) run
        now and return None, or a DataFrame of their rows (SHOW, DESCRIBE, EXPLAIN)."""
        jdf = self._s.sql(query)
        return None if jdf is None else self._wrap(jdf)

    @property
    def read(self):
        from sluice.readwriter import DataFrameReader
        return DataFrameReader(self)

    @property
    def readStream(self):
        """PySpark's readStream: tables over streams for streaming queries (sluice.streaming)."""
        from sluice.streaming import DataStreamReader
        return DataStreamReader(self)

    def table(self, name):
        return self._wrap(self._s.table(name))

    def range(self, start, end=None, step=1, numPartitions=None):
        """A BIGINT column `id` (PySpark's name) of start..end-1 by step."""
        if end is None:
            start, end = 0, start
        df = self._wrap(self._s.range(int(start), int(end), int(step)))
        df = df.withColumnRenamed("range", "id")
        return df.repartition(numPartitions) if numPartitions else df

    def createDataFrame(self, data, schema=None):
        """A DataFrame from a pandas DataFrame, a dict of arrays (NumPy or lists) or a list of
        rows (tuples, dicts, Rows). `schema`: a StructType, "a INT, b STRING", a list of
        names, or a dict name -> type; without it the types are inferred."""
        return self._wrap(self._s.create_dataframe(to_columns(data, schema)))

    def interrupt(self):
        """Stops every query of this session that is running now (from another thread)."""
        self._s.interrupt()

    def stop(self):
        """Nothing to release early; the session ends when no DataFrame refers to it."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    class Builder:
        """SparkSession.builder...getOrCreate(), for code written for PySpark."""

        def __init__(self):
            self._settings = {}
            self._db = None

        def appName(self, name):
            return self

        def master(self, master):
            return self

        def enableHiveSupport(self):
            return self

        def config(self, key=None, value=None, conf=None, **kwargs):
            if key is not None:
                if key in ("spark.sql.shuffle.partitions",):
                    key = "shuffle_partitions"
                if key.startswith("spark."):
                    return self  # Spark's own settings have no meaning here
                self._settings[key] = value
            self._settings.update(kwargs)
            return self

        def getOrCreate(self):
            return Session(self._db, **self._settings)

    builder = None


Session.builder = Session.Builder()
SparkSession = Session


def connect(db=None, **settings):
    """A new session: `db` a warehouse directory (None: in memory); settings by name
    (threads=4, memory_limit="2GB", max_collect_bytes="1GB", ...)."""
    return Session(db, **settings)
