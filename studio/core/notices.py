"""What the window tells the user in its message bar: plain data, worded here.

A notice has a kind (error or information), one line of text, where the
problem is (file and line) when known, every detail when there is more
than one thing to say, and a cause code the window acts on (offering the
project's environment for a missing package, say) instead of reading text.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from studio.core.graph.snapshot import ErrorKind, LoadError


class NoticeKind(enum.StrEnum):
    ERROR = "error"
    INFO = "info"


class Cause(enum.StrEnum):
    NONE = ""
    MISSING_PACKAGE = "missing-package"
    """A library the project imports is not installed where it runs."""
    SLOW_LOAD = "slow-load"
    """A load has gone on for long: a module may be stuck importing."""


@dataclass(frozen=True, slots=True)
class Notice:
    kind: NoticeKind
    text: str
    location: tuple[str, int] | None = None
    details: tuple[str, ...] = ()
    cause: Cause = Cause.NONE


def describe_error(error: LoadError) -> str:
    """`Import error in model.py, line 3: No module named 'x'.`"""
    where = ""
    if error.file:
        where = f" in {error.file}" + (f", line {error.line}" if error.line else "")
    text = f"{error.kind.value.capitalize()} error{where}: {error.message}"
    return text if text.endswith((".", "!", "?")) else text + "."


def load_failed(errors: Sequence[LoadError], graph_kept: bool, from_source: bool = False) -> Notice:
    """The notice for a load that failed: the first error, and all of them as details.
    `from_source`: the graph kept is the one read from the source (no load had worked)."""
    first = errors[0]
    text = describe_error(first)
    if first.hint:
        text += f" To fix: {first.hint.rstrip('.')}."
    if len(errors) > 1:
        text += f" {len(errors) - 1} more error{'s' if len(errors) > 2 else ''}: see Details."
    if graph_kept and from_source:
        text += " The graph as read from the source stays on screen."
    elif graph_kept:
        text += " The last good graph stays on screen."
    details = (
        tuple(describe_error(e) + (f"\n    {e.hint}" if e.hint else "") for e in errors)
        if len(errors) > 1
        else ()
    )
    missing = any(e.kind is ErrorKind.IMPORT and e.hint for e in errors)
    return Notice(
        NoticeKind.ERROR,
        text,
        (first.file, first.line or 1) if first.file else None,
        details,
        Cause.MISSING_PACKAGE if missing else Cause.NONE,
    )
