"""The dataflows of a notebook: one per driver its cells build, else its module cells.

A cell that builds a driver (`driver.Builder()...build()`, `driver.Driver(...)`) is
read the way a driver script is (`studio.core.drivers`): the notebook's script is
every code cell but the module cells, and the modules the magic makes are names the
script can pass (`with_modules(my_functions)`). A builder given to the magic with
`--builder NAME` takes the modules of the cells that name it. A notebook that builds
no driver is one dataflow of its module cells with the config the magic gives them
(modules defining the same functions are split as a folder's are). An
`%insert_module PATH` whose cell the notebook lacks makes its module from the file
(`studio.core.discovery.module_files`).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from studio.core.discovery.magic_arguments import MagicCall
from studio.core.discovery.module_conflicts import driverless_dataflows
from studio.core.discovery.module_files import Download
from studio.core.discovery.module_reader import ModuleFacts, parse, read_facts
from studio.core.discovery.notebook_cells import NotebookReading
from studio.core.discovery.notebook_files import inserted_modules, written_files
from studio.core.discovery.project import Dataflow, FileKind, FileProblem, SourceFile
from studio.core.drivers.driver_scripts import DriverFacts, read_driver_script


@dataclass(slots=True)
class NotebookFlows:
    """What discovery takes from one notebook."""

    dataflows: list[Dataflow] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    module_facts: dict[str, ModuleFacts] = field(default_factory=dict)
    """The facts of each module cell (its imports, its functions), by module name."""
    downloads: dict[str, list[Download]] = field(default_factory=dict)
    """The `dataflows.import_module` calls of each dataflow's driver cell, by its name."""
    written: dict[str, str] = field(default_factory=dict)
    """Root-relative files the module cells write when run (`--write_to_file`), each
    with the cell that writes it."""


def notebook_dataflows(
    path: str, reading: NotebookReading, package: str = "", root: Path | None = None
) -> NotebookFlows:
    """The dataflows of the notebook at root-relative `path` (in the folder `root`, where
    the files `%insert_module` names are looked for)."""
    found = NotebookFlows()
    for place, message in reading.problems:
        found.problems.append(FileProblem(path, None, f"{place}: {message}" if place else message))
    for name, module in reading.modules.items():
        tree, problem = parse(module.source, f"{path} ({name})")
        if tree is None:
            where = module.place(problem.line if problem else None)
            text = problem.message if problem else "cannot be parsed"
            found.problems.append(FileProblem(path, None, f"{where or name}: {text}"))
            continue
        found.module_facts[name] = read_facts(tree, package, module.source)
    inserted = inserted_modules(path, reading, root, found.problems)
    written = written_files(path, reading, root)
    found.written = written.writers
    module_notes = {
        m: [*inserted.notes.get(m, ()), *written.notes.get(m, ())]
        for m in (*reading.modules, *inserted.files)
    }
    drivers = _drivers(path, reading, package, inserted.files)
    folder = PurePosixPath(path).parent
    search_path = folder.as_posix() if folder.parts else "."
    stem = PurePosixPath(path).stem
    places = [reading.script_place(driver.line) for driver in drivers]
    cells = [place.cell for place in places if place is not None]
    for driver in drivers:
        modules = list(dict.fromkeys(driver.modules))
        config = dict(driver.config)
        notes = [_in_cells(note, reading) for note in dict.fromkeys(driver.notes)]
        notes += [note for m in driver.modules for note in module_notes.get(m, ())]
        if not modules and driver.variable:  # a builder the magic's --builder names
            for module in reading.modules.values():
                if any(call.builder == driver.variable for call in module.calls):
                    modules.append(module.name)
                    config.update(_magic_config(module.calls, notes))
        if not modules:
            continue
        name = f"{stem} · {_cell_label(driver.label, reading, cells)}" if driver.label else stem
        found.downloads[name] = [
            Download(str(reading.script_place(line) or f"line {line}"), *call)
            for line, *call in driver.downloads
        ]
        found.dataflows.append(
            Dataflow(
                name=name,
                modules=tuple(modules),
                config=config,
                inputs=driver.inputs,
                allow_module_overrides=driver.allow_module_overrides,
                dynamic_execution=driver.dynamic_execution,
                driver=path,
                search_path=search_path,
                notes=tuple(notes),
                config_hints={
                    key: f"set when {path} runs (`{slot.text}`)"
                    for key, slot in driver.run_time_config.items()
                },
                input_hints=driver.input_hints,
                outputs=tuple(driver.outputs),
                materializers=tuple(driver.materializers),
                adapters=tuple(driver.adapters),
                is_async=driver.is_async,
                module_files={m: inserted.files[m] for m in modules if m in inserted.files},
            )
        )
    if found.dataflows or not (reading.modules or inserted.files):
        return found
    facts = {**inserted.facts, **found.module_facts}
    names = [n for n in (*reading.modules, *inserted.files) if n in facts]
    files = [SourceFile(inserted.files.get(n, path), n, _kind_of(facts[n])) for n in names]
    flows, conflicts = driverless_dataflows(stem, names, files, facts)
    found.problems += conflicts
    # A cell that does not parse is mid-edit: it stays in the dataflow, whose load then
    # names its syntax error where it is (notebook, cell, line), as a module file's does.
    order = [*reading.modules, *inserted.files]
    unparsed = [n for n in order if n not in facts]
    flows = [
        replace(flow, modules=tuple(n for n in order if n in flow.modules or n in unparsed))
        for flow in (flows if names else [Dataflow(name=stem, modules=())])
    ]
    values = _literal_values(reading)
    for flow in flows:
        notes: list[str] = []
        config: dict[str, Any] = {}
        inputs: dict[str, Any] = {}
        outputs: list[str] = []
        overrides: dict[str, Any] = {}
        notes += [note for m in flow.modules for note in module_notes.get(m, ())]
        for name in flow.modules:
            calls = reading.modules[name].calls if name in reading.modules else []
            config.update(_magic_config(calls, notes, values))
            for call in calls:  # --inputs NAME, --execute NAME: variables of the notebook
                given = values.get(call.inputs) if call.inputs else None
                inputs.update(given if isinstance(given, dict) else {})
                wanted = values.get(call.execute) if isinstance(call.execute, str) else None
                outputs += [w for w in wanted or () if isinstance(w, str)]
                overrides.update(_overrides(call, values, notes))
        found.dataflows.append(
            Dataflow(
                name=flow.name,
                modules=flow.modules,
                config=config,
                inputs=inputs,
                driver=path,
                search_path=search_path,
                notes=tuple(dict.fromkeys(notes)),
                outputs=tuple(dict.fromkeys(outputs)),
                overrides=overrides,
                module_files={m: inserted.files[m] for m in flow.modules if m in inserted.files},
            )
        )
    return found


