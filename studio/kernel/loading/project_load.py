"""One load of a project's dataflow: discover the folder, pick the dataflow, build it.

The kernel agent and both headless commands (`studio graph`, `studio run`)
load through here, so the window and the command line always see the same
graph for the same folder, dataflow and config.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.core.discovery.discover import ProjectFolderError, discover, imported_packages
from studio.core.discovery.project import Dataflow, FileKind, Project, ValueKind
from studio.core.graph.snapshot import ErrorKind, GraphSnapshot, LoadError
from studio.kernel.loading.extensions import extensions_missing, load_extensions_for
from studio.kernel.loading.graph_builder import LoadedDataflow, load_dataflow
from studio.kernel.running.script_inputs import ScriptValues


@dataclass(slots=True)
class ProjectLoad:
    """What a load found: the project (unless the folder is unusable), the dataflow picked
    (unless none matched) and the loaded graph (errors included)."""

    project: Project | None
    dataflow: Dataflow | None
    loaded: LoadedDataflow

    @property
    def snapshot(self) -> GraphSnapshot:
        return self.loaded.snapshot

    def warnings(self) -> list[str]:
        """Everything worth a warning, each cause once: unreadable files that did not
        already fail the load, what the driver script leaves to run time, the environment."""
        found: list[str] = []
        if self.project is not None:
            failed = {(e.file, e.line) for e in self.snapshot.errors}
            failed_files = {e.file for e in self.snapshot.errors}
            for problem in self.project.problems:
                if (problem.path, problem.line) in failed or problem.path in failed_files:
                    continue
                found.append(str(problem))
        if self.dataflow is not None and self.dataflow.driver:
            found += [f"{self.dataflow.driver}: {note}" for note in self.dataflow.notes]
        found += list(self.snapshot.warnings)
        return list(dict.fromkeys(found))


def load_project(
    root: Path,
    dataflow_name: str | None = None,
    config: dict[str, Any] | None = None,
    adapters: Sequence[Any] = (),
    reuse: bool = False,
    defer: bool = False,
    script_values: ScriptValues | None = None,
) -> ProjectLoad:
    """Discover `root`, pick the dataflow (the first when no name is given) and load it.

    Project code runs with the project folder as the working directory, as
    `python run.py` would run it there. Nothing raised by it escapes. With
    `script_values`, the config the driver script computes is evaluated first
    and built with (`config` wins over it), so `@config.when` sees it.
    """
    try:
        project = discover(root)
    except ProjectFolderError as error:
        return _failed(None, None, dataflow_name, str(error))
    try:
        flow = project.dataflow(dataflow_name)
    except LookupError as error:
        return _failed(project, None, dataflow_name, str(error).strip("'\""))
    with working_directory(project.root):
        if script_values is not None:
            script_values.evaluate(project, flow, [ValueKind.CONFIG])
            config = {**script_values.config(flow), **(config or {})}
        loaded = load_flow(project, flow, config, adapters, reuse, defer)
    return ProjectLoad(project, flow, loaded)


def load_flow(
    project: Project,
    flow: Dataflow,
    config: dict[str, Any] | None = None,
    adapters: Sequence[Any] = (),
    reuse: bool = False,
    defer: bool = False,
) -> LoadedDataflow:
    """Load one dataflow of a discovered project, with Hamilton's extensions for the
    libraries the project imports (without them `@extract_columns` knows no frame type).

    With `defer`, what the first picture does not need is left for later: the code
    versions of a big graph (`graph_builder.complete_versions`), and Hamilton's
    extensions when the project's own code does not import Hamilton (its decorators
    need them, and so do the driver script's materializers) and builds without them.
    """
    packages = imported_packages(project)
    if not defer or flow.materializers or "hamilton" in imported_packages(project, _SCRIPTS):
        load_extensions_for(packages)
    loaded = load_dataflow(project.root, flow, config or {}, adapters, reuse, defer)
    if _maybe_for_want_of_extensions(loaded.snapshot) and extensions_missing(packages):
        load_extensions_for(packages)
        loaded = load_dataflow(project.root, flow, config or {}, adapters, reuse, defer)
    return loaded


def _maybe_for_want_of_extensions(snapshot: GraphSnapshot) -> bool:
    """Whether Hamilton refused the graph, or raised while a module was imported (a
    decorator used through a library): not a syntax error, a missing module, a module
    that raised by itself, or an import interrupted or out of time."""
    return any(
        e.kind is ErrorKind.GRAPH
        or (e.kind is ErrorKind.IMPORT and bool(_HAMILTON_FRAME.search(e.detail)))
        for e in snapshot.errors
    )


_HAMILTON_FRAME = re.compile(r"[\\/]hamilton[\\/]")
_SCRIPTS = (FileKind.DRIVER, FileKind.SCRIPT)
"""Files read, never imported: their use of Hamilton (a driver) needs no extension."""


def _failed(
    project: Project | None, flow: Dataflow | None, name: str | None, message: str
) -> ProjectLoad:
    snapshot = GraphSnapshot(name or "", errors=(LoadError(ErrorKind.PROJECT, message),))
    return ProjectLoad(project, flow, LoadedDataflow(snapshot))


@contextlib.contextmanager
def working_directory(folder: Path) -> Iterator[None]:
    """Run in `folder`; in the kernel it stays there (the console works in the project)."""
    if Path.cwd() != folder:
        os.chdir(folder)
    yield


@contextlib.contextmanager
def headless() -> Iterator[None]:
    """For the command line: project code runs in its folder, its prints kept off stdout
    (which carries the command's own output), and the old working directory comes back."""
    previous = Path.cwd()
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        os.chdir(previous)
