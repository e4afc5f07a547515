"""Project discovery: from a folder to its files and dataflows, without running anything.

Every `.py` file of the project (see `studio.core.discovery.scan` for what is skipped)
is parsed and classified (`FileKind`). Each driver script defines one
dataflow named after its file stem, holding exactly the modules it names;
a folder without driver scripts has one dataflow of all its dataflow
modules. Project settings (`studio.core.discovery.settings`) have the last word.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import posixpath
import sys
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path, PurePosixPath

from studio.core.cache.file_cache import FileCache
from studio.core.cache.parsed_files import digest_of, remember
from studio.core.discovery.module_conflicts import driverless_dataflows
from studio.core.discovery.module_files import Download, with_downloads
from studio.core.discovery.module_reader import ModuleFacts, decode_source, parse, read_facts
from studio.core.discovery.notebook_cells import notebook_reading
from studio.core.discovery.notebook_dataflows import NotebookFlows, notebook_dataflows
from studio.core.discovery.project import (
    Dataflow,
    FileKind,
    FileProblem,
    Project,
    ScriptValueSource,
    SourceFile,
    ValueKind,
)
from studio.core.discovery.scan import iter_python_files, module_name, root_package
from studio.core.discovery.settings import DataflowSettings, ProjectSettings, load_settings
from studio.core.drivers.driver_scripts import DriverFacts, read_driver_script


class ProjectFolderError(Exception):
    """The folder itself cannot be used: missing, not a folder, unreadable."""


def discover(root: Path | str) -> Project:
    """Classify the folder's Python files and work out its dataflows."""
    root = Path(root).expanduser().resolve()
    if not root.exists():
        raise ProjectFolderError(f"{root} does not exist")
    if not root.is_dir():
        raise ProjectFolderError(f"{root} is not a folder")
    settings, problems = load_settings(root)
    files: list[SourceFile] = []
    drivers: list[tuple[SourceFile, ModuleFacts]] = []
    facts_of: dict[str, ModuleFacts] = {}
    unreadable: list[Path] = []
    try:
        paths = list(iter_python_files(root, settings.exclude, unreadable, _SUFFIXES))
    except OSError as error:
        raise ProjectFolderError(f"{root} cannot be read: {error}") from error
    if root in unreadable:
        raise ProjectFolderError(f"{root} cannot be read: permission denied")
    problems += [
        FileProblem(f"{p.relative_to(root).as_posix()}/", None, "cannot be read: skipped")
        for p in unreadable
    ]
    kept = FileCache(root, "reading", _reading_version())
    package = root_package(root)
    notebooks: list[NotebookFlows] = []
    for path in paths:
        if path.suffix == ".ipynb":
            source_file, flows, problem = _read_notebook(root, path, package)
            files.append(source_file)
            problems += [problem] if problem is not None else []
            notebooks += [flows] if flows is not None else []
            continue
        source_file, facts, problem = _read_file(root, path, kept, package)
        files.append(source_file)
        if problem is not None:
            problems.append(problem)
        if facts is not None and source_file.kind is FileKind.DRIVER:
            drivers.append((source_file, facts))
        if facts is not None and source_file.kind is FileKind.DATAFLOW:
            facts_of[source_file.module] = facts

    written = {path: cell for flows in notebooks for path, cell in flows.written.items()}
    files = [
        replace(f, reason=f"{f.reason}; a copy {written[f.path]} writes (`--write_to_file`)")
        if f.path in written
        else f
        for f in files
    ]
    paths = {source.path for source in files}
    dataflows = [
        flow
        for source, facts in drivers
        for flow in _driver_dataflows(source, facts, drivers, paths)
    ]
    for flow in dataflows:
        if not flow.modules:
            problems.append(
                FileProblem(
                    flow.driver or "", None, "builds a driver but names no module I can read"
                )
            )
    dataflows = [flow for flow in dataflows if flow.modules]
    modules_by_path = {source.path: source.module for source in files}
    dataflows = [_as_package(flow, modules_by_path) for flow in dataflows]
    dataflows += _notebook_dataflows(notebooks, {flow.name for flow in dataflows}, problems, paths)
    if not dataflows:
        # Unreadable files may be dataflow modules mid-edit: importing them reports why.
        modules = tuple(f.module for f in files if f.kind in (FileKind.DATAFLOW, FileKind.INVALID))
        if package and package in modules:
            modules = (package,)  # a contributed dataflow: `with_modules(package)`, its README says
        if modules or settings.defaults.modules:
            dataflows, conflicts = driverless_dataflows(root.name, modules, files, facts_of)
            problems.extend(conflicts)
            if package:  # the folder is the package: imported from its parent, as `import` does
                dataflows = [replace(flow, search_path="..") for flow in dataflows]
    return Project(
        root=root,
        files=tuple(files),
        dataflows=tuple(_apply_settings(dataflows, settings, files)),
        problems=tuple(problems),
    )


