"""How a node's output changed: a report of two values, as plain data (JSON-able).

pandas frames are matched by index (frames of other libraries by position,
see `frame_diff`): rows added and removed, changed cells per
column with examples, schema changes, and summary-statistic deltas for
numeric columns. Series are compared as one-column frames, arrays cell by
cell when their shapes match, mappings key by key, sequences item by
item; anything else before → after. `studio.core.runs.value_diff_text` writes
the report for people.
"""

from __future__ import annotations

import math
import reprlib
from typing import Any

EXAMPLES = 3
_SHORT = reprlib.Repr(maxstring=60, maxother=60, maxlist=6, maxdict=6)


UNNAMED_COLUMN = "value"
"""The column of an unnamed Series, in the results table and in a comparison alike."""


def series_frame(series: Any) -> Any:
    """A Series as the one-column frame the results table shows (its name, else "value")."""
    return series.to_frame(name=series.name if series.name is not None else UNNAMED_COLUMN)


def compare(before: Any, after: Any) -> dict[str, Any]:
    """How `after` differs from `before`, as plain data with a `kind` and an `equal` flag."""
    report: dict[str, Any] = {
        "before_type": _type_name(before),
        "after_type": _type_name(after),
    }
    pd = _pandas()
    np = _numpy()
    if pd is not None and isinstance(before, pd.Series) and isinstance(after, pd.Series):
        report.update(_frames(series_frame(before), series_frame(after), pd), kind="series")
    elif pd is not None and isinstance(before, pd.DataFrame) and isinstance(after, pd.DataFrame):
        report.update(_frames(before, after, pd), kind="frame")
    elif (frames := _other_frames(before, after)) is not None:
        report.update(frames)
    elif np is not None and isinstance(before, np.ndarray) and isinstance(after, np.ndarray):
        report.update(_arrays(before, after, np))
    elif isinstance(before, dict) and isinstance(after, dict):
        report.update(_mappings(before, after))
    elif isinstance(before, list | tuple) and isinstance(after, list | tuple):
        report.update(_sequences(before, after))
    else:
        report.update(_scalars(before, after))
    return report


def _other_frames(before: Any, after: Any) -> dict[str, Any] | None:
    """Frames of other libraries (or of two libraries), compared by narwhals; else None."""
    if type(before).__module__.split(".")[0] in ("builtins", "numpy"):
        return None
    try:
        from studio.kernel.results.frame_diff import as_any_frame, compare_frames
    except ImportError:  # `studio diff` in a Python without narwhals: compared as values
        return None

    old, new = as_any_frame(before), as_any_frame(after)
    if old is None or new is None:
        return None
    report = compare_frames(old[0], new[0])
    note = old[1] or new[1]
    if note:
        report["note"] = note
    return report


def _frames(before: Any, after: Any, pd: Any) -> dict[str, Any]:
    columns_before = _unique([str(c) for c in before.columns])
    columns_after = _unique([str(c) for c in after.columns])
    before = before.set_axis(columns_before, axis=1)
    after = after.set_axis(columns_after, axis=1)
    common = [c for c in columns_after if c in set(columns_before)]
    report: dict[str, Any] = {
        "shape": [list(before.shape), list(after.shape)],
        "columns_added": [c for c in columns_after if c not in set(columns_before)],
        "columns_removed": [c for c in columns_before if c not in set(columns_after)],
        "dtype_changes": [
            {"column": c, "before": str(before[c].dtype), "after": str(after[c].dtype)}
            for c in common
            if str(before[c].dtype) != str(after[c].dtype)
        ],
    }
    by_position = not (before.index.is_unique and after.index.is_unique)
    if by_position:
        report["matched_by"] = "position (the index has duplicates)"
        before = before.reset_index(drop=True)
        after = after.reset_index(drop=True)
    added = after.index.difference(before.index, sort=False)
    removed = before.index.difference(after.index, sort=False)
    report["rows_added"] = len(added)
    report["rows_removed"] = len(removed)
    report["rows_added_examples"] = [_short(i) for i in added[:EXAMPLES]]
    report["rows_removed_examples"] = [_short(i) for i in removed[:EXAMPLES]]
    shared = after.index.intersection(before.index, sort=False)
    old, new = before.loc[shared, common], after.loc[shared, common]
    changed = []
    for column in common:
        a, b = old[column], new[column]
        try:
            same = a.eq(b).astype("boolean").fillna(False).to_numpy(dtype=bool)
            differs = pd.Series(~(same | (a.isna() & b.isna()).to_numpy()), index=a.index)
        except (TypeError, ValueError):
            differs = a.astype(str) != b.astype(str)
        count = int(differs.sum())
        if count:
            where = differs[differs].index[:EXAMPLES]
            examples = [
                {"index": _short(i), "before": _short(a.loc[i]), "after": _short(b.loc[i])}
                for i in where
            ]
            changed.append({"column": column, "cells": count, "examples": examples})
    report["changed"] = changed
    report["stats"] = _stat_deltas(before, after, common, pd)
    report["equal"] = not (
        changed
        or report["rows_added"]
        or report["rows_removed"]
        or report["columns_added"]
        or report["columns_removed"]
        or report["dtype_changes"]
    )
    return report


