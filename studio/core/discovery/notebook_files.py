"""The files a notebook's lines name, read from the notebook's folder (where Jupyter
runs it), nothing run.

- `%insert_module PATH` whose cell the notebook lacks: the module is the file itself
  (see `studio.core.discovery.module_files`); a file that is not there is a problem.
- `%%cell_to_module NAME -w [PATH]` (`--write_to_file`): run, the cell writes the
  module's code to PATH (`NAME.py` without one). The module is the cell, as the magic
  builds its driver from the cell; the file is its copy, named as such, with whether it
  holds the cell's code now or an older one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from studio.core.discovery.module_files import file_facts, inserted_file, stored_path
from studio.core.discovery.module_reader import ModuleFacts
from studio.core.discovery.notebook_cells import NotebookReading
from studio.core.discovery.project import FileProblem


@dataclass(slots=True)
class Inserted:
    """The modules `%insert_module` lines make from files: where each file is, its facts
    and the note saying so."""

    files: dict[str, str] = field(default_factory=dict)
    facts: dict[str, ModuleFacts] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)


@dataclass(slots=True)
class Written:
    """The files module cells write when run, and what is said of them."""

    notes: dict[str, list[str]] = field(default_factory=dict)
    """By module: where its cell writes it and whether the file holds its code."""
    writers: dict[str, str] = field(default_factory=dict)
    """Root-relative file -> `nb.ipynb, cell 3` (files inside the project only)."""


def inserted_modules(
    path: str, reading: NotebookReading, root: Path | None, problems: list[FileProblem]
) -> Inserted:
    """The module each `%insert_module PATH` without its cell makes from the file, as the
    cell the line inserts would (its code under the file's stem)."""
    inserted = Inserted()
    for stem, insert in reading.inserts.items():
        file = inserted_file(root, path, insert.path) if root is not None else None
        if root is None or file is None:
            problems.append(
                FileProblem(
                    path,
                    None,
                    f"{insert.place}: `%insert_module {insert.path}` names a file that is "
                    f"not there (looked for from the notebook's folder): no module {stem}",
                )
            )
            continue
        stored = stored_path(root, file)
        inserted.files[stem] = stored
        read = file_facts(root, stored, stem)
        if read is not None:  # else mid-edit: the load names its error
            inserted.facts[stem] = read[1]
        inserted.notes[stem] = [
            f"{insert.place}: module {stem} is {stored}, whose code `%insert_module` puts in "
            f"a new module cell when run in Jupyter"
        ]
    return inserted


def written_files(path: str, reading: NotebookReading, root: Path | None) -> Written:
    """Where each module cell with `--write_to_file` writes its module when run."""
    written = Written()
    for name, module in reading.modules.items():
        asked = [i for i, call in enumerate(module.calls) if call.write_to_file]
        if not asked or root is None:
            continue
        call = module.calls[asked[-1]]
        cell = module.cells[min(asked[-1], len(module.cells) - 1)]
        target = call.write_to_file if isinstance(call.write_to_file, str) else f"{name}.py"
        file = Path(os.path.normpath((root / path).parent / target.strip("'\"")))
        stored = stored_path(root, file)
        try:
            text: str | None = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = None
        if text is None:
            state = "not written yet"
        elif text.strip() == module.source.strip():
            state = "it holds the cell's code"
        else:
            state = f"it holds other code than the cell: run cell {cell} to write it again"
        written.notes[name] = [
            f"cell {cell}: `--write_to_file` writes module {name} to {stored} when the cell "
            f"runs; the studio reads the cell (and writes edits there), {state}"
        ]
        if not Path(stored).is_absolute():
            written.writers[stored] = f"{path}, cell {cell}"
    return written
