"""How a frame of any library changed (polars, PyArrow, Dask, Ibis, Spark...), by narwhals.

The same report as `value_diff` gives pandas frames (shape, columns added
and removed, dtype changes, rows added and removed, changed cells per
column with examples, statistic deltas), worked out by the frames' own
library. These frames have no index, so rows are matched by position. A
lazy frame is compared on its first `LAZY_COMPARE_ROWS` rows only (the user
asked for a comparison, not for the whole cluster's data), and the report
says so.
"""

from __future__ import annotations

import reprlib
from typing import Any

import narwhals.stable.v2 as nw

from studio.kernel.results.frame_kinds import eager_frame, lazy_frame

EXAMPLES = 3
LAZY_COMPARE_ROWS = 10_000
_SHORT = reprlib.Repr(maxstring=60, maxother=60, maxlist=6, maxdict=6)


def as_any_frame(value: Any) -> tuple[nw.DataFrame[Any], str] | None:
    """An eager narwhals frame for a frame of any library, and a note on what was compared."""
    eager = eager_frame(value)
    if eager is not None:
        return eager, ""
    lazy = lazy_frame(value)
    if lazy is None:
        return None
    rows = lazy.head(LAZY_COMPARE_ROWS).collect()
    return rows, f"the first {LAZY_COMPARE_ROWS:,} rows of each lazy frame were computed"


def compare_frames(before: nw.DataFrame[Any], after: nw.DataFrame[Any]) -> dict[str, Any]:
    """The `kind: frame` report of two eager narwhals frames, rows matched by position."""
    names_before = [str(c) for c in before.columns]
    names_after = [str(c) for c in after.columns]
    common = [c for c in names_after if c in set(names_before)]
    schema_before, schema_after = before.schema, after.schema
    rows_before, rows_after = len(before), len(after)
    report: dict[str, Any] = {
        "kind": "frame",
        "shape": [[rows_before, len(names_before)], [rows_after, len(names_after)]],
        "columns_added": [c for c in names_after if c not in set(names_before)],
        "columns_removed": [c for c in names_before if c not in set(names_after)],
        "dtype_changes": [
            {"column": c, "before": str(schema_before[c]), "after": str(schema_after[c])}
            for c in common
            if str(schema_before[c]) != str(schema_after[c])
        ],
        "matched_by": "position (these frames have no index)",
        "rows_added": max(0, rows_after - rows_before),
        "rows_removed": max(0, rows_before - rows_after),
        "rows_added_examples": [str(i) for i in range(rows_before, rows_after)][:EXAMPLES],
        "rows_removed_examples": [str(i) for i in range(rows_after, rows_before)][:EXAMPLES],
    }
    if before.implementation is not after.implementation:
        # The library changed (pandas → polars): both as Arrow, so cells can be compared.
        before = nw.from_native(before.to_arrow(), eager_only=True)
        after = nw.from_native(after.to_arrow(), eager_only=True)
    shared = min(rows_before, rows_after)
    old, new = before[:shared], after[:shared]
    changed = []
    stats = []
    for column in common:
        a, b = old.get_column(column), new.get_column(column)
        count, examples = _changed_cells(a, b)
        if count:
            changed.append({"column": column, "cells": count, "examples": examples})
        delta = _stat_delta(column, before.get_column(column), after.get_column(column))
        if delta is not None:
            stats.append(delta)
    report["changed"] = changed
    report["stats"] = stats
    report["equal"] = not (
        changed
        or report["rows_added"]
        or report["rows_removed"]
        or report["columns_added"]
        or report["columns_removed"]
        or report["dtype_changes"]
    )
    return report


def _changed_cells(a: nw.Series[Any], b: nw.Series[Any]) -> tuple[int, list[dict[str, Any]]]:
    try:
        same = (a == b).fill_null(value=False) | (a.is_null() & b.is_null())
    except Exception:  # values the library cannot compare (nested, mixed types): by text
        a_text, b_text = a.cast(nw.String()), b.cast(nw.String())
        same = (a_text == b_text).fill_null(value=False) | (a.is_null() & b.is_null())
    differs = ~same
    count = int(differs.sum())
    if not count:
        return 0, []
    where = differs.arg_true().head(EXAMPLES).to_list()
    examples = [
        {"index": str(i), "before": _short(a.item(i)), "after": _short(b.item(i))} for i in where
    ]
    return count, examples


def _stat_delta(column: str, a: nw.Series[Any], b: nw.Series[Any]) -> dict[str, Any] | None:
    if not (a.dtype.is_numeric() and b.dtype.is_numeric()):
        return None
    row: dict[str, Any] = {"column": column}
    for stat in ("mean", "min", "max"):
        pair = [_number(getattr(a, stat)()), _number(getattr(b, stat)())]
        if pair[0] != pair[1]:
            row[stat] = pair
    return row if len(row) > 1 else None


def _number(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else number


def _short(value: Any) -> str:
    item = getattr(value, "item", None)  # a numpy scalar: the Python value it holds
    if callable(item) and getattr(value, "shape", None) == ():
        value = item()
    return _SHORT.repr(value)
