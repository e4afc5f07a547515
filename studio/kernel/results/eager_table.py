"""One eager frame of any library, as the results table reads it: pages, order, matches, export.

The frame is held as a narwhals DataFrame over the user's own frame; each
operation runs in that frame's library. Sorting never reorders the frame:
it gives the row positions in sorted order (polars' stable sort of the one
column beside a row index, Arrow's `sort_indices`, numpy's stable argsort
for pandas), and pages are gathered from those positions. Only pandas has an
index worth showing; other frames show row numbers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np

from studio.core.atomic_write import replacing
from studio.kernel.results.cell_text import format_list, format_values
from studio.kernel.results.filter_dialects import (
    POSITION,
    Dialect,
    condition_positions,
    dialect_of,
    is_condition,
    text_positions,
)
from studio.kernel.results.frame_kinds import backend_name


class EagerTable:
    """A frame whose rows are in memory (pandas, polars, PyArrow, modin, cuDF)."""

    def __init__(self, frame: nw.DataFrame[Any]) -> None:
        self.frame = frame
        self.native = frame.to_native()
        self.backend = backend_name(frame)
        self.dialect = dialect_of(frame)
        self.is_pandas = frame.implementation.is_pandas_like()
        self.names = [str(c) for c in frame.columns]

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def columns(self) -> list[dict[str, str]]:
        if self.is_pandas:
            return [
                {"name": str(c), "dtype": str(self.native.iloc[:, i].dtype)}
                for i, c in enumerate(self.native.columns)
            ]
        return [{"name": n, "dtype": str(t)} for n, t in self.frame.schema.items()]

    @property
    def index(self) -> tuple[str, str]:
        """The index's name and dtype (pandas), else nothing: rows are numbered."""
        if not self.is_pandas:
            return "", ""
        index = self.native.index
        return ("" if index.name is None else str(index.name)), str(index.dtype)

    # -- pages ---------------------------------------------------------------------

    def page(self, start: int, stop: int, positions: np.ndarray | None) -> dict[str, Any]:
        """Rows `start:stop` of the given order as text: cells per column, index labels."""
        rows = range(start, stop) if positions is None else positions[start:stop]
        if self.is_pandas:
            native = self.native
            part = native.iloc[start:stop] if positions is None else native.iloc[rows]
            cells = [format_values(part.iloc[:, i].to_numpy()) for i in range(part.shape[1])]
            return {"rows": cells, "index": format_values(part.index.to_numpy())}
        part = self.frame[start:stop] if positions is None else self.frame[rows]
        cells = [format_list(part.get_column(name).to_list()) for name in part.columns]
        return {"rows": cells, "index": [str(int(r)) for r in rows]}

    # -- order and matches -----------------------------------------------------------

    def argsort(self, column: int, ascending: bool, base: np.ndarray | None) -> np.ndarray:
        """Positions in stable sorted order of one column (ties keep their order), missing last.

        The same order as pandas' `sort_values(kind="stable", na_position="last")`.
        """
        if self.is_pandas:
            values = self.native.iloc[:, column]
            if base is not None:
                values = values.iloc[base]
            order = _pandas_argsort(values, ascending)
            return order if base is None else base[order]
        name = self.names[column]
        if self.dialect is Dialect.PYARROW:
            return self._arrow_argsort(name, ascending, base)
        keyed = self.frame.select(name).with_row_index(POSITION)
        if base is not None:
            keyed = keyed[base]
        native = keyed.to_native()
        if self.dialect is Dialect.POLARS:
            ordered = native.sort(
                name, descending=not ascending, nulls_last=True, maintain_order=True
            )
            return ordered[POSITION].to_numpy().astype(np.int64, copy=False)
        ordered_nw = keyed.sort(
            [name, POSITION], descending=[not ascending, False], nulls_last=True
        )
        return ordered_nw[POSITION].to_numpy().astype(np.int64, copy=False)

    def _arrow_argsort(self, name: str, ascending: bool, base: np.ndarray | None) -> np.ndarray:
        import pyarrow.compute as pc

        column = self.native.column(name)
        if base is not None:
            column = column.take(base)
        order = "ascending" if ascending else "descending"
        try:
            indices = pc.array_sort_indices(column, order=order, null_placement="at_end")
        except Exception:  # values Arrow cannot order (nested types): by their text
            text = pc.cast(column, "string") if column.type != "string" else column
            indices = pc.array_sort_indices(text, order=order, null_placement="at_end")
        order_positions = indices.to_numpy()
        return order_positions if base is None else base[order_positions]

    def matching(self, text: str) -> tuple[np.ndarray, str]:
        """Positions of the rows a filter keeps, and whether it was a condition or a search."""
        if is_condition(text, self.names, self.dialect):
            return condition_positions(self.frame, text), "query"
        if self.is_pandas:
            return _pandas_search(self.native, text), "search"
        return text_positions(self.frame, text), "search"

    # -- summaries and export ------------------------------------------------------

    def rows_at(self, positions: np.ndarray | None) -> nw.DataFrame[Any]:
        return self.frame if positions is None else self.frame[positions]

    def export(self, positions: np.ndarray | None, path: Path, fmt: str) -> int:
        """Writes the rows in this order to CSV or Parquet with the frame's own writer."""
        if self.is_pandas:
            native = self.native if positions is None else self.native.iloc[positions]
            keep_index = type(native.index).__name__ != "RangeIndex"
            with replacing(path) as partial:
                if fmt == "csv":
                    native.to_csv(partial, index=keep_index)
                else:
                    native.to_parquet(partial, index=keep_index)
            return len(native)
        rows = self.rows_at(positions)
        with replacing(path) as partial:
            if fmt == "csv":
                rows.write_csv(str(partial))
            else:
                rows.write_parquet(str(partial))
        return len(rows)


def _pandas_argsort(values: Any, ascending: bool) -> np.ndarray:
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


def _pandas_search(frame: Any, text: str) -> np.ndarray:
    needle = text.lower()
    found = np.zeros(len(frame), dtype=bool)
    for i in range(frame.shape[1]):
        values = frame.iloc[:, i].astype(str).str.lower()
        found |= values.str.contains(needle, regex=False).to_numpy()
    return np.flatnonzero(found)
