"""Table views of results that stay in the kernel: pages of rows, sorting, filtering.

A view wraps one result as a DataFrame (a Series, an Index and 1-D/2-D
numpy arrays become one) and an order of row positions, which sorting and
filtering change without copying the frame. The GUI asks for pages of
formatted rows; it never receives the whole frame.
"""

from __future__ import annotations

import itertools
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from studio.core.atomic_write import replacing
from studio.kernel.results.cell_text import format_column, format_values
from studio.kernel.results.column_stats import describe_columns
from studio.kernel.results.value_diff import UNNAMED_COLUMN, series_frame

MAX_VIEWS = 6
SAMPLE_ROWS = 100_000
_QUERY_HINT = re.compile(r"[<>=!]|\b(and|or|not|in)\b|\.str\.|@|`")


class TableError(Exception):
    """A table request that cannot be served (bad filter, unknown column...)."""


def as_frame(value: Any) -> pd.DataFrame | None:
    """The value as a DataFrame, or None when it is not tabular."""
    if isinstance(value, pd.DataFrame):
        return value
    if isinstance(value, pd.Series):
        return series_frame(value)
    if isinstance(value, pd.Index):
        return pd.DataFrame({value.name or UNNAMED_COLUMN: value})
    if isinstance(value, np.ndarray) and value.ndim in (1, 2):
        return pd.DataFrame(value if value.ndim == 2 else {UNNAMED_COLUMN: value})
    return None


@dataclass
class TableView:
    name: str
    frame: pd.DataFrame
    positions: np.ndarray | None = None
    """Row order after filter and sort (None: the frame's own order)."""
    filter_positions: np.ndarray | None = None
    sort: tuple[int, bool] | None = None
    expression: str = ""
    columns: list[dict[str, str]] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.frame) if self.positions is None else len(self.positions)