_Reading = tuple[SourceFile, ModuleFacts | None, FileProblem | None]
_READ: dict[tuple[Path, str], tuple[bytes, _Reading]] = {}
"""What each file was found to be, by the digest of its bytes: a reload after a save parses
only the files that changed (a digest, not a timestamp, decides)."""


def imported_packages(project: Project, skip: Iterable[FileKind] = ()) -> set[str]:
    """Top-level packages the project's files import (as last read by `discover`), but
    files of the kinds in `skip`."""
    packages: set[str] = set()
    skipped = set(skip)
    for source in project.files:
        if source.kind in skipped:
            continue
        if source.kind is FileKind.NOTEBOOK:
            for facts in _notebook_facts(project.root, source.path).values():
                packages |= {target.split(".")[0] for target in facts.bindings.values()}
            continue
        cached = _READ.get((project.root, source.path))
        facts = cached[1][1] if cached is not None else None
        if facts is not None:
            packages |= {target.split(".")[0] for target in facts.bindings.values()}
    return packages


def module_facts(
    project: Project, module: str, notebook: str | None = None
) -> tuple[SourceFile, ModuleFacts] | None:
    """What discovery read of one of the project's modules (nothing of it is run); with
    `notebook`, of the module that notebook's cells make."""
    if notebook is not None:
        facts = _notebook_facts(project.root, notebook).get(module)
        if facts is not None:
            return SourceFile(notebook, module, FileKind.DATAFLOW), facts
    for source in project.files:
        if source.module == module:
            cached = _READ.get((project.root, source.path))
            facts = cached[1][1] if cached is not None else None
            return (source, facts) if facts is not None else None
    return None


_SUFFIXES = (".py", ".ipynb")
_NOTEBOOKS: dict[tuple[Path, str], tuple[bytes, str, SourceFile, NotebookFlows | None, bool]] = {}
"""What each notebook was found to hold, by the digest of its bytes (and the package
its folder is)."""


def _notebook_facts(root: Path, path: str) -> dict[str, ModuleFacts]:
    cached = _NOTEBOOKS.get((root, path))
    return cached[3].module_facts if cached is not None and cached[3] is not None else {}


