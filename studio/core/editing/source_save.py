"""Saving a function edited in the inspector: its lines replaced in the file, nothing else.

The inspector shows a function's lines as they were when it was opened.
Saving finds those lines again (where they were, or moved when lines were
added above) and replaces exactly them. When the file no longer has them
(another editor changed the function meanwhile), the save is refused with
the function as it is now, so the user can choose between the versions or
merge them; a forced save then replaces the function as it is now, never
lines that merely sit where it used to be.
"""

from __future__ import annotations

import ast
import io
import textwrap
import tokenize
from dataclasses import dataclass
from pathlib import Path

from studio.core.editing.edit_plan import EditPlan, EditRefusedError, FileChange, read_bytes
from studio.core.editing.notebook_edits import in_notebooks


class SourceChangedError(EditRefusedError):
    """The file's lines differ from those the editor opened; `on_disk` holds them now."""

    def __init__(self, message: str, on_disk: str) -> None:
        super().__init__(message)
        self.on_disk = on_disk


@dataclass(frozen=True, slots=True)
class _Block:
    start: int
    """Index of the first line."""
    count: int


def plan_source_save(
    path: Path, first_line: int, opened: str, edited: str, *, force: bool = False
) -> EditPlan:
    """Replace the lines `opened` (shown from `first_line`) with `edited`.

    With `force`, the function as it is now is replaced whatever it holds
    (the user chose their version); Undo still restores the file as it was.
    """
    before = read_bytes(path)
    if before is None:
        raise EditRefusedError(f"{path.name} no longer exists; copy your text before closing")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(before).readline)
        text = before.decode(encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError) as error:
        raise EditRefusedError(f"{path.name} cannot be decoded ({error})") from error
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.replace("\r\n", "\n").splitlines(keepends=True)
    wanted = opened.replace("\r\n", "\n").rstrip("\n").split("\n")
    whole_file = first_line == 1 and len(wanted) >= len(lines)
    block = _find(lines, wanted, first_line - 1)
    if block is None:
        current = _Block(0, len(lines)) if whole_file else _function_now(lines, opened)
        on_disk = "".join(lines[current.start : current.start + current.count]) if current else ""
        if not force:
            raise SourceChangedError(f"{path.name} changed on disk since you opened it", on_disk)
        if current is None:
            raise EditRefusedError(
                f"the function is no longer in {path.name}; copy your text and add it again"
            )
        block = current
    replacement = edited.replace("\r\n", "\n").rstrip("\n").split("\n")
    end = block.start + block.count
    ends_with_newline = end < len(lines) or text.endswith(("\n", "\r"))
    new_lines = [line + "\n" for line in replacement]
    if not ends_with_newline:
        new_lines[-1] = new_lines[-1].rstrip("\n")
    after = "".join(lines[: block.start] + new_lines + lines[end:])
    if newline != "\n":
        after = after.replace("\n", newline)
    try:
        data = after.encode(encoding)
    except UnicodeEncodeError as error:
        bad = error.object[error.start : error.end]
        raise EditRefusedError(f"{path.name} is {encoding}, which cannot hold {bad!r}") from error
    plan = EditPlan(
        f"Edit {path.name} lines {block.start + 1}–{block.start + len(new_lines)}",
        (FileChange(path, before, data),),
    )
    return in_notebooks(plan)  # a notebook module's lines are its cell's


def _find(lines: list[str], wanted: list[str], near: int) -> _Block | None:
    """Where the opened lines are now: at their old place, else the one other place."""
    size = len(wanted)
    stripped = [line.rstrip("\n") for line in lines]

    def matches(start: int) -> bool:
        return stripped[start : start + size] == wanted

    if 0 <= near <= len(lines) - size and matches(near):
        return _Block(near, size)
    found = [start for start in range(len(lines) - size + 1) if matches(start)]
    return _Block(found[0], size) if len(found) == 1 else None


def _function_now(lines: list[str], opened: str) -> _Block | None:
    """The lines of the function the opened text defines, as the file has it now."""
    try:
        tree = ast.parse(textwrap.dedent(opened))
    except SyntaxError:
        return None
    names = [s.name for s in tree.body if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)]
    if len(names) != 1:
        return None
    try:
        current = ast.parse("".join(lines))
    except SyntaxError:
        return None
    for statement in current.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef) and (
            statement.name == names[0]
        ):
            first = min([statement.lineno, *(d.lineno for d in statement.decorator_list)])
            last = statement.end_lineno or statement.lineno
            return _Block(first - 1, last - first + 1)
    return None
