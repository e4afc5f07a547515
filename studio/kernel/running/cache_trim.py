"""The result cache stays under a size limit, the oldest results going first.

Hamilton's cache keeps every result it ever stored (a 2 GB result costs
2 GB on disk for good). After each run the studio adds up the stored
results and, above the limit, removes the least recently written until
under it; Hamilton computes a removed result again when it is needed.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from studio.core.cache.cache_paths import DEFAULT_CACHE_LIMIT
from studio.core.platform.liveness import process_alive

DEFAULT_LIMIT = DEFAULT_CACHE_LIMIT


def trim(cache_path: Path, limit: int) -> tuple[int, int]:
    """Remove the oldest results (the files Hamilton's file store writes in `cache_path`,
    beside its metadata database) until their total is at most `limit`;
    (bytes kept, bytes removed)."""
    entries = []
    total = 0
    with contextlib.suppress(OSError), os.scandir(cache_path) as found:
        for entry in found:
            if not entry.is_file(follow_symlinks=False) or entry.name.endswith(
                (".db", ".db-wal", ".db-shm", ".json", ".txt")
            ):
                continue
            if _left_by_a_dead_writer(entry.name):
                with contextlib.suppress(OSError):
                    Path(entry.path).unlink()
                continue
            with contextlib.suppress(OSError):
                stat = entry.stat(follow_symlinks=False)
                entries.append((stat.st_mtime, stat.st_size, entry.path))
                total += stat.st_size
    removed = 0
    if total > limit:
        for _, size, path in sorted(entries):
            if total - removed <= limit:
                break
            with contextlib.suppress(OSError):
                Path(path).unlink()
                removed += size
    return total - removed, removed


def _left_by_a_dead_writer(name: str) -> bool:
    """A result written in part by a process that is gone (killed during the write: see
    `running/progress.py`, `.<result>.<pid>.<thread>.partial`)."""
    if not (name.startswith(".") and name.endswith(".partial")):
        return False
    parts = name.split(".")
    try:
        pid = int(parts[-3])
    except (IndexError, ValueError):
        return False
    return not process_alive(pid)
