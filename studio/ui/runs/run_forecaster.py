"""The run plan worked out on a thread of its own.

Saying what a run would compute and reuse reads Hamilton's metadata store (a
SQLite file that grows with the disk cache) and walks the run's lineage: at
5,000 nodes with a full cache that is 100-350 ms, too long for the GUI thread
on every hover of Run. The GUI thread only gathers what the plan needs (the
graph snapshot, which never changes once made, and the valid results);
the answer comes back as a signal, and only the newest request's is delivered.
A run's own plan says what the disk cache held before the run: the run waits
for the metadata store to be read (10-20 ms at 5,000 nodes), not for the plan.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from studio.core.graph.snapshot import GraphSnapshot
from studio.core.runs.run_forecast import (
    DurationBook,
    RunForecast,
    cached_code_versions,
    forecast,
)
from studio.core.runs.run_plan import RunMode

Answer = Callable[[RunForecast | None], None]


class RunForecaster(QObject):
    _done = Signal(int, object)
    """(request number, RunForecast or None), on the GUI thread."""
    _read = Signal(int)
    """(request number): the disk cache it reports on was read."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="studio-forecast")
        self._asked = 0
        self._answers: dict[int, tuple[str, Answer]] = {}
        self._newest: dict[str, int] = {}
        self._on_read: dict[int, Callable[[], None]] = {}
        self._closed = False
        self._done.connect(self._deliver)
        self._read.connect(self._deliver_read)

    def shutdown(self) -> None:
        """The window is closing: its thread ends once any plan in hand is done."""
        self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._answers.clear()
        self._on_read.clear()

    def request(
        self,
        snapshot: GraphSnapshot,
        names: list[str],
        mode: RunMode,
        valid: set[str],
        book: DurationBook,
        cache_dir: Path | None,
        answer: Answer,
        topic: str,
        given: frozenset[str] = frozenset(),
        disk_read: Callable[[], None] | None = None,
    ) -> None:
        """Work out the plan of running `names` (`given`: the nodes the dataflow gives
        values of); `answer` gets it on the GUI thread, unless a newer request of the
        same `topic` came meanwhile. `disk_read` is called on the GUI thread once the
        disk cache the plan reports on was read, whatever comes of the plan."""
        if self._closed:
            return
        self._asked += 1
        number = self._asked
        self._newest[topic] = number
        self._answers[number] = (topic, answer)
        if disk_read is not None:
            self._on_read[number] = disk_read
        work = (number, snapshot, names, mode, valid, book, cache_dir, given)
        self._pool.submit(self._work, *work)

    def _work(
        self,
        number: int,
        snapshot: GraphSnapshot,
        names: list[str],
        mode: RunMode,
        valid: set[str],
        book: DurationBook,
        cache_dir: Path | None,
        given: frozenset[str],
    ) -> None:
        try:
            try:
                versions = {n.name: n.version for n in snapshot.nodes if n.version}
                on_disk = cached_code_versions(cache_dir, versions)
            finally:
                self._read.emit(number)
            plan: RunForecast | None = forecast(snapshot, names, mode, valid, book, on_disk, given)
        except Exception:
            plan = None
        self._done.emit(number, plan)

    def _deliver_read(self, number: int) -> None:
        disk_read = self._on_read.pop(number, None)
        if disk_read is not None:
            disk_read()

    def _deliver(self, number: int, plan: RunForecast | None) -> None:
        topic, answer = self._answers.pop(number, ("", None))
        if answer is not None and self._newest.get(topic) == number:
            answer(plan)
