"""Values typed by the user as text (config entries, `KEY=VALUE` options)."""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import Any


def parse_value(text: str) -> Any:
    """A Python literal when the text is one (`3`, `0.5`, `"EU"`, `[1, 2]`), else the text."""
    stripped = text.strip()
    try:
        return ast.literal_eval(stripped)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return stripped


def format_value(value: Any) -> str:
    """The text that `parse_value` turns back into `value`."""
    return repr(value)


def parse_assignments(items: Sequence[str], what: str) -> dict[str, Any]:
    """`KEY=VALUE` pairs, each value read by `parse_value`."""
    values: dict[str, Any] = {}
    for item in items:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"{what} {item!r} is not of the form KEY=VALUE")
        values[key.strip()] = parse_value(text)
    return values
