"""Which results are tables, and of which library: every frame a Hamilton node returns.

Hamilton dataflows return pandas, polars, PyArrow, Dask, PySpark, Ibis or
DuckDB frames (and modin or cuDF where present). narwhals wraps each of them
in one API whose calls run in the frame's own library, so a polars frame is
sorted by polars and never converted to pandas. An eager frame (its rows in
memory) becomes a narwhals `DataFrame`; a lazy or distributed one (a polars
LazyFrame, Dask, Spark, Ibis, DuckDB) a narwhals `LazyFrame`, which is never
collected unless the user asks. A Series, an Index or a 1-D/2-D array
becomes a one- or two-dimensional pandas frame, as before.
"""

from __future__ import annotations

import sys
import warnings
from typing import Any

import narwhals.stable.v2 as nw

from studio.kernel.results.value_diff import UNNAMED_COLUMN, series_frame


def eager_frame(value: Any) -> nw.DataFrame[Any] | None:
    """The value as a narwhals DataFrame over its own library's frame, or None."""
    pd = sys.modules.get("pandas")
    np = sys.modules.get("numpy")
    if pd is not None:
        if isinstance(value, pd.Series):
            value = series_frame(value)
        elif isinstance(value, pd.Index):
            value = pd.DataFrame({value.name or UNNAMED_COLUMN: value})
    if np is not None and pd is not None and isinstance(value, np.ndarray):
        if value.ndim not in (1, 2):
            return None
        value = pd.DataFrame(value if value.ndim == 2 else {UNNAMED_COLUMN: value})
    pa = sys.modules.get("pyarrow")
    if pa is not None and isinstance(value, pa.RecordBatch):
        value = pa.Table.from_batches([value])  # zero-copy
    series = _from_native(value, series_only=True)
    if series is not None:  # a polars or PyArrow series
        return series.to_frame() if series.name else series.alias(UNNAMED_COLUMN).to_frame()
    return _from_native(value, eager_only=True)


def lazy_frame(value: Any) -> nw.LazyFrame[Any] | None:
    """A lazy or distributed frame (polars LazyFrame, Dask, Spark, Ibis, DuckDB), or None."""
    if eager_frame(value) is not None:
        return None
    wrapped = _from_native(value)
    return wrapped if isinstance(wrapped, nw.LazyFrame) else None


def is_tabular(value: Any) -> bool:
    return eager_frame(value) is not None


def backend_name(frame: nw.DataFrame[Any] | nw.LazyFrame[Any]) -> str:
    """The library the frame belongs to, as its users name it (pandas, polars, pyarrow...)."""
    return str(frame.implementation)


def _from_native(value: Any, **kinds: bool) -> Any:
    if type(value).__module__.split(".")[0] in ("builtins", "numpy"):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # narwhals suggests its Dask plugin on each call
        try:
            wrapped = nw.from_native(value, pass_through=True, **kinds)
        except (TypeError, ValueError):
            return None
    return None if wrapped is value else wrapped