def _read_notebook(
    root: Path, path: Path, package: str
) -> tuple[SourceFile, NotebookFlows | None, FileProblem | None]:
    """A notebook's dataflows, read again only when its bytes changed."""
    rel = path.relative_to(root).as_posix()
    try:
        raw = path.read_bytes()
    except OSError as error:
        problem = FileProblem(rel, None, f"cannot be read ({error.strerror}): skipped")
        return SourceFile(rel, "", FileKind.OTHER, problem.message), None, problem
    digest = digest_of(raw)
    cached = _NOTEBOOKS.get((root, rel))
    # A notebook whose lines name files (`%insert_module`, `--write_to_file`) is read
    # again: the files change.
    if cached is not None and cached[:2] == (digest, package) and not cached[4]:
        return cached[2], cached[3], None
    try:
        reading = notebook_reading(path, raw)
    except (ValueError, UnicodeDecodeError) as error:
        problem = FileProblem(rel, None, f"{error}: skipped")
        return SourceFile(rel, "", FileKind.OTHER, problem.message), None, problem
    flows = notebook_dataflows(rel, reading, package, root)
    count = len(reading.modules)
    reason = f"a notebook: {count} module cell{'s' if count != 1 else ''}"
    source_file = SourceFile(rel, "", FileKind.NOTEBOOK, reason)
    reads_files = bool(reading.inserts) or any(
        call.write_to_file for module in reading.modules.values() for call in module.calls
    )
    _NOTEBOOKS[(root, rel)] = (digest, package, source_file, flows, reads_files)
    return source_file, flows, None


def _notebook_dataflows(
    notebooks: list[NotebookFlows], taken: set[str], problems: list[FileProblem], paths: set[str]
) -> list[Dataflow]:
    """The notebooks' dataflows, named after the notebook (with its suffix when a driver
    script's dataflow has its name)."""
    found: list[Dataflow] = []
    for flows in notebooks:
        problems.extend(flows.problems)
        for flow in flows.dataflows:
            flow = with_downloads(flow, flows.downloads.get(flow.name, []), paths)
            name = flow.name
            if name in taken:
                stem = Path(flow.driver or "").stem
                name = name.replace(stem, Path(flow.driver or "").name, 1)
            taken.add(name)
            found.append(replace(flow, name=name))
    return found


def _read_file(root: Path, path: Path, kept: FileCache, package: str = "") -> _Reading:
    relative = path.relative_to(root)
    rel = relative.as_posix()
    key = f"{package}:{rel}" if package else rel  # the module name depends on the package
    try:
        raw = path.read_bytes()
    except OSError as error:
        # Not taken for a module being edited (as an invalid file is): it is left out.
        problem = FileProblem(rel, None, f"cannot be read ({error.strerror}): skipped")
        return (
            SourceFile(rel, module_name(relative, package), FileKind.OTHER, problem.message),
            None,
            problem,
        )
    digest = digest_of(raw)
    cached = _READ.get((root, rel))
    same_name = cached is not None and cached[1][0].module == module_name(relative, package)
    if cached is not None and cached[0] == digest and same_name:
        return cached[1]
    reading = _kept_reading(kept, key, digest, raw)
    if reading is None:
        reading = _read_source(relative, rel, raw, package)
        _keep_reading(kept, key, digest, reading)
    _READ[(root, rel)] = (digest, reading)
    facts = reading[1]
    if facts is not None and facts.tree is not None:
        remember(str(path.resolve()), digest, facts.tree)
    return reading


@functools.cache
def _reading_version() -> bytes | None:
    """Readings are kept for the Python that parsed them and the code that read them (in
    a frozen app, whose code ships compiled, the app's own executable); None (nothing
    kept) when neither can be read."""
    made_by = hashlib.blake2b(sys.version.encode())
    try:
        if getattr(sys, "frozen", False):
            built = Path(sys.executable).stat()
            made_by.update(f"{sys.executable} {built.st_size} {built.st_mtime_ns}".encode())
        else:
            for module in ("discover", "module_reader", "project", "scan"):
                made_by.update((Path(__file__).parent / f"{module}.py").read_bytes())
    except OSError:
        return None
    return made_by.digest()


def _kept_reading(kept: FileCache, rel: str, digest: bytes, raw: bytes) -> _Reading | None:
    """A reading of these very bytes kept from an earlier session (facts without their
    tree: it is parsed again only if needed)."""
    payload = kept.get(rel, digest)
    if payload is None:
        return None
    try:
        source_file, facts = pickle.loads(payload)
    except Exception:
        return None
    if not isinstance(source_file, SourceFile) or not isinstance(facts, ModuleFacts):
        return None
    facts.text, _ = decode_source(raw, rel)
    return source_file, facts, None


