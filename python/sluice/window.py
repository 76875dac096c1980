"""Window specifications for window functions: F.row_number().over(Window.partitionBy(...))."""

import sys

from sluice.column import Column, _as_column


class WindowSpec:
    """PARTITION BY, ORDER BY and a frame, rendered into OVER (...)."""

    def __init__(self, partition=(), order=(), frame=None):
        self._partition = tuple(partition)
        self._order = tuple(order)
        self._frame = frame

    def partitionBy(self, *cols):
        return WindowSpec(_columns(cols), self._order, self._frame)

    def orderBy(self, *cols):
        return WindowSpec(self._partition, _columns(cols), self._frame)

    def rowsBetween(self, start, end):
        return WindowSpec(self._partition, self._order, ("ROWS", start, end))

    def rangeBetween(self, start, end):
        return WindowSpec(self._partition, self._order, ("RANGE", start, end))

    def _render(self):
        out = []
        if self._partition:
            out.append("PARTITION BY " + ", ".join(c._render() for c in self._partition))
        if self._order:
            out.append("ORDER BY " + ", ".join(
                c._render() + " " + (c._sort or "ASC NULLS FIRST") for c in self._order))
        if self._frame is not None:
            kind, start, end = self._frame
            out.append("%s BETWEEN %s AND %s" % (kind, _bound(start), _bound(end)))
        return " ".join(out)


def _bound(v):
    if v <= Window.unboundedPreceding:
        return "UNBOUNDED PRECEDING"
    if v >= Window.unboundedFollowing:
        return "UNBOUNDED FOLLOWING"
    if v == 0:
        return "CURRENT ROW"
    return "%d %s" % (abs(v), "PRECEDING" if v < 0 else "FOLLOWING")


def _columns(cols):
    if len(cols) == 1 and isinstance(cols[0], (list, tuple)):
        cols = cols[0]
    return [_as_column(c) for c in cols]


class Window:
    """Entry points of window specifications (PySpark's pyspark.sql.Window)."""

    unboundedPreceding = -sys.maxsize
    unboundedFollowing = sys.maxsize
    currentRow = 0

    @staticmethod
    def partitionBy(*cols):
        return WindowSpec().partitionBy(*cols)

    @staticmethod
    def orderBy(*cols):
        return WindowSpec().orderBy(*cols)

    @staticmethod
    def rowsBetween(start, end):
        return WindowSpec().rowsBetween(start, end)

    @staticmethod
    def rangeBetween(start, end):
        return WindowSpec().rangeBetween(start, end)


__all__ = ["Window", "WindowSpec", "Column"]
