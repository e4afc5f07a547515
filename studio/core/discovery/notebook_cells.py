"""A Jupyter notebook read as Hamilton's notebook extension would run it, nothing run.

Each `%%cell_to_module NAME` cell is a module made from the cell's body, exactly
as the magic makes it (`ad_hoc_utils.create_module(cell, NAME)`); the cells of an
`%%incr_cell_to_module NAME ID` module are joined in the order of their ids with a
blank line between, as the magic joins them. A later cell of the same name replaces
an earlier one, as it does in the notebook's namespace. The other code cells make the
notebook's script: IPython syntax (`%pip`, `!ls`, other cell magics) is left out line
for line, so that each line of the script is known by its cell and line.

The notebook is read with `nbformat`, Jupyter's own reader.
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from studio.core.cache.parsed_files import digest_of
from studio.core.discovery.magic_arguments import MagicCall, parse_magic_line

_HELP = re.compile(r"[\w.]+\?\??")
"""`obj?`, IPython's help."""
CODE_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})
"""Cell magics whose body is ordinary Python run in the notebook."""
_INSERT = re.compile(r"^%(?:insert_module|module_to_cell)\s+(\S.*?)\s*$", re.MULTILINE)
"""Hamilton's `%insert_module PATH`: run in Jupyter, it adds a `%%cell_to_module STEM`
cell holding the file's code; the saved notebook holds that cell only once it ran."""


@dataclass(frozen=True, slots=True)
class CellPlace:
    """A line of a notebook: its cell (counted from 1, as Jupyter lists them) and the
    line in the cell (from 1, the magic's line included)."""

    cell: int
    line: int

    def __str__(self) -> str:
        return f"cell {self.cell}, line {self.line}"


@dataclass(frozen=True, slots=True)
class Insert:
    """An `%insert_module PATH` line whose module cell the notebook does not hold: the
    module STEM is the file's code (`studio.core.discovery.module_files`)."""

    place: CellPlace
    path: str
    """As the line writes it, relative to the notebook's folder."""
    stem: str


@dataclass(slots=True)
class NotebookModule:
    """A module one or several `%%cell_to_module` cells make."""

    name: str
    source: str
    """The module's text, as the magic passes it to `create_module`."""
    places: list[CellPlace]
    """Where each line of `source` sits in the notebook."""
    calls: list[MagicCall]
    """The magic lines of its cells, in order."""

    @property
    def cells(self) -> list[int]:
        return list(dict.fromkeys(place.cell for place in self.places))

    def place(self, line: int | None) -> CellPlace | None:
        """Where a line of the module (from 1) is in the notebook."""
        if line is None or not 1 <= line <= len(self.places):
            return None
        return self.places[line - 1]


@dataclass(slots=True)
class NotebookReading:
    """The modules and the script of one notebook."""

    modules: dict[str, NotebookModule] = field(default_factory=dict)
    script: str = ""
    """The other code cells, IPython syntax left out, as one Python text."""
    script_places: list[CellPlace] = field(default_factory=list)
    problems: list[tuple[CellPlace | None, str]] = field(default_factory=list)
    inserts: dict[str, Insert] = field(default_factory=dict)
    """`%insert_module` lines whose module cell is missing, by module name."""

    def script_place(self, line: int | None) -> CellPlace | None:
        if line is None or not 1 <= line <= len(self.script_places):
            return None
        return self.script_places[line - 1]


