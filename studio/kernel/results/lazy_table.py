"""A lazy or distributed frame as the results panel shows it, without collecting it.

A polars LazyFrame, a Dask or Spark DataFrame, an Ibis table or a DuckDB
relation may stand for more rows than the kernel can hold, or for hours of
cluster work. What is shown at once is only what costs nothing: the schema
and the plan (or the partitions). The first rows (with a row limit) and the
count of all rows are computed only when the user asks, each through
narwhals by the frame's own library, and each can be stopped (`cancel`).
"""

from __future__ import annotations

import contextlib
import sys
import threading
import warnings
from typing import Any

import narwhals.stable.v2 as nw

from studio.kernel.results.frame_kinds import backend_name

PLAN_LIMIT = 20_000


class LazyTable:
    """A lazy frame, and a way to stop what it is computing for us."""

    def __init__(self, frame: nw.LazyFrame[Any]) -> None:
        self.frame = frame
        self.native = frame.to_native()
        self.backend = backend_name(frame)
        self._lock = threading.Lock()
        self._cancellers: list[Any] = []

    def describe(self) -> dict[str, Any]:
        """Schema, plan and partitions: known without computing a row."""
        schema = self.frame.collect_schema()
        return {
            "backend": self.backend,
            "columns": [{"name": str(n), "dtype": str(t)} for n, t in schema.items()],
            "plan": _cut(self._plan()),
            "partitions": self._partitions(),
        }

    def head(self, rows: int) -> nw.DataFrame[Any]:
        """The first `rows` rows, computed now, as an eager frame."""
        limited = self.frame.head(max(0, rows))
        if self.frame.implementation.is_polars():
            query = limited.to_native().collect(background=True)
            self._on_cancel(query.cancel)
            return nw.from_native(query.fetch_blocking(), eager_only=True)
        if self.frame.implementation.is_dask():
            return nw.from_native(_dask_head(self.native, max(0, rows)), eager_only=True)
        self._arm_backend_cancel()
        return limited.collect()

    def count(self) -> int:
        """How many rows the frame has: the whole plan is run (an explicit action)."""
        counted = self.frame.select(nw.len())
        if self.frame.implementation.is_polars():
            query = counted.to_native().collect(background=True)
            self._on_cancel(query.cancel)
            return int(query.fetch_blocking().item())
        self._arm_backend_cancel()
        return int(counted.collect().item())

    def cancel(self) -> None:
        """Ask the library to stop the query it runs for us (where it can be asked)."""
        with self._lock:
            cancellers, self._cancellers = self._cancellers, []
        for cancel in cancellers:
            with contextlib.suppress(Exception):  # it had finished, or the library refused
                cancel()

    # -- internals -------------------------------------------------------------

    def _on_cancel(self, cancel: Any) -> None:
        with self._lock:
            self._cancellers.append(cancel)

    def _arm_backend_cancel(self) -> None:
        implementation = self.frame.implementation
        native = self.native
        if implementation.is_ibis():
            connection = getattr(_ibis_backend(native), "con", None)
            if connection is not None and hasattr(connection, "interrupt"):
                self._on_cancel(connection.interrupt)  # DuckDB stops the running query
        elif implementation.is_pyspark() or implementation.is_pyspark_connect():
            session = getattr(native, "sparkSession", None)
            context = getattr(session, "sparkContext", None)
            if context is not None:
                self._on_cancel(context.cancelAllJobs)
        elif implementation.is_duckdb():
            duckdb = sys.modules.get("duckdb")
            if duckdb is not None:
                self._on_cancel(duckdb.interrupt)

    def _plan(self) -> str:
        native = self.native
        implementation = self.frame.implementation
        try:
            if implementation.is_polars():
                return str(native.explain(optimized=True))
            if implementation.is_dask():
                return _dask_plan(native)
            if implementation.is_ibis():
                import ibis

                return str(ibis.to_sql(native))
            if implementation.is_pyspark() or implementation.is_pyspark_connect():
                return str(native._jdf.queryExecution().toString())
            if implementation.is_duckdb():
                return str(native.explain())
        except Exception as error:  # a plan is a help, not a need
            return f"(no plan: {type(error).__name__}: {error})"
        return repr(native)

    def _partitions(self) -> int | None:
        if self.frame.implementation.is_dask():
            return int(self.native.npartitions)
        return None


def _dask_head(frame: Any, rows: int) -> Any:
    """The first rows, from as few partitions as hold them, one after the other.

    Dask's `head(npartitions=-1)` (what narwhals asks for) computes every
    partition for ten rows. Between partitions Python runs, so Stop's
    KeyboardInterrupt ends the fetch there.
    """
    import pandas as pd

    parts = []
    for number in range(frame.npartitions):
        if rows <= 0:
            break
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # dask warns when a partition has fewer rows
            part = frame.get_partition(number).head(rows, npartitions=1, compute=True)
        parts.append(part)
        rows -= len(part)
    return pd.concat(parts) if parts else frame._meta


def _dask_plan(frame: Any) -> str:
    expression = getattr(frame, "expr", None)
    tree = getattr(expression, "tree_repr", None)
    text = tree() if callable(tree) else repr(frame)
    return f"{frame.npartitions} partitions\n{text}"


def _ibis_backend(table: Any) -> Any:
    try:
        return table.get_backend()
    except Exception:  # an unbound memtable: run on ibis' default backend
        import ibis

        return ibis.get_backend()


def _cut(text: str) -> str:
    return text if len(text) <= PLAN_LIMIT else text[:PLAN_LIMIT] + "\n… (plan cut here)"
