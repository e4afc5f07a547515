"""Watches the project folder (watchdog) and reports saves as one Qt signal per burst.

An editor's save is often several events (write a temp file, rename it,
touch the original); events are filtered with `studio.core.discovery.watch_rules`
and coalesced: `changed` fires once the folder has been quiet for a
moment, with every relevant path of the burst. Where no close events come (macOS'
FSEvents), a burst waits until its files' size and modification time hold still
(`studio.core.platform.file_events`).
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from studio.core.discovery.watch_rules import is_relevant_change
from studio.core.platform.file_events import WriteStamps, has_close_events

QUIET_MS = 25
"""How long the folder must stay quiet before a burst counts as one change."""
SETTLED_MS = 4
"""The same after an event that ends a write (a file closed after writing, or renamed
into place): the save is complete, only its sibling events are waited for."""
MAX_WAIT_MS = 400
"""Never wait longer than this after the first event of a burst..."""
MAX_WRITING_MS = 3000
"""...unless, without close events, a file of it is still being written: then this."""
_EXISTENCE_CHECK_MS = 1000
_EVENTS = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileClosedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
]
"""What is watched for: no reads (a kernel importing from a `.venv` in the project
opens thousands of files, each an event for watchdog's thread to handle)."""


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: FolderWatcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        root = self.watcher.root
        if root is None:
            return
        settled = event.event_type in ("closed", "moved")
        paths = [event.src_path, getattr(event, "dest_path", "")]
        for path in paths:
            # Filtered here, on watchdog's thread: a project's .venv being written (a
            # kernel compiling its modules) makes thousands of events the GUI never sees.
            if path and _worth_reporting(root, Path(str(path))):
                self.watcher._raw_event.emit(str(path), settled)


_LIFECYCLE = ThreadPoolExecutor(max_workers=1, thread_name_prefix="studio-watch")
"""Starts and stops observers in the order asked, off the GUI thread."""


def _stop(observer: BaseObserver) -> None:
    if observer.is_alive():
        observer.stop()
        observer.join(timeout=2)


def _worth_reporting(root: Path, path: Path) -> bool:
    return path == root or is_relevant_change(root, path)


class FolderWatcher(QObject):
    changed = Signal(list)
    """Project-relative paths changed in one burst of events."""
    folder_missing = Signal(str)
    """The watched folder was deleted or moved away."""
    folder_back = Signal(str)
    """The folder exists again (restored, or moved back)."""
    watch_failed = Signal(str)
    """The folder cannot be watched (why): saves will not reload the graph."""
    _raw_event = Signal(str, bool)

    def __init__(self, parent: QObject | None = None, quiet_ms: int = QUIET_MS) -> None:
        super().__init__(parent)
        self.root: Path | None = None
        self._observer: BaseObserver | None = None
        self._pending: set[str] = set()
        self._stamps = WriteStamps()
        self._burst_started = 0.0
        self._missing = False
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet_ms = quiet_ms
        self._quiet.timeout.connect(self._flush)
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.setInterval(MAX_WAIT_MS)
        self._deadline.timeout.connect(self._flush)
        self._existence = QTimer(self)
        self._existence.setInterval(_EXISTENCE_CHECK_MS)
        self._existence.timeout.connect(self._check_exists)
        self._raw_event.connect(self._on_raw)

    def watch(self, root: Path) -> None:
        self.stop()
        self.root = root.resolve()
        self._missing = False
        self._start_observer()
        self._existence.start()

    def stop(self) -> None:
        self._existence.stop()
        self._quiet.stop()
        self._deadline.stop()
        self._pending.clear()
        self._stamps.clear()
        self._stop_observer()
        self.root = None

    def _start_observer(self) -> None:
        """Started on a thread: a recursive watch lists the whole folder first (a
        `.venv` in it is thousands of folders, over half a second)."""
        assert self.root is not None
        observer = Observer()
        observer.schedule(_Handler(self), str(self.root), recursive=True, event_filter=_EVENTS)
        observer.daemon = True
        self._observer = observer
        _LIFECYCLE.submit(self._start, observer)

    def _start(self, observer: BaseObserver) -> None:
        try:
            observer.start()
        except OSError as error:  # the system's limit of watches, a folder gone meanwhile
            self.watch_failed.emit(str(error))

    def _stop_observer(self) -> None:
        observer, self._observer = self._observer, None
        if observer is not None:
            _LIFECYCLE.submit(_stop, observer)

    def _on_raw(self, path: str, settled: bool) -> None:
        root = self.root
        if root is None:
            return
        candidate = Path(path)
        if candidate == root:
            self._check_exists()
            return
        if not is_relevant_change(root, candidate):
            return  # of an earlier root
        if not self._pending:
            self._burst_started = time.monotonic()
        self._pending.add(candidate.relative_to(root).as_posix())
        if not settled and not has_close_events():
            self._stamps.note(path)
        self._quiet.start(min(SETTLED_MS, self._quiet_ms) if settled else self._quiet_ms)
        if not self._deadline.isActive():
            self._deadline.start()

    def _flush(self) -> None:
        self._quiet.stop()
        if self._still_writing():
            self._quiet.start(self._quiet_ms)  # wait until it holds still
            return
        self._deadline.stop()
        self._stamps.clear()
        if self._pending and not self._missing:
            paths, self._pending = sorted(self._pending), set()
            self.changed.emit(paths)

    def _still_writing(self) -> bool:
        """Without close events: whether a file of the burst changed since its last event
        (and the burst is younger than `MAX_WRITING_MS`)."""
        if has_close_events() or not self._pending or self._missing:
            return False
        moved = self._stamps.still_changing()
        waited_ms = (time.monotonic() - self._burst_started) * 1000
        return bool(moved) and waited_ms < MAX_WRITING_MS

    def check_exists(self) -> None:
        """Say now whether the folder is gone or back (the timer says it within a second)."""
        self._check_exists()

    def _check_exists(self) -> None:
        root = self.root
        if root is None:
            return
        exists = root.is_dir()
        if not exists and not self._missing:
            self._missing = True
            self._pending.clear()
            self._stop_observer()
            self.folder_missing.emit(str(root))
        elif exists and self._missing:
            self._missing = False
            self._start_observer()
            self.folder_back.emit(str(root))