def read_notebook_text(text: str) -> NotebookReading:
    """The notebook's modules and script. Raises `ValueError` when it is not a notebook."""
    try:
        import nbformat  # 0.2 s: only folders with notebooks pay for it
    except ImportError:  # a project's own Python without it: the format's JSON as it is
        nbformat = None
    try:
        if nbformat is None:
            notebook = json.loads(text)
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                notebook = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    except Exception as error:  # nbformat raises JSON, validation and version errors
        raise ValueError(f"is not a notebook nbformat can read ({error})") from error
    if not isinstance(notebook, dict):
        raise ValueError("is not a notebook (not a JSON object)")
    reading = NotebookReading()
    increments: dict[str, dict[int, tuple[str, list[CellPlace], MagicCall]]] = {}
    script_lines: list[str] = []
    inserts: list[tuple[int, str]] = []
    for number, cell in enumerate(notebook.get("cells", ()), start=1):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        first, newline, body = source.partition("\n")
        call = parse_magic_line(first) if first.startswith("%%") else None
        if call is not None:
            _module_cell(reading, increments, call, number, body if newline else "")
            continue
        inserts += [(number, found.group(1)) for found in _INSERT.finditer(source)]
        lines = _python_lines(source)
        script_lines += lines
        reading.script_places += [CellPlace(number, i) for i in range(1, len(lines) + 1)]
    for name, parts in increments.items():
        ordered = [parts[key] for key in sorted(parts)]
        places: list[CellPlace] = []
        for index, (_body, body_places, _) in enumerate(ordered):
            if index:  # "\n\n".join: the blank line between two cells
                places.append(body_places[0] if body_places else CellPlace(0, 0))
            places += body_places
        reading.modules[name] = NotebookModule(
            name,
            "\n\n".join(body for body, _, _ in ordered),
            places,
            [call for _, _, call in ordered],
        )
    reading.script = "".join(script_lines)
    for number, path in inserts:
        stem = path.strip("'\"").replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".py")
        if stem not in reading.modules and stem.isidentifier():
            reading.inserts.setdefault(stem, Insert(CellPlace(number, 1), path, stem))
    return reading


def _module_cell(
    reading: NotebookReading,
    increments: dict[str, dict[int, tuple[str, list[CellPlace], MagicCall]]],
    call: MagicCall,
    number: int,
    body: str,
) -> None:
    places = [CellPlace(number, i + 2) for i in range(max(1, body.count("\n") + 1))]
    for problem in call.problems:
        reading.problems.append((CellPlace(number, 1), problem))
    if call.module is None or not call.module.isidentifier():
        named = "names no module" if call.module is None else f"names `{call.module}`"
        reading.problems.append(
            (CellPlace(number, 1), f"%%{call.magic} {named}: the magic makes no module of it")
        )
        return
    if call.magic == "cell_to_module":
        increments.pop(call.module, None)
        reading.modules[call.module] = NotebookModule(call.module, body, places, [call])
    else:
        reading.modules.pop(call.module, None)
        increments.setdefault(call.module, {})[call.identifier or 0] = (body, places, call)


def _python_lines(source: str) -> list[str]:
    """A cell's lines with IPython syntax left out (each such line an indented `pass`,
    so blocks and line numbers stay); a cell that still does not parse is left out."""
    lines = source.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    if lines and lines[0].startswith("%%"):
        magic = lines[0][2:].split()[0] if lines[0][2:].split() else ""
        if magic not in CODE_CELL_MAGICS:
            return ["\n"] * len(lines)
        lines[0] = "\n"
    kept = []
    for line in lines:
        stripped = line.lstrip()
        if stripped.startswith(("%", "!", "?")) or _HELP.fullmatch(stripped.rstrip()):
            indent = line[: len(line) - len(stripped)]
            kept.append(f"{indent}pass\n")
        else:
            kept.append(line)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            ast.parse("".join(kept))
    except SyntaxError:
        return ["\n"] * len(kept)
    return kept


_READINGS: dict[str, tuple[bytes, NotebookReading]] = {}
"""The last reading of each notebook, by the digest of its bytes: discovery and the
kernel's import of its modules read it once per save."""


def notebook_reading(path: Path, raw: bytes | None = None) -> NotebookReading:
    """The notebook at `path` (see `read_notebook_text`), read again only when its bytes
    changed. Raises `ValueError` (not a notebook) or `OSError`."""
    if raw is None:
        raw = path.read_bytes()
    digest = digest_of(raw)
    key = str(path)
    cached = _READINGS.get(key)
    if cached is not None and cached[0] == digest:
        return cached[1]
    reading = read_notebook_text(raw.decode("utf-8"))
    _READINGS[key] = (digest, reading)
    return reading
