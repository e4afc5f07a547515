"""Telling a finished save from a file still being written, with or without close events.

On Linux the folder watcher hears inotify's "closed after writing" (watchdog's
`FileClosedEvent`): the save is complete. macOS' FSEvents (and Windows'
`ReadDirectoryChangesW`) send no such event, only "modified", and FSEvents
coalesces the modifications of a slow write into fewer events. There, each
written file's size and modification time are noted at its event; a burst
counts as saved only once they have held still through the watcher's quiet
period (a file that changed meanwhile is still being written).
"""

from __future__ import annotations

import sys
from pathlib import Path

Stamp = tuple[int, int] | None
"""Size and modification time (ns); None for a file that is not there."""


def has_close_events() -> bool:
    """Whether the watcher hears a file closed after writing (inotify: Linux only)."""
    return sys.platform.startswith("linux")


def _stamp(path: str) -> Stamp:
    try:
        status = Path(path).stat()
    except OSError:
        return None
    return (status.st_size, status.st_mtime_ns)


class WriteStamps:
    """The stamp each file of a burst had at its last event."""

    def __init__(self) -> None:
        self._noted: dict[str, Stamp] = {}

    def note(self, path: str) -> None:
        self._noted[path] = _stamp(path)

    def still_changing(self) -> list[str]:
        """The files whose stamp moved since it was noted (each noted again): they are
        being written still."""
        moved = []
        for path, noted in self._noted.items():
            now = _stamp(path)
            if now != noted:
                self._noted[path] = now
                moved.append(path)
        return moved

    def clear(self) -> None:
        self._noted.clear()