def _keep_reading(kept: FileCache, rel: str, digest: bytes, reading: _Reading) -> None:
    """Readable files without a driver (whose calls are parts of the tree) are kept."""
    source_file, facts, problem = reading
    if facts is None or problem is not None or facts.driver_calls:
        return
    light = replace(facts, tree=None, text=None)
    kept.put(rel, digest, pickle.dumps((source_file, light), pickle.HIGHEST_PROTOCOL))


def _read_source(relative: Path, rel: str, raw: bytes, package: str = "") -> _Reading:
    name = module_name(relative, package)
    if b"\x00" in raw:  # not source at all (a binary file): skipped, not a broken module
        skipped = FileProblem(rel, None, "is not text (it holds null bytes): skipped")
        return SourceFile(rel, name, FileKind.OTHER, skipped.message), None, skipped
    text, problem = decode_source(raw, rel)
    if text is None:  # bytes Python cannot read as text: skipped like a binary file
        assert problem is not None
        skipped = replace(problem, message=f"{problem.message}: skipped")
        return SourceFile(rel, name, FileKind.OTHER, skipped.message), None, skipped
    tree, problem = parse(text, rel)
    if tree is None:
        reason = problem.message if problem else "unreadable"
        return SourceFile(rel, name, FileKind.INVALID, reason), None, problem
    package = name if relative.name == "__init__.py" else name.rpartition(".")[0]
    facts = read_facts(tree, package, text)
    kind, reason = _classify(facts)
    return SourceFile(rel, name, kind, reason), facts, None


def _classify(facts: ModuleFacts) -> tuple[FileKind, str]:
    if facts.driver_calls:
        return FileKind.DRIVER, "builds a Hamilton driver"
    if facts.has_main_guard:
        return FileKind.SCRIPT, "has a __main__ block and builds no driver"
    if not facts.public_functions:
        return FileKind.OTHER, "defines no public functions"
    if len(facts.unannotated_functions) == len(facts.public_functions):
        return FileKind.OTHER, "no public function has a return type (helpers, not nodes)"
    return FileKind.DATAFLOW, f"{len(facts.public_functions)} public functions"


def _script_label(path: str) -> str:
    """A driver script's name: its stem, or its package's name for a package's
    `__init__.py` (a contributed dataflow's `__main__` block)."""
    file = Path(path)
    return file.parent.name if file.stem == "__init__" and file.parent.name else file.stem


def _driver_dataflows(
    source: SourceFile,
    facts: ModuleFacts,
    drivers: list[tuple[SourceFile, ModuleFacts]],
    paths: set[str],
) -> list[Dataflow]:
    """One dataflow per driver the script builds, named after the script (and what tells
    its drivers apart when it builds several), with the copy each
    `dataflows.import_module` takes (among the project's `paths`, or Hamilton's)."""
    folder = Path(source.path).parent
    stem = Path(source.path).stem
    label = _script_label(source.path)
    same_stem = sum(1 for other, _ in drivers if _script_label(other.path) == label)
    name = label if same_stem == 1 else Path(source.path).with_suffix("").as_posix()
    found = read_driver_script(facts, self_module=stem)
    if not found:
        found = [DriverFacts(line=0, notes=["builds a driver in a way I cannot follow"])]
    return [
        with_downloads(
            _driver_dataflow(source, driver, name, folder),
            [Download(f"line {line}", *call) for line, *call in driver.downloads],
            paths,
        )
        for driver in found
    ]


