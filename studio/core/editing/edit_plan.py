"""An edit as the files it changes: planned, shown as a diff, applied, undone, redone.

Applying and undoing check the files first: a file that changed on disk
since the edit was planned (another editor saved it) is never overwritten;
the edit is refused instead (`EditConflictError`), so nothing the user wrote is lost.
"""

from __future__ import annotations

import contextlib
import difflib
from dataclasses import dataclass, field
from pathlib import Path

from studio.core.atomic_write import write_bytes
from studio.core.editing.notebook_sources import notebook_of, read_module_text


class EditRefusedError(Exception):
    """The edit cannot be done safely; the message says why, for the user."""


class ConfirmationNeededError(EditRefusedError):
    """The edit can be done, but loses something the user wrote: ask, then force it."""


class EditConflictError(Exception):
    """A file changed on disk since the edit was planned or applied."""


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file's bytes before and after; `before` is None for a file the edit creates."""

    path: Path
    before: bytes | None
    after: bytes

    def diff(self, root: Path) -> str:
        """A unified diff with paths relative to the project root (as `git diff` shows them)."""
        name = self.path.relative_to(root).as_posix() if self.path.is_relative_to(root) else ""
        name = name or str(self.path)
        old = _lines(self.before or b"")
        new = _lines(self.after)
        source = "/dev/null" if self.before is None else f"a/{name}"
        return "".join(difflib.unified_diff(old, new, source, f"b/{name}"))


@dataclass(frozen=True, slots=True)
class EditPlan:
    """What an edit will do: a one-line summary, its file changes, and notes for the user."""

    summary: str
    changes: tuple[FileChange, ...]
    notes: tuple[str, ...] = field(default=())

    def diff(self, root: Path) -> str:
        return "".join(change.diff(root) for change in self.changes)

    def files(self) -> list[Path]:
        return [change.path for change in self.changes]

    def apply(self) -> None:
        """Write every file's new bytes, after checking none changed since planning."""
        _replace_all([(c.path, c.before, c.after) for c in self.changes], "was planned")

    def undo(self) -> None:
        """Put every file back as it was, byte for byte (a created file is removed)."""
        _replace_all([(c.path, c.after, c.before) for c in self.changes], "was made")


def _replace_all(steps: list[tuple[Path, bytes | None, bytes | None]], since: str) -> None:
    """Write every file or none: a failure part-way puts back the files already written."""
    for path, expected, _new in steps:
        if read_bytes(path) != expected:
            raise EditConflictError(
                f"{path.name} changed on disk since the edit {since}; "
                "nothing was written (reload and try again)"
            )
    done: list[tuple[Path, bytes | None]] = []
    try:
        for path, expected, new in steps:
            _put(path, new)
            done.append((path, expected))
    except OSError:
        for path, expected in reversed(done):
            with contextlib.suppress(OSError):
                _put(path, expected)
        raise


def _put(path: Path, data: bytes | None) -> None:
    if data is None:
        path.unlink(missing_ok=True)
    else:
        write_bytes(path, data)


def read_bytes(path: Path) -> bytes | None:
    """The file's bytes (None when it is not there); for a notebook module
    (`flow.ipynb/my_functions.py`), its cell's body."""
    if notebook_of(path) is not None:
        try:
            return read_module_text(path).encode("utf-8")
        except OSError:
            return None
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _lines(data: bytes) -> list[str]:
    text = data.decode("utf-8", errors="replace")
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines
