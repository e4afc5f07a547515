"""Long GUI-thread work cut into slices, so the event loop never waits long.

Creating thousands of canvas items must happen on the GUI thread, and
doing it in one go freezes the window for a second or more. Work queued
here runs in turns of a few milliseconds between which Qt handles input
and paints, so the user can pan and zoom while a big graph fills in.

Every queue shares one turn: with several queues busy at once (items
being placed, the overview's edge picture, old items being freed) the
event loop still waits at most one slice, and the queues take turns.
"""

from __future__ import annotations

import gc
import time
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

SLICE_SECONDS = 0.012
_BREATHER_MS = 10
"""After a task that ran over its slice, the event loop gets this long before the next one."""


class SlicedWork(QObject):
    finished = Signal()
    """Everything queued so far has run."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks: deque[Callable[[], None]] = deque()

    @property
    def pending(self) -> int:
        return len(self._tasks)

    def add(self, task: Callable[[], None]) -> None:
        self._tasks.append(task)
        _Turns.shared().wake(self)

    def add_range(
        self,
        count: int,
        run: Callable[[int, int], None],
        step: int = 2,
        seconds: float = 0.004,
        start: int = 0,
    ) -> None:
        """`run(start, stop)` over range(count), `step` at a time, in tasks of `seconds`:
        for work whose pieces vary a hundredfold in cost (an edge across a 20,000-node
        drawing has hundreds of points and takes 1-2 ms; 50 such took 50 ms in one task)."""

        def task() -> None:
            at, deadline = start, time.perf_counter() + seconds
            while at < count and time.perf_counter() < deadline:
                stop = min(at + step, count)
                run(at, stop)
                at = stop
            if at < count:
                self.add_range(count, run, step, seconds, at)

        if start < count:
            self.add(task)

    def cancel(self) -> None:
        self._tasks.clear()

    def flush(self) -> None:
        """Run everything now (for exports and tests that need the finished canvas)."""
        if not self._tasks:
            return
        while self._tasks:
            self._tasks.popleft()()
        self.finished.emit()

    def run_until(self, deadline: float) -> bool:
        """Run tasks until `deadline`; True when the queue ran dry (and said so)."""
        while self._tasks and time.perf_counter() < deadline:
            self._tasks.popleft()()
        if self._tasks:
            return False
        self.finished.emit()
        return True


_RELEASED_PER_TASK = 2000


def release_in_slices(items: list) -> None:
    """Drop a big list of Qt value objects bit by bit: freeing 50,000 at once takes 30 ms."""
    if len(items) <= _RELEASED_PER_TASK:
        return
    releasing = _Turns.shared().releasing
    for _ in range(0, len(items), _RELEASED_PER_TASK):
        releasing.add(lambda: items.__delitem__(slice(-_RELEASED_PER_TASK, None)))


YOUNG_WORK_SECONDS = SLICE_SECONDS
"""Seconds of sliced work after which the young generation is collected: about a turn."""
_worked = 0.0
"""Seconds of sliced work since the young generation was last collected here."""


def _collect_young(worked: float) -> None:
    """The young objects collected after every `YOUNG_WORK_SECONDS` of work, as Python
    itself would collect them had it counted them all.

    Python collects the young generation once 20,000 more objects were made than freed
    (`ui/heap.py`). While a big drawing replaces another, the old items freed between
    frames offset the new ones made, and the young generation grew to 127,000-154,000
    objects before it was collected: 40-68 ms of the GUI thread inside one item task
    at 20,000 nodes. Collected after about each turn's work, a middle-generation
    collection comes every 20 of them (up to 32 ms, measured in round six). The young
    objects are not counted: `gc.get_objects` hands out the tuples other threads are
    still building, whose growing then fails with a SystemError (a worker's signing
    failed so at 20,000 nodes)."""
    global _worked
    if not gc.isenabled():  # a collector turned off stays off
        return
    _worked += worked
    if _worked < YOUNG_WORK_SECONDS:
        return
    _worked = 0.0
    threshold = gc.get_threshold()
    middle_due = gc.get_count()[1] > threshold[1]
    gc.collect(1 if middle_due else 0)


class _Turns(QObject):
    """The one timer that gives the busy queues their slice, in turn."""

    _instance: _Turns | None = None

    @classmethod
    def shared(cls) -> _Turns:
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance

    def __init__(self) -> None:
        super().__init__()
        self._busy: deque[SlicedWork] = deque()
        self._known: set[SlicedWork] = set()
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._run_slice)
        self.releasing = SlicedWork(self)

    def wake(self, work: SlicedWork) -> None:
        if work not in self._busy:
            if work not in self._known:
                self._known.add(work)
                work.destroyed.connect(lambda: self._forget(work))
            self._busy.append(work)
        if not self._timer.isActive():
            self._timer.start(0)

    def _run_slice(self) -> None:
        started = time.perf_counter()
        deadline = started + SLICE_SECONDS
        while self._busy and time.perf_counter() < deadline:
            work = self._busy.popleft()
            if work.pending and not work.run_until(deadline):
                self._busy.append(work)
        _collect_young(time.perf_counter() - started)
        if not self._busy:
            self._timer.stop()
            return
        overran = time.perf_counter() - started > 1.5 * SLICE_SECONDS
        self._timer.setInterval(_BREATHER_MS if overran else 0)

    def _forget(self, work: SlicedWork) -> None:
        """Its owner is gone: its tasks would touch deleted items."""
        self._known.discard(work)
        if work in self._busy:
            self._busy.remove(work)
