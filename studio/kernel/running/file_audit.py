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
(`studio.core.runs.file_reads.FileStamp`). Left out: Python's own files
and installed libraries (the interpreter's prefixes, `site-packages`),
modules and compiled code (`.py`, `.pyc`, `.so`: code changes are tracked
by code versions), `/proc`, `/dev`, `/sys`, the studio's cache folder, and
anything that is not a regular file.
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
_SYSTEM = ("/proc/", "/dev/", "/sys/")


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
    if mode is None:  # os.open
        if flags & os.O_ACCMODE == os.O_WRONLY:
            return
    elif "r" not in mode and "+" not in mode:
        return
    try:
        name = os.path.abspath(os.fsdecode(path))  # noqa: PTH100
    except (TypeError, ValueError):
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
    reads: dict[str, FileStamp] = {}
    _state.reads = reads
    done = Recording()
    try:
        yield done
    finally:
        _state.reads = outer
        done.stamps = _kept(reads, ignore)
        if outer is not None:  # a node run inside another's recording: both read it
            outer.update({s.path: s for s in done.stamps})


def _kept(reads: dict[str, FileStamp], ignore: Sequence[str]) -> list[FileStamp]:
    skipped = tuple(
        os.path.join(os.path.abspath(p), "")  # noqa: PTH118, PTH100
        for p in (*ignore, sys.prefix, sys.base_prefix, sys.exec_prefix)
    )
    kept = []
    for path, opened in sorted(reads.items()):
        if path.startswith(skipped) or "site-packages" in path:
            continue
        kept.append(_with_digest(opened))
    return kept


def _with_digest(opened: FileStamp) -> FileStamp:
    """A small file's digest, when it is still as it was opened (else none: a file
    changed while the node ran is seen as changed at the next check)."""
    if opened.size > SMALL_FILE:
        return opened
    try:
        status = Path(opened.path).stat()
    except OSError:
        return opened
    if (status.st_size, status.st_mtime_ns) != (opened.size, opened.mtime_ns):
        return opened
    return replace(opened, digest=file_digest(opened.path) or "")
