"""Runs layouts on a worker thread and hands the results back on the GUI thread.

Only the newest request matters: a result that arrives after a newer
request was made is dropped, so a burst of saves never shows an old
drawing last.
"""

from __future__ import annotations

import traceback
from concurrent.futures import Future, ThreadPoolExecutor

from PySide6.QtCore import QObject, Signal

from studio.core.layout import LayoutRequest, LayoutResult, compute_layout
from studio.core.layout.sugiyama_helper import HELPER, HELPER_ABOVE


class LayoutRunner(QObject):
    finished = Signal(int, object)
    """(ticket, LayoutResult) for the newest request."""
    failed = Signal(int, str)
    _done = Signal(int, object, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="studio-layout")
        self._ticket = 0
        self._pending = 0
        self._done.connect(self._deliver)

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def request(self, request: LayoutRequest, engine: str = "auto") -> int:
        """Start a layout; returns the ticket its `finished` signal will carry."""
        if len(request.nodes) >= HELPER_ABOVE:
            HELPER.start()  # used once ready: this layout may still run without it
        self._ticket += 1
        ticket = self._ticket
        self._pending += 1
        future = self._pool.submit(compute_layout, request, engine)
        future.add_done_callback(lambda f: self._report(ticket, f))
        return ticket

    def _report(self, ticket: int, future: Future[LayoutResult]) -> None:
        """Worker thread: forward the outcome through a queued signal."""
        error = future.exception()
        if error is not None:
            self._done.emit(ticket, None, "".join(traceback.format_exception(error)))
        else:
            self._done.emit(ticket, future.result(), "")

    def _deliver(self, ticket: int, result: LayoutResult | None, error: str) -> None:
        self._pending -= 1
        if ticket != self._ticket:
            return
        if result is None:
            self.failed.emit(ticket, error)
        else:
            self.finished.emit(ticket, result)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
