"""Saving a function edited in the inspector: its lines replaced in the file, nothing else.

The inspector shows a function's lines as they were when it was opened;
saving replaces exactly those lines. When the file no longer has them
there (another editor saved meanwhile), the save is refused with the
file's current lines, so the user can choose between the two versions.
"""

from __future__ import annotations

from pathlib import Path

from studio.core.editing.edit_plan import EditPlan, EditRefusedError, FileChange, read_bytes


class SourceChangedError(EditRefusedError):
    """The file's lines differ from those the editor opened; `on_disk` holds them now."""

    def __init__(self, message: str, on_disk: str) -> None:
        super().__init__(message)
        self.on_disk = on_disk


def plan_source_save(
    path: Path, first_line: int, opened: str, edited: str, *, force: bool = False
) -> EditPlan:
    """Replace the lines `opened` (from `first_line`) with `edited`.

    With `force`, the lines are replaced whatever they are now (the user
    chose their version); Undo still restores the file as it was.
    """
    before = read_bytes(path)
    if before is None:
        raise EditRefusedError(f"{path.name} no longer exists; copy your text before closing")
    text = before.decode("utf-8")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    count = len(opened.splitlines())
    start = first_line - 1
    current = "".join(lines[start : start + count]).replace("\r\n", "\n")
    if current.rstrip("\n") != opened.rstrip("\n") and not force:
        raise SourceChangedError(f"{path.name} changed on disk since you opened it", current)
    replacement = edited.rstrip("\n").replace("\r\n", "\n").split("\n")
    tail_newline = newline if start + count < len(lines) or text.endswith(("\n", "\r")) else ""
    new_block = newline.join(replacement) + tail_newline
    after = "".join(lines[:start]) + new_block + "".join(lines[start + count :])
    return EditPlan(
        f"Edit {path.name} lines {first_line}–{first_line + count - 1}",
        (FileChange(path, before, after.encode("utf-8")),),
    )
