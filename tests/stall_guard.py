"""The stall guard: the longest event-loop callback of each window test.

A user feels the window freeze when one event (a timer, a queued signal, a paint)
holds the GUI thread. The tests' application times every event it delivers at the
outermost level; window tests whose longest one passes `LIMIT_SECONDS` are listed
at the end of the run, naming the receiver and the event, and fail with
STUDIO_STALL_GUARD=1 (not yet the default: on two busy cores a window's first
paint and the scene's first drawing still pass it now and then).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

LIMIT_SECONDS = 0.25


class StallGuardApplication(QApplication):
    """A QApplication that keeps the longest event it delivered since `reset`."""

    def __init__(self, args: list[str]) -> None:
        super().__init__(args)
        self._depth = 0
        self.longest = 0.0
        self.longest_what: tuple[QEvent.Type, str, str] | None = None

    def reset(self) -> None:
        self.longest, self.longest_what = 0.0, None

    def notify(self, receiver: QObject, event: QEvent) -> bool:
        if self._depth:
            return super().notify(receiver, event)
        self._depth = 1
        what = _describe(receiver, event)  # the event may delete its receiver
        start = time.perf_counter()
        try:
            return super().notify(receiver, event)
        finally:
            self._depth = 0
            took = time.perf_counter() - start
            if took > self.longest:
                self.longest, self.longest_what = took, what


def _describe(receiver: QObject, event: QEvent) -> tuple[QEvent.Type, str, str]:
    name = receiver.objectName() if receiver is not None else ""
    return event.type(), type(receiver).__name__, name


def describe(what: tuple[QEvent.Type, str, str] | None) -> str:
    """`Timer to QTimer 'name'`: the event that held the thread longest."""
    if what is None:
        return "no event"
    kind, receiver, name = what
    return f"{kind.name} to {receiver}{f' {name!r}' if name else ''}"