class TableViews:
    def __init__(self) -> None:
        self._views: OrderedDict[int, TableView] = OrderedDict()
        self._ids = itertools.count(1)

    def open(self, name: str, value: Any, first_rows: int = 0) -> dict[str, Any]:
        """A view of a tabular value, and its first `first_rows` rows."""
        frame = as_frame(value)
        if frame is None:
            raise TableError(f"{name} is a {type(value).__name__}, not a table")
        view_id = next(self._ids)
        columns = [{"name": str(c), "dtype": str(frame[c].dtype)} for c in frame.columns]
        self._views[view_id] = TableView(name, frame, columns=columns)
        while len(self._views) > MAX_VIEWS:
            self._views.popitem(last=False)
        index = frame.index
        opened = {
            "view": view_id,
            "rows": len(frame),
            "columns": columns,
            "index_name": "" if index.name is None else str(index.name),
            "index_dtype": str(index.dtype),
        }
        if first_rows > 0:
            opened["first"] = self.rows(view_id, 0, first_rows)
        return opened

    def close(self, view_id: int) -> None:
        self._views.pop(view_id, None)

    def view(self, view_id: int) -> TableView:
        try:
            view = self._views[view_id]
        except KeyError:
            raise TableError(
                "this table is no longer open in the kernel; select the node again"
            ) from None
        self._views.move_to_end(view_id)
        return view

    def rows(self, view_id: int, start: int, stop: int) -> dict[str, Any]:
        view = self.view(view_id)
        start = max(0, start)
        stop = min(view.rows, max(start, stop))
        if view.positions is None:
            page = view.frame.iloc[start:stop]
        else:
            page = view.frame.iloc[view.positions[start:stop]]
        return {
            "view": view_id,
            "start": start,
            "rows": [format_column(page.iloc[:, i]) for i in range(page.shape[1])],
            "index": format_values(page.index.to_numpy()),
            "positions": (
                list(range(start, stop))
                if view.positions is None
                else [int(p) for p in view.positions[start:stop]]
            ),
        }

    def sort(self, view_id: int, column: int | None, ascending: bool = True) -> dict[str, Any]:
        view = self.view(view_id)
        if column is not None and not 0 <= column < view.frame.shape[1]:
            raise TableError(f"no column {column}")
        view.sort = None if column is None else (column, ascending)
        self._reorder(view)
        return {"view": view_id, "rows": view.rows}

    def filter(self, view_id: int, expression: str) -> dict[str, Any]:
        view = self.view(view_id)
        text = expression.strip()
        view.expression = text
        view.filter_positions = None if not text else self._matching(view.frame, text)
        self._reorder(view)
        return {"view": view_id, "rows": view.rows, "mode": _filter_mode(view.frame, text)}

    def summaries(self, view_id: int) -> dict[str, Any]:
        view = self.view(view_id)
        frame = view.frame
        sampled = None
        if len(frame) > SAMPLE_ROWS:
            rng = np.random.default_rng(0)
            rows = np.sort(rng.choice(len(frame), SAMPLE_ROWS, replace=False))
            frame = frame.iloc[rows]
            sampled = SAMPLE_ROWS
        return {
            "view": view_id,
            "sampled": sampled,
            "total": len(view.frame),
            "columns": describe_columns(frame),
        }

    def export(self, view_id: int, path: str, fmt: str) -> dict[str, Any]:
        view = self.view(view_id)
        frame = view.frame if view.positions is None else view.frame.iloc[view.positions]
        target = Path(path)
        keep_index = not isinstance(frame.index, pd.RangeIndex)
        if fmt not in ("csv", "parquet"):
            raise TableError(f"unknown export format {fmt!r} (csv or parquet)")
        with replacing(target) as partial:
            if fmt == "csv":
                frame.to_csv(partial, index=keep_index)
            else:
                frame.to_parquet(partial, index=keep_index)
        return {"path": str(target), "rows": len(frame)}

    # -- internals ---------------------------------------------------------------

    @staticmethod
    def _matching(frame: pd.DataFrame, text: str) -> np.ndarray:
        if _filter_mode(frame, text) == "query":
            try:
                mask = frame.eval(text)
            except Exception as error:
                raise TableError(f"{type(error).__name__}: {error}") from None
            if not (isinstance(mask, pd.Series) and mask.dtype == bool):
                raise TableError(f"{text!r} is not a condition (it gives {type(mask).__name__})")
            return np.flatnonzero(mask.to_numpy())
        needle = text.lower()
        found = np.zeros(len(frame), dtype=bool)
        for column in frame.columns:
            values = frame[column].astype(str).str.lower()
            found |= values.str.contains(needle, regex=False).to_numpy()
        return np.flatnonzero(found)

    @staticmethod
    def _reorder(view: TableView) -> None:
        base = view.filter_positions
        if view.sort is None:
            view.positions = base
            return
        column, ascending = view.sort
        values = view.frame.iloc[:, column]
        if base is not None:
            values = values.iloc[base]
        order = _argsort(values, ascending)
        view.positions = order if base is None else base[order]


def _argsort(values: pd.Series, ascending: bool) -> np.ndarray:
    """Stable order of the values (ties keep their order), missing values last.

    The same order as pandas' `sort_values(kind="stable", na_position="last")`.
    """
    keys = values.to_numpy()
    if keys.dtype.kind not in "iufbmM":
        try:
            keys = values.rank(method="dense", na_option="bottom").to_numpy()
        except TypeError:  # values that do not compare with each other
            keys = values.astype(str).to_numpy()
    if ascending:
        order = np.argsort(keys, kind="stable")
    else:
        order = len(keys) - 1 - np.argsort(keys[::-1], kind="stable")[::-1]
    missing = values.isna().to_numpy()[order]
    if missing.any():
        order = np.concatenate([order[~missing], order[missing]])
    return order


def _filter_mode(frame: pd.DataFrame, text: str) -> str:
    """'query' for a pandas condition (`age > 30 and city == "Oslo"`), else 'search'."""
    if not text:
        return "none"
    if _QUERY_HINT.search(text):
        return "query"
    columns = {str(c) for c in frame.columns}
    return "query" if text in columns else "search"
