"""Table filters written in the frame's own library: a pandas query, a polars or PyArrow expression.

The filter box takes either a condition in the dialect of the frame's
library, evaluated by that library over the whole frame, or plain text to
find in any column. What a condition gives is a list of row positions.

- pandas (and modin, cuDF): `age > 30 and city == "Oslo"` (`DataFrame.eval`).
- polars: `pl.col("age") > 30` (an expression; `col` and `lit` are there too).
- pyarrow: `pc.field("age") > 30` (a compute expression; `field` too).
"""

from __future__ import annotations

import enum
import re
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np

POSITION = "__studio_position__"
_PANDAS_HINT = re.compile(r"[<>=!]|\b(and|or|not|in)\b|\.str\.|@|`")
_EXPRESSION_HINT = re.compile(r"[<>=!&|~]|\b(pl|pc|col|field|lit|is_in|is_null)\b")


class FilterError(Exception):
    """A condition the frame's library refused, with its message."""


class Dialect(enum.StrEnum):
    PANDAS = "pandas"
    POLARS = "polars"
    PYARROW = "pyarrow"


def dialect_of(frame: nw.DataFrame[Any]) -> Dialect:
    implementation = frame.implementation
    if implementation.is_polars():
        return Dialect.POLARS
    if implementation.is_pyarrow():
        return Dialect.PYARROW
    return Dialect.PANDAS  # pandas, modin and cuDF share pandas' query language


def is_condition(text: str, columns: list[str], dialect: Dialect) -> bool:
    """Whether the text is a condition (else text to find in any column)."""
    if not text:
        return False
    hint = _PANDAS_HINT if dialect is Dialect.PANDAS else _EXPRESSION_HINT
    return bool(hint.search(text)) or (dialect is Dialect.PANDAS and text in columns)


def condition_positions(frame: nw.DataFrame[Any], text: str) -> np.ndarray:
    """Positions of the rows the condition keeps, worked out by the frame's own library."""
    dialect = dialect_of(frame)
    native = frame.to_native()
    try:
        if dialect is Dialect.POLARS:
            return _polars(native, text)
        if dialect is Dialect.PYARROW:
            return _pyarrow(native, text)
        return _pandas(native, text)
    except FilterError:
        raise
    except Exception as error:
        raise FilterError(f"{type(error).__name__}: {error}") from None


def text_positions(frame: nw.DataFrame[Any], text: str) -> np.ndarray:
    """Positions of the rows where any cell's text contains `text`, case ignored."""
    needle = text.lower()
    found = [
        nw.col(name).cast(nw.String()).str.to_lowercase().str.contains(needle, literal=True)
        for name in frame.columns
    ]
    if not found:
        return np.zeros(0, dtype=np.int64)
    any_found = nw.any_horizontal(*found, ignore_nulls=True)
    rows = frame.with_row_index(POSITION).filter(any_found)
    return rows[POSITION].to_numpy().astype(np.int64, copy=False)


def _pandas(frame: Any, text: str) -> np.ndarray:
    mask = frame.eval(text)
    if not (str(getattr(mask, "dtype", "")) == "bool" and getattr(mask, "ndim", 0) == 1):
        raise FilterError(f"{text!r} is not a condition (it gives {type(mask).__name__})")
    return np.flatnonzero(np.asarray(mask))


def _polars(frame: Any, text: str) -> np.ndarray:
    import polars as pl

    condition = _evaluate(text, {"pl": pl, "col": pl.col, "lit": pl.lit}, 'pl.col("age") > 30')
    if isinstance(condition, pl.Series):
        if condition.dtype != pl.Boolean or len(condition) != frame.height:
            raise FilterError(f"{text!r} is not a condition (it gives {condition.dtype} values)")
        return np.flatnonzero(condition.fill_null(value=False).to_numpy())
    if not isinstance(condition, pl.Expr):
        raise FilterError(
            f"{text!r} is not a polars expression (it gives {type(condition).__name__}); "
            'write e.g. pl.col("age") > 30'
        )
    lazy = frame.lazy()
    dtype = lazy.select(condition.alias(POSITION)).collect_schema()[POSITION]
    if dtype != pl.Boolean:
        raise FilterError(f"{text!r} is not a condition (it gives {dtype} values)")
    # polars' own filter (its null and broadcast rules), of the row numbers only: the
    # query reads just the condition's columns and gathers one u32 column, where a
    # filtered frame copies all of them (3-6x faster than the frame's own filter).
    rows = lazy.with_row_index(POSITION).filter(condition).select(POSITION).collect()
    return rows.to_series().to_numpy()


def _pyarrow(table: Any, text: str) -> np.ndarray:
    import pyarrow as pa
    import pyarrow.compute as pc

    namespace = {"pc": pc, "pa": pa, "field": pc.field, "scalar": pc.scalar}
    condition = _evaluate(text, namespace, 'pc.field("age") > 30')
    if not isinstance(condition, pc.Expression):
        raise FilterError(
            f"{text!r} is not a pyarrow expression (it gives {type(condition).__name__}); "
            'write e.g. pc.field("age") > 30'
        )
    # The condition's mask by Arrow's engine (Acero), in row order (one thread keeps the
    # order), then its true places: much faster than filtering a column of positions.
    import pyarrow.acero as acero

    plan = acero.Declaration.from_sequence(
        [
            acero.Declaration("table_source", acero.TableSourceNodeOptions(table)),
            acero.Declaration("project", acero.ProjectNodeOptions([condition], [POSITION])),
        ]
    )
    mask = plan.to_table(use_threads=False)[POSITION]
    if mask.type != pa.bool_() or len(mask) != table.num_rows:
        raise FilterError(f"{text!r} is not a condition (it gives {mask.type} values)")
    return np.flatnonzero(mask.fill_null(False).to_numpy(zero_copy_only=False))


def _evaluate(text: str, namespace: dict[str, Any], example: str) -> Any:
    """The expression the text writes; a bare column name is told how to name a column."""
    try:
        return eval(text, dict(namespace))  # the user's own kernel: their code runs here anyway
    except NameError as error:
        raise FilterError(f"{error}: name columns as in {example}") from None
