"""Long GUI-thread work cut into slices, so the event loop never waits long.

Creating thousands of canvas items must happen on the GUI thread, and
doing it in one go freezes the window for a second or more. Work queued
here runs in turns of a few milliseconds between which Qt handles input
and paints, so the user can pan and zoom while a big graph fills in.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

SLICE_SECONDS = 0.012


class SlicedWork(QObject):
    finished = Signal()
    """Everything queued so far has run."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks: deque[Callable[[], None]] = deque()
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._run_slice)

    @property
    def pending(self) -> int:
        return len(self._tasks)

    def add(self, task: Callable[[], None]) -> None:
        self._tasks.append(task)
        if not self._timer.isActive():
            self._timer.start()

    def cancel(self) -> None:
        self._tasks.clear()
        self._timer.stop()

    def flush(self) -> None:
        """Run everything now (for exports and tests that need the finished canvas)."""
        while self._tasks:
            self._tasks.popleft()()
        if self._timer.isActive():
            self._timer.stop()
            self.finished.emit()

    def _run_slice(self) -> None:
        deadline = time.perf_counter() + SLICE_SECONDS
        while self._tasks and time.perf_counter() < deadline:
            self._tasks.popleft()()
        if not self._tasks:
            self._timer.stop()
            self.finished.emit()
