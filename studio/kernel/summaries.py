"""Short descriptions of results: type, shape, size (never the data itself)."""

from __future__ import annotations

import sys
from typing import Any


def summarize(value: Any) -> dict[str, Any]:
    kind = type(value)
    summary: dict[str, Any] = {
        "type": f"{kind.__module__}.{kind.__qualname__}".removeprefix("builtins.")
    }
    shape = getattr(value, "shape", None)
    if isinstance(shape, tuple) and all(isinstance(s, int) for s in shape):
        summary["shape"] = list(shape)
    elif isinstance(value, list | tuple | dict | set | str | bytes):
        summary["length"] = len(value)
    summary["bytes"], summary["bytes_exact"] = _size(value)
    return summary


DEEP_MEMORY_ROWS = 1_000_000
"""Above this many rows, text columns are not measured one by one (it takes seconds)."""


def _size(value: Any) -> tuple[int | None, bool]:
    memory_usage = getattr(value, "memory_usage", None)
    if callable(memory_usage):
        deep = len(value) <= DEEP_MEMORY_ROWS
        try:
            used = memory_usage(index=True, deep=deep)
            return int(used.sum() if hasattr(used, "sum") else used), deep
        except Exception:
            return None, False
    nbytes = getattr(value, "nbytes", None)
    if isinstance(nbytes, int):
        return nbytes, True
    try:
        return sys.getsizeof(value), False
    except TypeError:
        return None, False