def _stat_deltas(before: Any, after: Any, columns: list[str], pd: Any) -> list[dict[str, Any]]:
    deltas = []
    for column in columns:
        a, b = before[column], after[column]
        if not (pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b)):
            continue
        if pd.api.types.is_bool_dtype(a) or pd.api.types.is_bool_dtype(b):
            continue
        row: dict[str, Any] = {"column": column}
        for stat in ("mean", "min", "max"):
            values = [_number(getattr(a, stat)()), _number(getattr(b, stat)())]
            if values[0] != values[1]:
                row[stat] = values
        if len(row) > 1:
            deltas.append(row)
    return deltas


def _arrays(before: Any, after: Any, np: Any) -> dict[str, Any]:
    report: dict[str, Any] = {"kind": "array", "shape": [list(before.shape), list(after.shape)]}
    if before.shape != after.shape:
        report["equal"] = False
        return report
    try:
        differs = before != after
        if np.issubdtype(before.dtype, np.floating) and np.issubdtype(after.dtype, np.floating):
            differs &= ~(np.isnan(before) & np.isnan(after))
        elif before.dtype.kind in "mM" and after.dtype.kind in "mM":
            differs &= ~(np.isnat(before) & np.isnat(after))
    except (TypeError, ValueError):
        differs = np.asarray(before.astype(str) != after.astype(str))
    differs = np.asarray(differs, dtype=bool)
    places = np.argwhere(differs)[:EXAMPLES]
    report["cells_changed"] = int(differs.sum())
    report["examples"] = [
        {
            "index": _short(tuple(int(i) for i in place)),
            "before": _short(before[tuple(place)]),
            "after": _short(after[tuple(place)]),
        }
        for place in places
    ]
    if np.issubdtype(before.dtype, np.number) and np.issubdtype(after.dtype, np.number):
        stats = {}
        for stat in ("mean", "min", "max"):
            pair = [
                _number(getattr(np, f"nan{stat}")(before)),
                _number(getattr(np, f"nan{stat}")(after)),
            ]
            if before.size and pair[0] != pair[1]:
                stats[stat] = pair
        report["stats"] = stats
    report["equal"] = report["cells_changed"] == 0
    return report


def _mappings(before: dict[Any, Any], after: dict[Any, Any]) -> dict[str, Any]:
    changed = []
    for key in after:
        if key in before and not _same(before[key], after[key]):
            entry = {"key": _short(key), "before": _short(before[key]), "after": _short(after[key])}
            entry.update(_delta(before[key], after[key]))
            changed.append(entry)
    report = {
        "kind": "mapping",
        "keys_added": [_short(k) for k in after if k not in before],
        "keys_removed": [_short(k) for k in before if k not in after],
        "values_changed": changed,
    }
    report["equal"] = not (report["keys_added"] or report["keys_removed"] or changed)
    return report


def _sequences(before: Any, after: Any) -> dict[str, Any]:
    changed = [
        {"index": str(i), "before": _short(a), "after": _short(b)}
        for i, (a, b) in enumerate(zip(before, after, strict=False))
        if not _same(a, b)
    ]
    return {
        "kind": "sequence",
        "length": [len(before), len(after)],
        "items_changed": len(changed),
        "examples": changed[:EXAMPLES],
        "equal": not changed and len(before) == len(after),
    }


def _scalars(before: Any, after: Any) -> dict[str, Any]:
    report: dict[str, Any] = {
        "kind": "scalar",
        "before": _short(before),
        "after": _short(after),
        "equal": _same(before, after),
    }
    report.update(_delta(before, after))
    return report


def _delta(before: Any, after: Any) -> dict[str, float]:
    """The difference of two numbers (and relative to the first), else nothing."""
    a, b = _number(before), _number(after)
    if a is None or b is None or isinstance(before, bool) or isinstance(after, bool):
        return {}
    if not (math.isfinite(a) and math.isfinite(b)):
        return {}
    delta = {"delta": b - a}
    if a:
        delta["relative"] = (b - a) / abs(a)
    return delta


def _same(a: Any, b: Any) -> bool:
    """Equal values; frames, series and arrays compared whole, NaN equal to NaN."""
    if _is_nan(a) and _is_nan(b):
        return True
    equals = getattr(a, "equals", None)
    if callable(equals) and type(a) is type(b) and hasattr(a, "shape"):
        try:
            return bool(equals(b))
        except Exception:
            return False
    np = _numpy()
    if np is not None and isinstance(a, np.ndarray):
        if not isinstance(b, np.ndarray) or a.shape != b.shape:
            return False
        try:
            return bool(np.array_equal(a, b, equal_nan=True))
        except TypeError:
            return bool(np.array_equal(a, b))
    try:
        result = a == b
        if isinstance(result, bool) or getattr(result, "shape", None) == ():
            return bool(result)
    except Exception:
        pass
    return repr(a) == repr(b)


def _is_nan(value: Any) -> bool:
    """A float NaN, Python's or numpy's."""
    if not (isinstance(value, float) or getattr(value, "shape", None) == ()):
        return False
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError, OverflowError):
        return False


def _unique(names: list[str]) -> list[str]:
    """Column names made unique (`x`, `x (2)`): duplicates would be one column otherwise."""
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return unique


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if isinstance(value, int | float) or hasattr(value, "dtype") else None


def _short(value: Any) -> str:
    if getattr(value, "shape", None) == () and hasattr(value, "item"):
        value = value.item()
    return _SHORT.repr(value)


def _type_name(value: Any) -> str:
    kind = type(value)
    return (
        kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    )


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        return None
    return pandas


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:
        return None
    return numpy
