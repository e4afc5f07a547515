"""Which files a node opens for reading while it runs, seen through Python's audit hooks.

Every `open` (the built-in, `io.open`, `os.open`, and what libraries such
as pandas or numpy open through them) raises an `open` audit event
(PEP 578). An audit hook cannot be removed, so one is installed once per
process and does nothing unless the current thread is recording: the node
runs in the thread that records it (the kernel's, or a worker thread of the
thread executor). Processes, Dask and Ray run nodes elsewhere: a worker
process installs its own hook when it runs a node through the cache
adapter, and what it records goes to the disk cache's table
(`running/read_store.py`), where the kernel reads it after the run.

Recorded: files opened for reading, stamped when first opened
(`studio.core.runs.file_reads.FileStamp`), wherever they are (a data file
outside the project counts as much as one inside). Left out: Python's own
files and installed libraries (the interpreter's prefixes,
`site-packages`), modules and compiled code (`.py`, `.pyc`, `.so`: code
changes are tracked by code versions), the system's files (`/proc`, `/dev`,
`/sys`, `/etc`, `/usr`), the studio's cache folder, files the node itself
wrote or removed (its own temporary files), and anything that is not a
regular file.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from studio.core.runs.file_reads import SMALL_FILE, FileStamp, file_digest

_state = threading.local()
_installed = False
_install_lock = threading.Lock()
_CODE_SUFFIXES = (".py", ".pyc", ".pyo", ".pyd", ".so", ".pth")
_SYSTEM = ("/proc/", "/dev/", "/sys/", "/etc/", "/usr/")
"""The system's files (time zones, certificates, name resolution): never a node's data."""


def install() -> None:
    """The process's one audit hook (idempotent)."""
    global _installed
    with _install_lock:
        if not _installed:
            sys.addaudithook(_hook)
            _installed = True


def _hook(event: str, args: tuple) -> None:
    if event != "open":
        return
    reads = getattr(_state, "reads", None)
    if reads is None:
        return
    path, mode, flags = args
    if isinstance(path, int) or path is None:
        return  # an open descriptor: its file was opened (and seen) before
    try:
        name = os.path.abspath(os.fsdecode(path))  # noqa: PTH100
    except (TypeError, ValueError):
        return
    if mode is None:  # os.open
        writing = flags & getattr(os, "O_ACCMODE", 3) != os.O_RDONLY  # 3 on Windows
    else:
        writing = any(letter in mode for letter in "wax+")
    if writing:  # the node's own output (a temporary file it reads back): not its input
        reads[name] = None
        return
    if name in reads or name.endswith(_CODE_SUFFIXES) or name.startswith(_SYSTEM):
        return
    try:
        status = os.stat(name)  # noqa: PTH116 (in every audited open: kept cheap)
    except OSError:
        return
    if stat.S_ISREG(status.st_mode):
        reads[name] = FileStamp(name, status.st_size, status.st_mtime_ns)


class Recording:
    """The files one node read (filled when its recording ends)."""

    def __init__(self) -> None:
        self.stamps: list[FileStamp] = []


@contextlib.contextmanager
def recording(ignore: Sequence[str] = ()) -> Iterator[Recording]:
    """Record what this thread opens for reading inside the block; `ignore`: folders
    (the cache) whose files are not the node's data."""
    install()
    outer = getattr(_state, "reads", None)
    reads: dict[str, FileStamp | None] = {}
    _state.reads = reads
    done = Recording()
    try:
        yield done
    finally:
        _state.reads = outer
        done.stamps = _kept(reads, ignore)
        if outer is not None:  # a node run inside another's recording: both read it
            outer.update({s.path: s for s in done.stamps})


def _kept(reads: dict[str, FileStamp | None], ignore: Sequence[str]) -> list[FileStamp]:
    """The files read, stamped; not those the node wrote or removed (its own)."""
    skipped = tuple(
        os.path.join(os.path.abspath(p), "")  # noqa: PTH118, PTH100
        for p in (*ignore, sys.prefix, sys.base_prefix, sys.exec_prefix)
    )
    kept = []
    for path, opened in sorted(reads.items()):
        if opened is None or path.startswith(skipped) or "site-packages" in path:
            continue
        stamped = _with_digest(opened)
        if stamped is not None:
            kept.append(stamped)
    return kept


def _with_digest(opened: FileStamp) -> FileStamp | None:
    """A small file's digest, when it is still as it was opened (else none: a file
    changed while the node ran is seen as changed at the next check); None for a file
    gone by the end of the node (a temporary one)."""
    try:
        status = Path(opened.path).stat()
    except OSError:
        return None
    if opened.size > SMALL_FILE:
        return opened
    if (status.st_size, status.st_mtime_ns) != (opened.size, opened.mtime_ns):
        return opened
    return replace(opened, digest=file_digest(opened.path) or "")
