"""The files a node read while it ran, and whether they changed since.

A loader that reads `data.csv` computes another value once the file
changes, though its code and inputs did not. The kernel records the files
each node opens for reading while it runs (`studio.kernel.running.file_audit`)
with their size and modification time (nanoseconds), and a digest of the
bytes of small files. A file is unchanged while its size and time are; a
small file whose time moved but whose bytes are the same (a `touch`, a
checkout of the same content) is unchanged too, by its digest. A big file
whose time moved counts as changed: hashing gigabytes on every check would
cost more than computing the node again.

What changed becomes a salt of the node's lineage signature
(`studio.core.runs.staleness`), so the node and everything computed from
it are stale, and the reason names the file.
"""

from __future__ import annotations

import contextlib
import hashlib
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from studio.core.protocol.wire import Record

SMALL_FILE = 1024 * 1024
"""Files up to this size get a digest of their bytes (read once more after the node)."""


@dataclass(frozen=True, slots=True)
class FileStamp(Record):
    """One file as a node read it."""

    path: str
    size: int
    mtime_ns: int
    digest: str = ""
    """blake2b of the bytes, for files up to `SMALL_FILE`; empty for bigger ones."""


def stamp(path: str, with_digest: bool = True) -> FileStamp | None:
    """The file as it is now; None when it is not a regular file there."""
    try:
        status = Path(path).stat()
    except OSError:
        return None
    if not stat.S_ISREG(status.st_mode):
        return None
    digest = ""
    if with_digest and status.st_size <= SMALL_FILE:
        digest = file_digest(path) or ""
    return FileStamp(path, status.st_size, status.st_mtime_ns, digest)


def file_digest(path: str) -> str | None:
    """blake2b of the file's bytes; None when it cannot be read."""
    with contextlib.suppress(OSError), open(path, "rb") as stream:  # noqa: PTH123
        return hashlib.blake2b(stream.read(), digest_size=16).hexdigest()
    return None


def changed_files(stamps: Iterable[FileStamp]) -> list[str]:
    """The paths among `stamps` whose files are not as they were read (or are gone)."""
    changed = []
    for recorded in stamps:
        try:
            status = Path(recorded.path).stat()
        except OSError:
            changed.append(recorded.path)
            continue
        if status.st_size == recorded.size and status.st_mtime_ns == recorded.mtime_ns:
            continue
        same_bytes = (
            recorded.digest
            and status.st_size == recorded.size
            and file_digest(recorded.path) == recorded.digest
        )
        if not same_bytes:
            changed.append(recorded.path)
    return changed


def file_salts(
    reads: Mapping[str, Iterable[FileStamp]], root: Path | None = None
) -> tuple[dict[str, str], dict[str, str]]:
    """For the nodes whose read files changed: a salt of their signatures (the files and
    their states now, so a second change is a new salt) and the reason, in words
    (`data.csv changed`, paths inside `root` relative to it)."""
    salts: dict[str, str] = {}
    reasons: dict[str, str] = {}
    for name, stamps in reads.items():
        changed = changed_files(stamps)
        if not changed:
            continue
        now = [stamp(path, with_digest=False) for path in changed]
        state = "\n".join(
            f"{path}:{s.size}:{s.mtime_ns}" if s else f"{path}:gone"
            for path, s in zip(changed, now, strict=True)
        )
        salts[name] = "files:" + hashlib.sha256(state.encode()).hexdigest()[:16]
        shown = [_shown(path, root) for path in changed]
        reasons[name] = f"{', '.join(shown)} changed"
    return salts, reasons


def _shown(path: str, root: Path | None) -> str:
    if root is not None:
        with contextlib.suppress(ValueError):
            return str(Path(path).relative_to(root))
    return path
