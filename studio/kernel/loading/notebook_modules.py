"""The modules a notebook's `%%cell_to_module` cells make, imported from the cells' text.

Hamilton's magic makes each module from the cell's body
(`ad_hoc_utils.create_module`); here the project finder hands such a name this
loader, which runs the same text as a module whose file is named after the notebook
and the module (`flow.ipynb/my_functions.py`, a path that holds nothing). Its lines
are put in `linecache` under that name, so Hamilton's code versions, `inspect` and
tracebacks read the cell's code. A syntax error names the notebook, the cell and the
line in the cell.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import linecache
from pathlib import Path
from types import CodeType, ModuleType

from studio.core.discovery.notebook_cells import NotebookModule, notebook_reading


class NotebookModuleLoader(importlib.abc.Loader):
    """Makes one notebook module from its cells' text."""

    def __init__(self, notebook: Path, module: NotebookModule) -> None:
        self.notebook = notebook
        self.module = module
        self.filename = str(notebook / f"{module.name}.py")

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        module.__file__ = self.filename
        code = self.get_code(module.__name__)
        exec(code, module.__dict__)

    def get_source(self, fullname: str) -> str:
        return self.module.source

    def get_code(self, fullname: str) -> CodeType:
        source = self.module.source
        lines = source.splitlines(keepends=True)
        linecache.cache[self.filename] = (len(source), None, lines, self.filename)
        try:
            return compile(source, self.filename, "exec", dont_inherit=True)
        except SyntaxError as error:
            place = self.module.place(error.lineno)
            where = f"{place}" if place else f"module {self.module.name}"
            located = SyntaxError(f"{error.msg} ({where})")
            located.filename = str(self.notebook)
            located.lineno = None
            raise located from error


def notebook_specs(root: Path, notebook: str | None) -> dict[str, NotebookModuleLoader]:
    """A loader for each module of the notebook at root-relative `notebook` (none when
    the dataflow is not a notebook's, or the notebook cannot be read)."""
    if not notebook or not notebook.endswith(".ipynb"):
        return {}
    path = root / notebook
    try:
        reading = notebook_reading(path)
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    return {name: NotebookModuleLoader(path, module) for name, module in reading.modules.items()}


def find_notebook_spec(
    loaders: dict[str, NotebookModuleLoader], fullname: str
) -> importlib.machinery.ModuleSpec | None:
    loader = loaders.get(fullname)
    if loader is None:
        return None
    return importlib.util.spec_from_loader(fullname, loader, origin=loader.filename)
