"""Per-column summaries of a frame of any library: nulls, distinct values, range, common values,
histogram.

Written against narwhals, so each statistic is computed by the frame's own
library (pandas, polars, PyArrow...); only the histogram's counts are
numpy's, over the column's finite values (at most the sample's rows).
"""

from __future__ import annotations

from typing import Any

import narwhals.stable.v2 as nw
import numpy as np

from studio.kernel.results.cell_text import format_list

HISTOGRAM_BINS = 20
TOP_VALUES = 5


def describe_columns(frame: Any) -> list[dict[str, Any]]:
    """Summaries of every column (a narwhals DataFrame, or any frame narwhals reads)."""
    wrapped = frame if isinstance(frame, nw.DataFrame) else nw.from_native(frame, eager_only=True)
    return [describe_column(str(name), wrapped.get_column(name)) for name in wrapped.columns]


def describe_column(name: str, column: Any) -> dict[str, Any]:
    """One column's summary (a narwhals Series, or any series narwhals reads)."""
    if not isinstance(column, nw.Series):
        column = nw.from_native(column, series_only=True)
    dtype = column.dtype
    native_dtype = getattr(column.to_native(), "dtype", dtype)
    summary: dict[str, Any] = {
        "name": name,
        "dtype": str(native_dtype),
        "nulls": int(column.null_count()),
    }
    present = column.drop_nulls()
    try:
        summary["distinct"] = int(present.n_unique())
    except Exception:  # unhashable values (lists, dicts)
        summary["distinct"] = None
    if dtype == nw.Boolean:
        summary["top"] = _top(present)
    elif dtype.is_numeric() and len(present):
        low, high = present.min(), present.max()
        summary["min"], summary["max"] = format_list([_plain(low), _plain(high)])
        values = present.to_numpy().astype(float, copy=False)
        finite = values[np.isfinite(values)]
        summary["mean"] = format_list([float(finite.mean())])[0] if len(finite) else "NaN"
        if len(finite):
            counts, edges = np.histogram(finite, bins=HISTOGRAM_BINS)
            summary["histogram"] = {"counts": counts.tolist(), "edges": edges.tolist()}
    elif dtype.is_temporal() and len(present):
        summary["min"], summary["max"] = str(present.min()), str(present.max())
    elif len(present):
        summary["top"] = _top(present)
    return summary


def _top(values: nw.Series[Any]) -> list[list[Any]]:
    try:
        counts = values.value_counts(sort=True, name="__count__").head(TOP_VALUES)
    except Exception:  # values that do not hash: counted by their text
        counts = values.cast(nw.String()).value_counts(sort=True, name="__count__").head(TOP_VALUES)
    labels = format_list([_plain(v) for v in counts.get_column(values.name).to_list()])
    tallies = counts.get_column("__count__").to_list()
    return [[label, int(count)] for label, count in zip(labels, tallies, strict=True)]


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value it holds (cells print Python values)."""
    item = getattr(value, "item", None)
    return item() if callable(item) and getattr(value, "shape", None) == () else value
