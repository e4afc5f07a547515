"""What discovery learns about a project folder: its files and its dataflows.

These are plain values, built by `studio.core.discovery.discover` from the folder's
text alone (nothing is imported), and serialisable to JSON so that the GUI
can hand a dataflow to the kernel process.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


class FileKind(enum.StrEnum):
    """The role a Python file plays in a Hamilton project."""

    DATAFLOW = "dataflow"
    """Public, annotated functions: each one becomes a Hamilton node."""
    DRIVER = "driver"
    """Builds a Hamilton driver (a `run.py`); read, never imported."""
    SCRIPT = "script"
    """Has a `__main__` block but builds no driver."""
    OTHER = "other"
    """Anything else: helpers, packages' `__init__`, constants."""
    INVALID = "invalid"
    """Cannot be read as Python (bad encoding or syntax)."""
    NOTEBOOK = "notebook"
    """A Jupyter notebook: its `%%cell_to_module` cells are modules, its driver cells
    dataflows (`studio.core.discovery.notebook_dataflows`)."""


@dataclass(frozen=True, slots=True)
class FileProblem:
    """A file that could not be read; reported to the user, never fatal."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One `.py` file (or notebook) of the project, relative to the project root."""

    path: str
    module: str
    kind: FileKind
    reason: str = ""
    """Why the file got its kind, when that is not obvious."""


class ValueKind(enum.StrEnum):
    """What a value the driver script computes is for."""

    INPUT = "input"
    CONFIG = "config"


@dataclass(frozen=True, slots=True)
class ScriptValueSource:
    """An input or config value the driver script computes when it runs: the expression
    (`span`: line, column, end line, end column in the script) that the kernel
    evaluates, once the folder is trusted, with the part of the script it needs."""

    kind: ValueKind
    key: str | None
    """None: the whole `inputs=` or config dict is computed (its keys come with it)."""
    span: tuple[int, int, int, int]
    text: str

    @property
    def line(self) -> int:
        return self.span[0]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScriptValueSource:
        return cls(ValueKind(data["kind"]), data["key"], tuple(data["span"]), data["text"])  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class MaterializerSpec:
    """A materializer a driver script gives its driver (`to.csv(id="save_x",
    dependencies=["x"], path="x.csv")`), read from the script's text: the kernel makes it
    again with Hamilton's own `to` from these arguments, so Hamilton adds its nodes."""

    id: str
    factory: str
    """The attribute of Hamilton's `to`: `csv`, `parquet`, `json`, `pickle`..."""
    dependencies: tuple[str, ...]
    """The nodes it saves, by name (a function given as such is named by the function)."""
    arguments: dict[str, Any] = field(default_factory=dict)
    """The literal keyword arguments of its data saver (`path`, `sep`...)."""
    combine: str | None = None
    """The dotted class of a Hamilton result builder joining several dependencies (made
    without arguments), when the script gives one."""
    computed: tuple[str, ...] = ()
    """Arguments the script computes when it runs: the materializer is shown but cannot
    run until they can be evaluated."""
    line: int = 0
    """Where the script makes it."""

    @property
    def runnable(self) -> bool:
        return not self.computed

    def call_text(self) -> str:
        """How the script writes it, in short: `to.csv(path='x.csv')`."""
        given = [f"{key}={value!r}" for key, value in self.arguments.items()]
        if self.combine:
            given.append(f"combine={self.combine.rsplit('.', 1)[-1]}()")
        given += [f"{key}=…" for key in self.computed]
        return f"to.{self.factory}({', '.join(given)})"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["dependencies"] = list(self.dependencies)
        data["computed"] = list(self.computed)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MaterializerSpec:
        values = dict(data)
        values["dependencies"] = tuple(values.get("dependencies", ()))
        values["computed"] = tuple(values.get("computed", ()))
        return cls(**values)


