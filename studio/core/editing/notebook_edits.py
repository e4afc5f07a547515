"""Edits of a notebook's module cells written back into the notebook, nothing else touched.

The edits plan on a notebook module as on a file (`flow.ipynb/my_functions.py`, whose
text is the module cell's body: `notebook_sources.read_module_text`); here each such
change becomes a change of the notebook: the cell's `"source"` value is replaced in
the notebook's JSON text where it stands, written the way the file writes it (a list
of lines, one per line and indented as the old one, or one string), so outputs,
metadata, key order and indentation stay byte for byte. For a notebook saved by
Jupyter the result is what Jupyter would write with the new source. Undo puts the
notebook's bytes back (`EditPlan.undo`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.core.discovery.notebook_cells import read_notebook_text
from studio.core.editing.edit_plan import EditPlan, EditRefusedError, FileChange, read_bytes
from studio.core.editing.notebook_sources import notebook_of

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")


def in_notebooks(plan: EditPlan) -> EditPlan:
    """The plan with each change of a notebook module made a change of its notebook."""
    if not any(notebook_of(change.path) is not None for change in plan.changes):
        return plan
    changes: list[FileChange] = []
    notebooks: dict[Path, tuple[bytes, bytes]] = {}
    for change in plan.changes:
        notebook = notebook_of(change.path)
        if notebook is None:
            changes.append(change)
            continue
        before = notebooks[notebook][1] if notebook in notebooks else read_bytes(notebook)
        if before is None:
            raise EditRefusedError(f"{notebook.name} no longer exists")
        module = change.path.stem
        body = change.after.decode("utf-8")
        after = with_module_source(before, module, body, notebook.name)
        original = notebooks[notebook][0] if notebook in notebooks else before
        notebooks[notebook] = (original, after)
    changes += [FileChange(path, before, after) for path, (before, after) in notebooks.items()]
    return EditPlan(plan.summary, tuple(changes), plan.notes)


def with_module_source(raw: bytes, module: str, body: str, name: str = "notebook") -> bytes:
    """The notebook `raw` with the body of the cell that makes `module` replaced."""
    try:
        reading = read_notebook_text(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise EditRefusedError(f"{name} cannot be read: {error}") from error
    found = reading.modules.get(module)
    if found is None:
        raise EditRefusedError(f"{name} no longer has a module cell {module}")
    if len(found.cells) != 1:
        raise EditRefusedError(
            f"{module} is made of several cells of {name} (%%incr_cell_to_module): "
            "edit them in Jupyter"
        )
    return with_cell_source(raw, found.cells[0], lambda old: _new_source(old, body))


def _new_source(old: str, body: str) -> str:
    """The cell's magic line kept, its body replaced."""
    first, newline, _ = old.partition("\n")
    return first + (newline or "\n") + body


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    value: Any


def with_cell_source(raw: bytes, cell_number: int, change: Any) -> bytes:
    """`raw` with the source of cell `cell_number` (from 1) made `change(old_source)`,
    every other byte as it was. Raises `EditRefusedError` when the JSON is not laid
    out so that this can be done exactly."""
    text = raw.decode("utf-8")
    try:
        cells = _member(text, 0, "cells")
        cell = _element(text, cells.start, cell_number - 1)
        source = _member(text, cell.start, "source")
    except (ValueError, LookupError, json.JSONDecodeError) as error:
        raise EditRefusedError(f"the notebook's cell {cell_number} cannot be found") from error
    old = source.value if isinstance(source.value, str) else "".join(source.value)
    new = change(old)
    old_text = text[source.start : source.end]
    new_text = _encoded_like(old_text, source.value, new)
    result = text[: source.start] + new_text + text[source.end :]
    _check(text, result, cell_number, new)
    return result.encode("utf-8")


def _encoded_like(old_text: str, old_value: str | list[str], new: str) -> str:
    """`new` as the old value was written: a string, or a list of lines laid out alike."""
    ascii_only = "\\u" in old_text and not _has_non_ascii(old_text)

    def dump(value: str) -> str:
        return json.dumps(value, ensure_ascii=ascii_only)

    if isinstance(old_value, str):
        return dump(new)
    lines = new.splitlines(keepends=True)
    if not lines:
        return "[]"
    inner = old_text[1:-1]
    if old_value:
        first = inner.index(dump(old_value[0])) if dump(old_value[0]) in inner else -1
        opening = inner[:first] if first >= 0 else "\n"
        closing = inner[len(inner.rstrip(" \t\n\r")) :]
        separator = "," + opening
    else:  # `[]`: laid out as nbformat does, one deeper than the key
        opening, closing, separator = "\n", "\n", ",\n"
    return "[" + opening + separator.join(dump(line) for line in lines) + closing + "]"


def _has_non_ascii(text: str) -> bool:
    return any(ord(character) > 127 for character in text)


def _member(text: str, start: int, key: str) -> _Span:
    """The value of `key` in the JSON object that starts at `start`."""
    position = _skip(text, start)
    if text[position] != "{":
        raise ValueError("not an object")
    position = _skip(text, position + 1)
    while text[position] != "}":
        name, position = _DECODER.raw_decode(text, position)
        position = _skip(text, position)
        if text[position] != ":":
            raise ValueError("no colon")
        value_start = _skip(text, position + 1)
        value, value_end = _DECODER.raw_decode(text, value_start)
        if name == key:
            return _Span(value_start, value_end, value)
        position = _skip(text, value_end)
        if text[position] == ",":
            position = _skip(text, position + 1)
    raise LookupError(key)


def _element(text: str, start: int, index: int) -> _Span:
    """Element `index` of the JSON array that starts at `start`."""
    position = _skip(text, start)
    if text[position] != "[":
        raise ValueError("not an array")
    position = _skip(text, position + 1)
    count = 0
    while text[position] != "]":
        value, end = _DECODER.raw_decode(text, position)
        if count == index:
            return _Span(position, end, value)
        count += 1
        position = _skip(text, end)
        if text[position] == ",":
            position = _skip(text, position + 1)
    raise LookupError(index)


def _skip(text: str, position: int) -> int:
    match = _SPACE.match(text, position)
    return match.end() if match else position


def _check(before: str, after: str, cell_number: int, source: str) -> None:
    """The new text holds the same notebook but for that cell's source."""
    old, new = json.loads(before), json.loads(after)
    written = new["cells"][cell_number - 1]["source"]
    if (written if isinstance(written, str) else "".join(written)) != source:
        raise EditRefusedError("the cell's new source could not be written exactly")
    new["cells"][cell_number - 1]["source"] = old["cells"][cell_number - 1]["source"]
    if new != old:
        raise EditRefusedError("writing the cell would change more of the notebook")
