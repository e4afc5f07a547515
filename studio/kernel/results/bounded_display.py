"""What a result shows, computed within a time limit (issue 31, case 9).

Result requests are answered one at a time on the data subshell's thread: a
value whose `__repr__` (or a table cell's text) never returns used to hold
that thread, and the results panel said "loading…" for every node after it.
The display is computed in a thread of its own; past `DISPLAY_LIMIT_S` it is
given up, the panel says so, and the value is not shown again (each try would
leave one more stuck thread).

The limits are Python's: a thread cannot be killed. The stuck one is sent an
exception (`PyThreadState_SetAsyncExc`), which ends a repr looping in Python
code at its next step, but not one blocked in C (a lock, a sleep, a socket);
that thread then stays, idle to the rest of the kernel, until its call returns.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable
from typing import Any

DISPLAY_LIMIT_S = 5.0


class DisplayGivenUpError(Exception):
    """Raised into a display thread past its limit."""


class BoundedDisplay:
    """Runs display computations with a time limit; remembers the values given up."""

    def __init__(self, limit: float = DISPLAY_LIMIT_S) -> None:
        self.limit = limit
        self._given_up: dict[int, tuple[Any, dict[str, Any]]] = {}
        """id(value) -> (the value, kept so that its id is not reused; what is shown)."""

    def describe(self, value: Any, compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """`compute()`, or a text saying it could not be shown in time."""
        known = self._given_up.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        outcome: dict[str, Any] = {}

        def work() -> None:
            try:
                outcome["info"] = compute()
            except BaseException as error:  # handed to the caller's thread
                outcome["error"] = error

        thread = threading.Thread(target=work, name="studio-result-display", daemon=True)
        thread.start()
        thread.join(self.limit)
        if thread.is_alive():
            _raise_in(thread)
            shown = given_up(value, self.limit)
            self._given_up[id(value)] = (value, shown)
            return shown
        if "error" in outcome:
            raise outcome["error"]
        return outcome["info"]

    def forget(self) -> None:
        """New results: the values given up are no longer held."""
        self._given_up.clear()


def given_up(value: Any, limit: float) -> dict[str, Any]:
    kind = type(value)
    text = f"could not display: __repr__ took longer than {limit:g} s"
    return {
        "summary": {"type": f"{kind.__module__}.{kind.__qualname__}".removeprefix("builtins.")},
        "kind": "text",
        "text": text,
        "length": len(text),
        "truncated": False,
    }


def _raise_in(thread: threading.Thread) -> None:
    if thread.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(thread.ident), ctypes.py_object(DisplayGivenUpError)
        )