@dataclass(frozen=True, slots=True)
class Dataflow:
    """A set of modules and a configuration that together make one Hamilton graph.

    `modules` are import names as the driver script would import them, with
    `search_path` (relative to the project root) first on `sys.path`.
    """

    name: str
    modules: tuple[str, ...]
    config: dict[str, Any] = field(default_factory=dict)
    inputs: dict[str, Any] = field(default_factory=dict)
    allow_module_overrides: bool = False
    dynamic_execution: bool = False
    driver: str | None = None
    """Path of the driver script that defines it, or None when inferred."""
    search_path: str = "."
    notes: tuple[str, ...] = ()
    """What discovery could not read from the driver script (non-literal config...)."""
    config_hints: dict[str, str] = field(default_factory=dict)
    """Config keys the driver script sets when it runs, and where: the key is kept
    visible (and empty when the script gives no literal value) with this hint."""
    input_hints: dict[str, str] = field(default_factory=dict)
    """Inputs the driver script computes: its expression, shown as a hint."""
    outputs: tuple[str, ...] = ()
    """What the driver script asks `execute` for (for a materializer: what it saves)."""
    materializers: tuple[MaterializerSpec, ...] = ()
    """The materializers the driver script gives the driver (`materialize`,
    `with_materializers`): they write files, so they run only when asked."""
    adapters: tuple[str, ...] = ()
    """Adapters the driver script passes (dotted class names when imported)."""
    is_async: bool = False
    line: int | None = None
    """Where in the driver script the driver is built."""
    script_values: tuple[ScriptValueSource, ...] = ()
    """The inputs and config the driver script computes (the hints' expressions)."""
    module_files: dict[str, str] = field(default_factory=dict)
    """Modules made from a file that is not where `import` would find it, by name: the
    file (root-relative, or absolute outside the project) is imported under that name,
    as Hamilton's `dataflows.import_module` imports a downloaded dataflow and as the
    cell `%insert_module` makes holds the file's code."""
    overrides: dict[str, Any] = field(default_factory=dict)
    """Values given to `execute` in place of these nodes (the notebook magic's
    `--overrides`): a run takes them as they are, computing neither the node nor what
    only it needs, as Hamilton does."""

    def describe(self) -> str:
        """Where the dataflow comes from and how it is built, a line per fact."""
        lines = []
        if self.driver:
            where = f"{self.driver}:{self.line}" if self.line else self.driver
            kind = "an async driver" if self.is_async else "a driver"
            lines.append(f"{kind} built in {where}")
        else:
            lines.append("every dataflow module of the folder (no driver script)")
        lines.append(f"modules: {', '.join(self.modules) or 'none'}")
        if self.adapters:
            hamilton = [a.rsplit(".", 1)[-1] for a in self.adapters if a.startswith("hamilton.")]
            own = [a for a in self.adapters if not a.startswith("hamilton.")]
            if hamilton:
                lines.append(f"adapters: {', '.join(hamilton)} (their type rules apply)")
            if own:
                lines.append(f"named, not run here: {', '.join(own)}")
        if self.outputs:
            lines.append(f"the script asks for: {', '.join(self.outputs)}")
        if self.overrides:
            lines.append(f"given, not computed: {', '.join(self.overrides)}")
        if self.materializers:
            saved = ", ".join(f"{m.id} ({m.call_text()})" for m in self.materializers)
            lines.append(f"materializers (run only when asked): {saved}")
        lines += list(self.notes)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in _TUPLE_FIELDS:
            data[key] = list(getattr(self, key))
        data["script_values"] = [
            {**asdict(v), "kind": str(v.kind), "span": list(v.span)} for v in self.script_values
        ]
        data["materializers"] = [m.to_dict() for m in self.materializers]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Dataflow:
        values = dict(data)
        for key in _TUPLE_FIELDS:
            values[key] = tuple(values.get(key, ()))
        values["script_values"] = tuple(
            ScriptValueSource.from_dict(v) for v in values.get("script_values", ())
        )
        values["materializers"] = tuple(
            MaterializerSpec.from_dict(m) for m in values.get("materializers", ())
        )
        return cls(**values)


_TUPLE_FIELDS = ("modules", "notes", "outputs", "adapters")


@dataclass(frozen=True, slots=True)
class Project:
    """A project folder as discovery sees it."""

    root: Path
    files: tuple[SourceFile, ...]
    dataflows: tuple[Dataflow, ...]
    problems: tuple[FileProblem, ...] = ()

    def dataflow(self, name: str | None = None) -> Dataflow:
        """The dataflow called `name`, or the first one when no name is given."""
        if not self.dataflows:  # what kept files from being dataflows says why there is none
            why = "".join(f"; {problem}" for problem in self.problems[:3])
            raise LookupError(f"no dataflow modules found in {self.root}{why}")
        if name is None:
            return self.dataflows[0]
        for flow in self.dataflows:
            if flow.name == name:
                return flow
        known = ", ".join(flow.name for flow in self.dataflows)
        raise LookupError(f"no dataflow named {name!r} in {self.root} (known: {known})")
