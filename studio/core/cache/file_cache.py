"""What reading a project's files gave, kept across sessions by the bytes they held.

Parsing and compiling a big project's files is most of what a first load
does beyond Hamilton's own build (about 0.3 s of 0.7 s at 5,000 nodes).
Plain Python keeps compiled modules in `__pycache__` by timestamp; the
studio never trusts a timestamp (a file saved twice within a second), so
it keeps its own entries, in the project's private cache folder, each
valid only for the very bytes it was made from and for the code that
made it. One entry per file and kind: a save replaces its file's entry.
Every failure to read or write one is a cache miss, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from studio.core.cache.cache_paths import kept_files_dir, private_project_cache

_KEY_BYTES = 16


class FileCache:
    """Entries of one kind ("reading", "code") for the files of one project."""

    def __init__(self, root: Path, kind: str, version: bytes | None) -> None:
        self.root = root
        self.folder = kept_files_dir(root) / kind
        self.version = version
        """What made the entries (a format, the code writing them): others are misses.
        None keeps nothing."""

    def get(self, path: str, digest: bytes) -> bytes | None:
        """The entry kept for the file at `path` while it held bytes of `digest`."""
        if self.version is None:
            return None
        try:
            data = self._entry(path).read_bytes()
        except OSError:
            return None
        key = self._key(digest)
        return data[_KEY_BYTES:] if data[:_KEY_BYTES] == key else None

    def put(self, path: str, digest: bytes, payload: bytes) -> None:
        """Keep `payload` for the file at `path` while it holds bytes of `digest` (later,
        when this thread holds its writes: see `writes_held`)."""
        if self.version is None:
            return
        held = getattr(_HOLDING, "writes", None)
        if held is not None:
            held.entries.append((self, path, digest, payload))
            return
        self._write(path, digest, payload)

    def _write(self, path: str, digest: bytes, payload: bytes) -> None:
        entry = self._entry(path)
        partial = entry.with_name(f".{entry.name}.{os.getpid()}.{threading.get_ident()}")
        with contextlib.suppress(OSError):
            if not self.folder.is_dir():
                private_project_cache(self.root)
                self.folder.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(self._key(digest) + payload)
            partial.replace(entry)
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)

    def _entry(self, path: str) -> Path:
        """One entry per file and maker: the window and a kernel in another Python each
        keep their own."""
        named = hashlib.blake2b(path.encode(), key=self._version[:64], digest_size=12)
        return self.folder / named.hexdigest()

    def _key(self, digest: bytes) -> bytes:
        return hashlib.blake2b(self._version + digest, digest_size=_KEY_BYTES).digest()

    @property
    def _version(self) -> bytes:
        assert self.version is not None
        return self.version


class HeldWrites:
    """Entries put while writes were held, written by `write` (on any thread)."""

    def __init__(self) -> None:
        self.entries: list[tuple[FileCache, str, bytes, bytes]] = []

    def __bool__(self) -> bool:
        return bool(self.entries)

    def write(self) -> None:
        entries, self.entries = self.entries, []
        for cache, path, digest, payload in entries:
            cache._write(path, digest, payload)


_HOLDING = threading.local()


@contextlib.contextmanager
def writes_held() -> Iterator[HeldWrites]:
    """Entries this thread puts meanwhile wait for `HeldWrites.write`: a first load writes
    its files' entries (tens of milliseconds at 5,000 nodes) after its reply is out.
    Other threads (the window's readers) write theirs as usual."""
    held = HeldWrites()
    outer = getattr(_HOLDING, "writes", None)
    _HOLDING.writes = held
    try:
        yield held
    finally:
        _HOLDING.writes = outer
