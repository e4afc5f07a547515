"""Short descriptions of results: type, shape, size (never the data itself)."""

from __future__ import annotations

import sys
from typing import Any


def summarize(value: Any) -> dict[str, Any]:
    """Type, shape or length, size; a scalar's empty shape (numpy's `()`) is none."""
    kind = type(value)
    summary: dict[str, Any] = {
        "type": f"{kind.__module__}.{kind.__qualname__}".removeprefix("builtins.")
    }
    shape = getattr(value, "shape", None)
    if isinstance(shape, tuple) and shape and all(isinstance(s, int) for s in shape):
        summary["shape"] = list(shape)
    elif isinstance(value, list | tuple | dict | set | str | bytes):
        summary["length"] = len(value)
    summary["bytes"], summary["bytes_exact"] = size_of(value)
    return summary


DEEP_MEMORY_ROWS = 1_000_000
"""Above this many rows, text columns are not measured one by one (it takes seconds):
the size is estimated from the first rows."""
SAMPLE_ROWS = 10_000


def size_of(value: Any) -> tuple[int | None, bool]:
    """Bytes the value holds, and whether that is measured (else estimated); None when
    Python cannot tell (a shallow size of a container would mislead), and for a lazy
    frame, whose size would have to be computed (Dask's `memory_usage` runs the graph)."""
    try:
        from studio.kernel.results.frame_kinds import lazy_frame
    except ImportError:  # `studio run` in a Python without narwhals: no lazy frames told apart
        lazy_frame = None
    if lazy_frame is not None and lazy_frame(value) is not None:
        return None, False
    estimated_size = getattr(value, "estimated_size", None)  # polars
    if callable(estimated_size) and type(value).__module__.startswith("polars"):
        try:
            return int(estimated_size()), False
        except Exception:
            return None, False
    memory_usage = getattr(value, "memory_usage", None)
    if callable(memory_usage):
        try:
            if len(value) <= DEEP_MEMORY_ROWS:
                return _total(memory_usage(index=True, deep=True)), True
            sample = value.iloc[:SAMPLE_ROWS]
            per_row = _total(sample.memory_usage(index=True, deep=True)) / max(len(sample), 1)
            return int(per_row * len(value)), False
        except Exception:
            return None, False
    nbytes = getattr(value, "nbytes", None)
    if isinstance(nbytes, int):
        return nbytes, True
    if isinstance(value, str | bytes | int | float | bool):
        return sys.getsizeof(value), True
    return None, False


def _total(used: Any) -> int:
    return int(used.sum() if hasattr(used, "sum") else used)
