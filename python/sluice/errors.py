"""Exceptions the engine raises, one class per kind of engine error.

Every engine error is a :class:`sluice.Error`; bad input (SQL that does not parse or bind,
a failed cast, a missing file, a memory budget exceeded) is a :class:`UserError` subclass
whose message is the one the CLI prints, with the SQL line:column and a caret.
"""

import builtins


class Error(Exception):
    """Base of every error the engine raises."""


class UserError(Error):
    """Bad input: the query, the data or a setting (not a bug in Sluice)."""


class ParseError(UserError):
    """SQL that does not parse."""


class BindError(UserError):
    """A name or type that does not resolve (unknown column, table, function)."""


class ConversionError(UserError):
    """A value that cannot be represented: a bad cast, an overflow, a division by zero."""


class OutOfRangeError(UserError):
    """A value out of the range of its type."""


class IOError(UserError, builtins.OSError):  # noqa: A001 - the engine's name for it
    """A file that cannot be read or written."""


class OutOfMemoryError(UserError, builtins.MemoryError):
    """The query needed more than the memory budget (memory_limit) allows."""


class NotImplementedError(UserError, builtins.NotImplementedError):  # noqa: A001
    """A valid request that Sluice does not support (yet)."""


class InvalidInputError(UserError, builtins.ValueError):
    """An argument out of its domain (a setting's value, an option)."""


class InterruptError(UserError):
    """The query was interrupted (Session.interrupt() from another thread)."""


class CollectTooLargeError(UserError):
    """A collect()/toPandas() whose result would pass the max_collect_bytes setting."""


class InternalError(Error):
    """A broken invariant inside the engine: a bug in Sluice."""


class PythonUdfError(UserError):
    """A Python function run by the engine raised; the message holds its traceback."""


__all__ = [
    "Error", "UserError", "ParseError", "BindError", "ConversionError", "OutOfRangeError",
    "IOError", "OutOfMemoryError", "NotImplementedError", "InvalidInputError",
    "InterruptError", "CollectTooLargeError", "InternalError", "PythonUdfError",
]