def _overrides(call: MagicCall, values: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    """`--overrides NAME`: the notebook's dict of values the magic gives `execute` in
    place of nodes; one computed when the notebook runs cannot be given here."""
    if not call.overrides:
        return {}
    given = values.get(call.overrides)
    if isinstance(given, dict) and all(isinstance(key, str) for key in given):
        return given
    notes.append(
        f"`--overrides {call.overrides}` is computed in the notebook: its nodes are "
        "computed here instead of given"
    )
    return {}


def _literal_values(reading: NotebookReading) -> dict[str, Any]:
    """The notebook's top-level `NAME = <literal>` (the last of each name), for the
    variables the magic's `--config`, `--inputs` and `--execute` name."""
    if not any(
        call.config_variable or call.inputs or call.overrides or isinstance(call.execute, str)
        for module in reading.modules.values()
        for call in module.calls
    ):
        return {}
    tree, _ = parse(reading.script, "notebook")
    values: dict[str, Any] = {}
    for statement in tree.body if tree is not None else ():
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name):
                try:
                    values[target.id] = _literal(statement.value)
                except (ValueError, TypeError, SyntaxError, RecursionError):
                    values.pop(target.id, None)
    return values


def _literal(expr: ast.expr) -> Any:
    """A Python literal, or `dict(key=literal, ...)` (as Hamilton's magic example writes
    its inputs and overrides). Raises `ValueError` for anything else."""
    if (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Name)
        and expr.func.id == "dict"
        and len(expr.args) <= 1
        and all(keyword.arg for keyword in expr.keywords)
    ):
        made = dict(_literal(expr.args[0])) if expr.args else {}
        made.update({str(k.arg): _literal(k.value) for k in expr.keywords})
        return made
    return ast.literal_eval(expr)


def _kind_of(facts: ModuleFacts) -> FileKind:
    return FileKind.DATAFLOW if facts.public_functions else FileKind.OTHER


_LINE = re.compile(r"^line (\d+)")


def _in_cells(note: str, reading: NotebookReading) -> str:
    """A note about a line of the script, about that line of its cell instead."""
    found = _LINE.match(note)
    place = reading.script_place(int(found.group(1))) if found else None
    return _LINE.sub(str(place), note, count=1) if place else note


def _cell_label(label: str, reading: NotebookReading, cells: list[int]) -> str:
    """Drivers told apart by their script line (`line 21`) are told apart by cell (and
    line, when one cell builds several)."""
    found = _LINE.fullmatch(label)
    place = reading.script_place(int(found.group(1))) if found else None
    if place is None:
        return label
    return f"cell {place.cell}" if cells.count(place.cell) == 1 else str(place)


def _magic_config(
    calls: list[MagicCall], notes: list[str], values: dict[str, Any] | None = None
) -> dict[str, Any]:
    config: dict[str, Any] = {}
    for call in calls:
        if call.config:
            config.update(call.config)
        if call.config_variable:
            given = (values or {}).get(call.config_variable)
            if isinstance(given, dict):
                config.update(given)
            else:
                notes.append(
                    f"`--config {call.config_variable}` is computed in the notebook: "
                    "give its keys in the Config panel"
                )
    return config


def _drivers(
    path: str, reading: NotebookReading, package: str, inserted: dict[str, str]
) -> list[DriverFacts]:
    if "Builder" not in reading.script and "Driver" not in reading.script:
        return []
    tree, _ = parse(reading.script, path)
    if tree is None:
        return []
    facts = read_facts(tree, package, reading.script)
    for name in (*reading.modules, *inserted):  # the magic puts each in the namespace
        facts.bindings.setdefault(name, name)
    return read_driver_script(facts, self_module=Path(path).stem) if facts.driver_calls else []
