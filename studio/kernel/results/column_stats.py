"""Per-column summaries of a frame: nulls, distinct values, range, common values, histogram."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from studio.kernel.results.cell_text import format_values

HISTOGRAM_BINS = 20
TOP_VALUES = 5


def describe_columns(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [describe_column(str(name), frame[name]) for name in frame.columns]


def describe_column(name: str, column: pd.Series) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "name": name,
        "dtype": str(column.dtype),
        "nulls": int(column.isna().sum()),
    }
    try:
        summary["distinct"] = int(column.nunique(dropna=True))
    except TypeError:  # unhashable values (lists, dicts)
        summary["distinct"] = None
    present = column.dropna()
    if pd.api.types.is_bool_dtype(column):
        summary["top"] = _top(present)
    elif pd.api.types.is_numeric_dtype(column) and len(present):
        values = present.to_numpy(dtype=float)
        finite = values[np.isfinite(values)]
        summary["min"], summary["max"] = format_values(np.array([present.min(), present.max()]))
        summary["mean"] = _fmt(float(finite.mean())) if len(finite) else "NaN"
        if len(finite):
            counts, edges = np.histogram(finite, bins=HISTOGRAM_BINS)
            summary["histogram"] = {"counts": counts.tolist(), "edges": edges.tolist()}
    elif pd.api.types.is_datetime64_any_dtype(column) and len(present):
        summary["min"], summary["max"] = str(present.min()), str(present.max())
    elif len(present):
        summary["top"] = _top(present)
    return summary


def _top(values: pd.Series) -> list[list[Any]]:
    try:
        counts = values.value_counts().head(TOP_VALUES)
    except TypeError:
        counts = values.astype(str).value_counts().head(TOP_VALUES)
    labels = format_values(counts.index.to_numpy())
    return [[label, int(count)] for label, count in zip(labels, counts.tolist(), strict=True)]


def _fmt(value: float) -> str:
    return format_values(np.array([value], dtype=float))[0]
