"""Timing the window from outside: event-loop stalls, waiting for a state, frame times.

Shared by the suite, the soak test and the second-window bench.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class StallMeter:
    """The longest time the Qt event loop went without running a 5 ms timer, per phase."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.worst: dict[str, float] = {}
        self.collections: dict[str, float] = {}
        self._collecting = 0.0
        gc.callbacks.append(self._on_collection)
        self._phase: str | None = None
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _on_collection(self, stage: str, _info: dict) -> None:
        if stage == "start":
            self._collecting = time.perf_counter()
        elif self._phase is not None:
            pause = time.perf_counter() - self._collecting
            self.collections[self._phase] = max(self.collections.get(self._phase, 0.0), pause)

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._phase is not None:
            gap = now - self._last
            self.worst[self._phase] = max(self.worst.get(self._phase, 0.0), gap)
        self._last = now

    def stop(self) -> None:
        """No more ticks or collections counted (a meter per window: they would add up)."""
        self._timer.stop()
        gc.callbacks.remove(self._on_collection)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        self._phase, self._last = name, time.perf_counter()
        try:
            yield
        finally:
            self._tick()
            self._phase = None


def wait_until(condition: Callable[[], bool], timeout: float = 300.0) -> float:
    """Run the event loop until `condition` holds; returns the seconds it took."""
    from PySide6.QtWidgets import QApplication

    start = time.perf_counter()
    while not condition():
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the window did not get there in time")
        QApplication.processEvents()
        time.sleep(0.001)
    return time.perf_counter() - start


def close_window(window, meter: StallMeter | None = None) -> None:
    """Close a measured window, its kernel ended before the next one is measured."""
    if meter is not None:
        meter.stop()
    window.close()
    window.shutdown()
    settle(1.0)


def settle(seconds: float) -> None:
    end = time.perf_counter() + seconds
    wait_until(lambda: time.perf_counter() >= end)


def frame_seconds(window, repeats: int = 7) -> float:
    """Median time to paint one full frame of the canvas as it is now."""
    viewport = window.view.viewport()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        viewport.repaint()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
