"""Run progress sent in batches: one message per interval instead of two per node.

Each message to the GUI costs a round of serialising, signing and queueing
on both sides, far more than a cheap node takes to run. Events wait at
most `interval` (a timer thread sends them if the run is busy in one
node), and `flush` sends what is left before the run's reply.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from studio.core.protocol import events

INTERVAL = 0.05


class EventBatches:
    def __init__(self, send: Callable[[dict[str, Any]], None], interval: float = INTERVAL) -> None:
        self._send = send
        self._interval = interval
        self._lock = threading.Lock()
        self._pending: list[events.EventPayload] = []
        self._timer: threading.Timer | None = None

    def add(self, payload: events.EventPayload) -> None:
        with self._lock:
            self._pending.append(payload)
            if self._timer is None:
                self._timer = threading.Timer(self._interval, self.flush)
                self._timer.daemon = True
                self._timer.start()

    def flush(self) -> None:
        """Send what is waiting now (from the run, or from the timer)."""
        with self._lock:
            batch, self._pending = self._pending, []
            timer, self._timer = self._timer, None
            if timer is not None and timer is not threading.current_thread():
                timer.cancel()
            if batch:
                self._send(events.message(events.Progress(batch)))
