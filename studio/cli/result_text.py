"""Results as `studio run` prints them: frames of every library as text tables, the rest readable.

pandas frames and Series print as pandas prints them (long ones cut in the
middle); numpy arrays as numpy does. A frame of another library (polars,
PyArrow, modin...) prints its shape, its schema and its first and last rows,
read through narwhals by its own library (never converted whole). A lazy or
distributed frame (polars LazyFrame, Dask, Spark, Ibis, DuckDB) prints its
schema and plan and only its first rows, fetched with a row limit: it is
never computed whole, and its rows are not counted.
"""

from __future__ import annotations

import pprint
from typing import Any

EDGE_ROWS = 30
"""Rows printed at each end of a long eager frame (60 in all, as pandas prints)."""
LAZY_ROWS = 10
EDGE_COLUMNS = 6
"""Columns printed at each end of a wide frame (12 in all, as pandas prints)."""
PLAN_LINES = 30


def format_result(value: Any) -> str:
    """The value as text; one that cannot show itself (its `__repr__` raises) named by type."""
    try:
        return _formatted(value)
    except Exception as error:
        kind = f"{type(value).__module__}.{type(value).__qualname__}"
        return f"<a {kind} that cannot be shown: its repr raised {type(error).__name__}: {error}>"


def _formatted(value: Any) -> str:
    module = type(value).__module__.split(".")[0]
    to_string = getattr(value, "to_string", None)
    if module == "pandas" and callable(to_string) and hasattr(value, "shape"):
        if getattr(value, "ndim", 1) == 2:
            return str(to_string(max_rows=2 * EDGE_ROWS, max_cols=2 * EDGE_COLUMNS))
        return str(to_string(max_rows=2 * EDGE_ROWS))
    if module == "numpy" and hasattr(value, "shape"):
        import numpy as np

        return np.array2string(value, threshold=200)
    if module not in ("builtins", "collections"):
        text = _frame_text(value)
        if text is not None:
            return text
    return pprint.pformat(value, width=100, sort_dicts=False)


def _frame_text(value: Any) -> str | None:
    """A non-pandas frame's text, or None when the value is no frame."""
    from studio.kernel.results.frame_kinds import backend_name, eager_frame, lazy_frame

    eager = eager_frame(value)
    if eager is not None:
        rows, columns = eager.shape
        title = f"{_kind(value)}: {_count(rows, 'row')} x {_count(columns, 'column')}"
        return "\n".join([title, *_grid(eager, rows)])
    lazy = lazy_frame(value)
    if lazy is None:
        return None
    from studio.kernel.results.lazy_table import LazyTable

    table = LazyTable(lazy)
    schema = lazy.collect_schema()
    lines = [
        f"{_kind(value)} ({backend_name(lazy)}, lazy): {_count(len(schema), 'column')}; "
        "rows not counted (a lazy frame is not computed whole)",
        "schema:",
        *(f"  {name}: {dtype}" for name, dtype in schema.items()),
    ]
    plan = table.describe()["plan"].splitlines()
    if plan:
        lines.append("plan:")
        lines += [f"  {line}" for line in plan[:PLAN_LINES]]
        if len(plan) > PLAN_LINES:
            lines.append(f"  … ({len(plan) - PLAN_LINES} more lines)")
    try:
        first = table.head(LAZY_ROWS)
    except Exception as error:  # the library's own failure (a cluster, a missing table)
        return "\n".join(
            [*lines, f"first rows: could not be fetched: {type(error).__name__}: {error}"]
        )
    lines.append(f"first {len(first):,} rows (at most {LAZY_ROWS}):")
    return "\n".join(lines + _grid(first, len(first), edge=LAZY_ROWS))


def _count(number: int, what: str) -> str:
    return f"{number:,} {what}" + ("" if number == 1 else "s")


def _kind(value: Any) -> str:
    kind = type(value)
    return f"{kind.__module__.split('.')[0]} {kind.__qualname__}"


def _grid(frame: Any, rows: int, edge: int = EDGE_ROWS) -> list[str]:
    """Aligned columns with a dtype line: the first and last `edge` rows, "…" between."""
    from studio.kernel.results.cell_text import format_list

    if rows > 2 * edge:
        parts = [(frame.head(edge), range(edge)), (frame.tail(edge), range(rows - edge, rows))]
    else:
        parts = [(frame, range(rows))]
    names = [str(name) for name in frame.columns]
    shown = list(range(len(names)))
    if len(shown) > 2 * EDGE_COLUMNS:
        shown = [*shown[:EDGE_COLUMNS], -1, *shown[-EDGE_COLUMNS:]]
    dtypes = [str(dtype) for dtype in frame.schema.values()]
    index = [str(i) for i in parts[0][1]]
    cells = {c: format_list(parts[0][0].get_column(names[c]).to_list()) for c in shown if c >= 0}
    if len(parts) == 2:
        index += ["…", *(str(i) for i in parts[1][1])]
        for c in cells:
            cells[c] += ["…", *format_list(parts[1][0].get_column(names[c]).to_list())]
    gap = ["…", "", *["…"] * len(index)]
    columns = [gap if c < 0 else [names[c], dtypes[c], *cells[c]] for c in shown]
    index_width = max((len(label) for label in index), default=0)
    widths = [max(len(cell) for cell in column) for column in columns]
    lines = []
    for row, label in enumerate(["", "", *index]):
        texts = [label.ljust(index_width)]
        texts += [column[row].rjust(width) for column, width in zip(columns, widths, strict=True)]
        lines.append("  ".join(texts).rstrip())
    return lines
