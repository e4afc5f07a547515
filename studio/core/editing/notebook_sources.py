"""The code of a notebook's module cells where a file's text is asked for, and the command
that opens the notebook in Jupyter.

The kernel names the file of a notebook module `flow.ipynb/my_functions.py`
(`studio/kernel/loading/notebook_modules.py`): no such file exists, its text is the
module cells' (read with nbformat, as discovery reads them).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from studio.core.discovery.notebook_cells import notebook_reading


def notebook_of(path: Path) -> Path | None:
    """The notebook a notebook module's file name stands in, or None for a real file."""
    return path.parent if path.parent.suffix == ".ipynb" else None


def read_module_text(path: Path) -> str:
    """A file's text, or the module cells' text of a notebook module. Raises `OSError`
    when there is neither."""
    notebook = notebook_of(path)
    if notebook is None:
        return path.read_text(encoding="utf-8", errors="replace")
    try:
        module = notebook_reading(notebook).modules.get(path.stem)
    except (ValueError, UnicodeDecodeError) as error:
        raise OSError(f"{notebook.name} cannot be read: {error}") from error
    if module is None:
        raise FileNotFoundError(f"{notebook.name} has no module cell {path.stem}")
    return module.source


def notebook_place(path: Path, line: int | None) -> str | None:
    """`my_notebook.ipynb, cell 6, line 14` for a line of a notebook module (as the user
    finds it in Jupyter), None for a real file or a line the cells do not hold."""
    notebook = notebook_of(path)
    if notebook is None:
        return None
    try:
        module = notebook_reading(notebook).modules.get(path.stem)
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    place = module.place(line) if module is not None else None
    return f"{notebook.name}, {place}" if place is not None else f"{notebook.name}"


JUPYTER_PROGRAMS = (("jupyter-lab", []), ("jupyter-notebook", []), ("jupyter", ["lab"]))
"""JupyterLab first, then the classic notebook, then `jupyter lab`."""


def jupyter_command(
    notebook: Path,
    environment_folders: Iterable[Path] = (),
    which: Callable[[str], str | None] = shutil.which,
) -> list[str] | None:
    """The command that opens `notebook` in Jupyter: from the project's environments
    first (they have the project's packages), then the PATH; None when none has it."""
    bins = [
        folder / ("Scripts" if (folder / "Scripts").is_dir() else "bin")
        for folder in environment_folders
    ]
    for program, words in JUPYTER_PROGRAMS:
        for folder in bins:
            candidate = folder / program
            if candidate.is_file():
                return [str(candidate), *words, str(notebook)]
    for program, words in JUPYTER_PROGRAMS:
        found = which(program)
        if found:
            return [found, *words, str(notebook)]
    return None


NO_JUPYTER = (
    "Jupyter is not installed in the project's environment or on the PATH: "
    "install it with `pip install jupyterlab`, or open {name} in your own Jupyter."
)