def _driver_dataflow(source: SourceFile, driver: DriverFacts, name: str, folder: Path) -> Dataflow:
    return Dataflow(
        name=f"{name} · {driver.label}" if driver.label else name,
        modules=tuple(dict.fromkeys(driver.modules)),
        config=driver.config,
        inputs=driver.inputs,
        allow_module_overrides=driver.allow_module_overrides,
        dynamic_execution=driver.dynamic_execution,
        driver=source.path,
        search_path=folder.as_posix() if folder.parts else ".",
        notes=tuple(dict.fromkeys(driver.notes)),
        config_hints=_config_hints(source.path, driver),
        input_hints=driver.input_hints,
        outputs=tuple(driver.outputs),
        materializers=tuple(driver.materializers),
        adapters=tuple(driver.adapters),
        is_async=driver.is_async,
        line=driver.line or None,
        script_values=_script_values(driver),
    )


def _as_package(flow: Dataflow, modules_by_path: dict[str, str]) -> Dataflow:
    """A contributed dataflow's `__main__` block (`import __init__ as flow`, run in its
    folder) builds the package itself: it is loaded as the package (the folder opened,
    or a package inside it), named after it."""
    driver = PurePosixPath(flow.driver or "")
    module = modules_by_path.get(driver.as_posix())
    if driver.name != "__init__.py" or set(flow.modules) != {"__init__"} or not module:
        return flow
    above = "/".join([".."] * len(module.split(".")))
    search_path = posixpath.normpath(f"{driver.parent.as_posix()}/{above}")
    name = flow.name  # named after the package (`_script_label`), but the root's
    if name.startswith("__init__"):
        name = module.rsplit(".", 1)[-1] + name.removeprefix("__init__")
    return replace(flow, name=name, modules=(module,), search_path=search_path)


def _script_values(driver: DriverFacts) -> tuple[ScriptValueSource, ...]:
    """What the script computes and the kernel may evaluate: each slot with its place."""
    found: list[ScriptValueSource] = []
    slots = [
        *((ValueKind.CONFIG, None, slot) for slot in driver.whole_config),
        *((ValueKind.CONFIG, key, slot) for key, slot in driver.run_time_config.items()),
        *((ValueKind.INPUT, None, slot) for slot in driver.whole_inputs),
        *((ValueKind.INPUT, key, slot) for key, slot in driver.input_slots.items()),
    ]
    for kind, key, slot in slots:
        if slot.span is not None:
            found.append(ScriptValueSource(kind, key, slot.span, slot.text))
    return tuple(found)


def _config_hints(path: str, driver: DriverFacts) -> dict[str, str]:
    hints = {
        key: f"set at run time in {path}:{slot.line} (`{slot.text}`)"
        for key, slot in driver.run_time_config.items()
    }
    for key, slot in driver.maybe_config.items():
        where = f"{path}:{slot.line}" if slot.line else path
        hints.setdefault(key, f"{where} may change it when the script runs (`{slot.text}`)")
    return hints


def _apply_settings(
    dataflows: list[Dataflow], settings: ProjectSettings, files: list[SourceFile]
) -> list[Dataflow]:
    result = [_overlay(flow, settings.defaults) for flow in dataflows]
    by_name = {flow.name: i for i, flow in enumerate(result)}
    for name, overrides in settings.dataflows.items():
        if name in by_name:
            result[by_name[name]] = _overlay(result[by_name[name]], overrides)
            continue
        base = Dataflow(
            name=name,
            modules=tuple(f.module for f in files if f.kind is FileKind.DATAFLOW),
        )
        result.append(_overlay(_overlay(base, settings.defaults), overrides))
    return result


def _overlay(flow: Dataflow, settings: DataflowSettings) -> Dataflow:
    return replace(
        flow,
        modules=settings.modules if settings.modules is not None else flow.modules,
        config={**flow.config, **settings.config},
        inputs={**flow.inputs, **settings.inputs},
        allow_module_overrides=(
            flow.allow_module_overrides
            if settings.allow_module_overrides is None
            else settings.allow_module_overrides
        ),
        search_path=settings.search_path or flow.search_path,
    )
