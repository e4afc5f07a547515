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
