"""The node a run is in, written where the window finds it if the kernel dies.

Progress events are batched (see `event_batches`): a node that kills the
kernel at once dies before its `node_started` goes out, and the window
could not say which node it was. Each node's name is also written over a
small file in the kernel's private connection folder: a seek and a write (not
`pwrite`, which Windows lacks), a few microseconds, that survives the process.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from studio.core.runs.running_node import FILE_NAME

_FLAGS = os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0)
"""Written as bytes (Windows would otherwise translate line ends)."""


class RunningMarker:
    def __init__(self, folder: Path | None) -> None:
        self._fd: int | None = None
        if folder is not None:
            with contextlib.suppress(OSError):
                self._fd = os.open(folder / FILE_NAME, _FLAGS, 0o600)

    def mark(self, name: str) -> None:
        if self._fd is None:
            return
        data = name.encode()
        with contextlib.suppress(OSError):
            os.lseek(self._fd, 0, os.SEEK_SET)
            os.write(self._fd, data)
            os.ftruncate(self._fd, len(data))


def kernel_folder() -> Path | None:
    """The private folder of this kernel's connection file (None outside a kernel)."""
    try:
        from ipykernel.connect import get_connection_file

        return Path(get_connection_file()).parent
    except Exception:
        return None
