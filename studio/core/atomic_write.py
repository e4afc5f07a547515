"""Writing a user's file whole or not at all: the one way the studio writes them.

Every file the studio writes for the user goes through `replacing` (or
`write_bytes`): `studio graph -o` and `studio run -o`, the graph and table
exports of the window, and code edits. (The settings file is QSettings',
which writes it the same way: beside it, then renamed over it.)

A write goes to a file beside the target, which replaces the target once
complete: a failure (a full disk, a value that cannot be written, a
crash) leaves the old file as it was, never an empty or partial one. The
new file keeps the old one's permissions. A symbolic link is followed: its
target is what gets replaced, and the link stays. A folder that does not
exist is named (`MissingFolderError`), not reported as the temporary file
that could not be made in it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path


class MissingFolderError(FileNotFoundError):
    """The folder a file was to be written in does not exist."""

    def __init__(self, path: Path, folder: Path) -> None:
        exists = folder.exists()
        what = f"{folder} is not a folder" if exists else f"the folder {folder} does not exist"
        super().__init__(errno.ENOENT, what, str(path))
        self.folder = folder

    def __str__(self) -> str:
        return str(self.strerror)


def target_of(path: Path) -> Path:
    """The file a write to `path` replaces: a link's target (a chain of links followed).
    Raises OSError for links that lead back to themselves."""
    if not path.is_symlink():
        return path
    try:
        return path.resolve()
    except (RuntimeError, OSError) as error:  # Python 3.12 says RuntimeError, 3.13 OSError
        raise OSError(
            errno.ELOOP, "its symbolic links lead back to themselves", str(path)
        ) from error


def check_folder(path: Path) -> None:
    """Raise MissingFolderError when the file's folder does not exist, OSError when the
    file is a loop of links (to say so before work whose result would go there)."""
    folder = target_of(path).parent
    if not folder.is_dir():
        raise MissingFolderError(path, folder)


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A path to write instead of `path`; it becomes `path` when the block ends well."""
    check_folder(path)
    path = target_of(path)
    # Unique per write: two threads (or processes) writing one file never share it.
    partial = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.partial")
    try:
        yield partial
        if not partial.exists():
            raise OSError(f"nothing was written to {path}")
        if path.exists():
            shutil.copymode(path, partial)
        partial.replace(path)
    except FileNotFoundError as error:
        if not path.parent.is_dir():  # the folder went away during the write
            raise MissingFolderError(path, path.parent) from error
        raise
    finally:
        partial.unlink(missing_ok=True)


def write_bytes(path: Path, data: bytes) -> None:
    """Replace the file's content with `data`, whole or not at all."""
    with replacing(path) as partial:
        partial.write_bytes(data)


def reason(error: OSError) -> str:
    """Why a write failed, for a one-line message: the missing folder, or the system's
    words (`No space left on device`), without the temporary file's name."""
    if isinstance(error, MissingFolderError):
        return str(error)
    return error.strerror or str(error)
