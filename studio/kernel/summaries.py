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
    summary["bytes"] = _size(value)
    return summary


def _size(value: Any) -> int | None:
    memory_usage = getattr(value, "memory_usage", None)
    if callable(memory_usage):
        try:
            used = memory_usage(index=True, deep=False)
            return int(used.sum() if hasattr(used, "sum") else used)
        except Exception:
            return None
    nbytes = getattr(value, "nbytes", None)
    if isinstance(nbytes, int):
        return nbytes
    try:
        return sys.getsizeof(value)
    except TypeError:
        return None
