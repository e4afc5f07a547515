"""Writing a user's file whole or not at all.

A write goes to a file beside the target, which replaces the target once
complete: a failure (a full disk, a value that cannot be written, a
crash) leaves the old file as it was, never an empty or partial one. The
new file keeps the old one's permissions. A symbolic link is followed: its
target is what gets replaced, and the link stays.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A path to write instead of `path`; it becomes `path` when the block ends well."""
    if path.is_symlink():
        path = path.resolve()
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        yield partial
        if not partial.exists():
            raise OSError(f"nothing was written to {path}")
        if path.exists():
            shutil.copymode(path, partial)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
