"""Table cells as the results panel shows them: short, readable text."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

_CELL_LIMIT = 200


def format_column(column: pd.Series) -> list[str]:
    return format_values(column.to_numpy())


def format_values(values: np.ndarray) -> list[str]:
    if values.dtype.kind == "f":
        return [_format_float(v) for v in values.tolist()]
    if values.dtype.kind in "iub":
        return [str(v) for v in values.tolist()]
    return [_cell(v) for v in values.tolist()]


def format_list(values: list[Any]) -> list[str]:
    """Cells of a non-pandas column, from its Python values (None is missing)."""
    return [_cell(v) for v in values]


def _format_float(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if value == int(value) and abs(value) < 1e15:
        return f"{value:.1f}"
    return f"{value:.6g}"


def _cell(value: Any) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return "<NA>"
    if isinstance(value, float):
        return _format_float(value)
    text = str(value)
    return text if len(text) <= _CELL_LIMIT else text[: _CELL_LIMIT - 1] + "…"
