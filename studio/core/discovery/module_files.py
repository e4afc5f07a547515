"""Modules made from a file under a name of their own (`Dataflow.module_files`).

Two ways a dataflow takes a module from a file that is not where `import NAME` would
find it, both nothing run:

- Hamilton's `%insert_module PATH` (alias `%module_to_cell`) puts the file's code in a
  new `%%cell_to_module STEM` cell; a notebook saved before that cell ran holds only
  the line, so the module STEM is the file itself (resolved from the notebook's
  folder, where Jupyter runs it).
- Hamilton's `dataflows.import_module(NAME, USER)` imports the dataflow it downloaded
  (`~/.hamilton/dataflows/<commit>/contrib/hamilton/contrib/user/USER/NAME/__init__.py`)
  under the name NAME; the studio never downloads: it takes that copy, or the same
  package installed with `apache-hamilton-contrib` (`hamilton.contrib.user.USER.NAME`),
  and else says what to run to get it.

A path inside the project is kept root-relative; one outside it is absolute.
"""

from __future__ import annotations

import os
import posixpath
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from studio.core.cache.parsed_files import digest_of
from studio.core.discovery.module_reader import ModuleFacts, parse, read_facts
from studio.core.discovery.project import Dataflow, FileKind, SourceFile

HAMILTON_DATAFLOWS = "~/.hamilton/dataflows"
"""Where Hamilton puts the dataflows it downloads (`hamilton.dataflows.DATAFLOW_FOLDER`)."""
_CONTRIB = ("contrib", "hamilton", "contrib")


@dataclass(frozen=True, slots=True)
class Download:
    """A `dataflows.import_module(module, user, version)` call of a driver script."""

    where: str
    """`line 12`, or `cell 3, line 2` in a notebook."""
    module: str
    user: str | None = None
    version: str | None = None
    """A commit given to the call; None for its default, "latest"."""

    def call_text(self) -> str:
        given = [repr(self.module)] + ([repr(self.user)] if self.user else [])
        given += [f"version={self.version!r}"] if self.version else []
        return f"dataflows.import_module({', '.join(given)})"

    @property
    def label(self) -> str:
        return f"{self.user}/{self.module}" if self.user else self.module


def stored_path(root: Path, file: Path) -> str:
    """`file` as `Dataflow.module_files` keeps it: root-relative inside the project."""
    file = Path(os.path.normpath(file))
    try:
        return file.relative_to(root).as_posix()
    except ValueError:
        return str(file)


def inserted_file(root: Path, notebook: str, path_text: str) -> Path | None:
    """The file an `%insert_module PATH` line of the root-relative `notebook` names, read
    from the notebook's folder (where Jupyter runs it); None when there is no such file."""
    name = path_text.strip().strip("'\"")
    file = Path(os.path.normpath((root / notebook).parent / Path(name).expanduser()))
    return file if file.is_file() else None


def downloaded_file(download: Download) -> tuple[Path, str] | None:
    """Hamilton's downloaded copy of the dataflow, and which: a given version's, else
    the newest downloaded (Hamilton's "latest" asks the network, the studio does not)."""
    base = Path(HAMILTON_DATAFLOWS).expanduser()
    tail = ("user", download.user) if download.user else ("dagworks",)
    inside = Path(*_CONTRIB, *tail, download.module, "__init__.py")
    if download.version and download.version != "latest":
        file = base / download.version / inside
        return (file, f"version {download.version}") if file.is_file() else None
    try:
        found = [(folder / inside) for folder in base.iterdir() if (folder / inside).is_file()]
    except OSError:
        return None
    if not found:
        return None
    newest = max(found, key=lambda file: file.stat().st_mtime)
    return newest, f"the newest downloaded version, {newest.relative_to(base).parts[0]}"


def installed_file(download: Download, paths: list[str] | None = None) -> Path | None:
    """The dataflow as `apache-hamilton-contrib` installs it (`hamilton.contrib.user.
    USER.NAME`), found on the path without importing anything."""
    tail = ("user", download.user) if download.user else ("dagworks",)
    for entry in sys.path if paths is None else paths:
        file = Path(entry or ".", "hamilton", "contrib", *tail, download.module, "__init__.py")
        if file.is_file():
            return file
    return None


def missing_note(download: Download) -> str:
    """What to run to get a dataflow found nowhere (the studio never downloads)."""
    return (
        f"{download.where}: `{download.call_text()}` downloads {download.label} when the "
        f"script runs; the studio never downloads code and finds no copy: not in the "
        f"project, not in Hamilton's download folder ({HAMILTON_DATAFLOWS}), not installed. "
        f'Run `python -c "from hamilton import dataflows; {download.call_text()}"` once to '
        f"download it there, or `pip install apache-hamilton-contrib`, or copy it into the "
        f"project with `dataflows.copy`"
    )


_FACTS: dict[str, tuple[bytes, ModuleFacts | None]] = {}


def file_facts(root: Path, file: str, module: str) -> tuple[SourceFile, ModuleFacts] | None:
    """What the file of a module in `module_files` holds (read again when it changed)."""
    path = root / file
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    digest = digest_of(raw)
    cached = _FACTS.get(str(path))
    if cached is None or cached[0] != digest:
        tree, _problem = parse(raw.decode("utf-8", errors="replace"), file)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        facts = read_facts(tree, package, raw.decode("utf-8", "replace")) if tree else None
        cached = _FACTS[str(path)] = (digest, facts)
    if cached[1] is None:
        return None
    return SourceFile(file, module, FileKind.DATAFLOW), cached[1]


def with_downloads(flow: Dataflow, downloads: list[Download], paths: set[str]) -> Dataflow:
    """`flow` with the copy each of its `dataflows.import_module` calls takes: the
    project's own (among the root-relative `paths`, where `import` finds it from the
    flow's search path or the root), else Hamilton's downloaded one, else the installed
    package; a note says which, or what to run when there is none."""
    files = dict(flow.module_files)
    notes = list(flow.notes)
    for download in downloads:
        module_path = download.module.replace(".", "/")
        candidates = {
            posixpath.normpath(posixpath.join(folder, module_path + tail))
            for folder in (flow.search_path or ".", ".")
            for tail in (".py", "/__init__.py")
        }
        if any(candidate in paths for candidate in candidates):
            notes.append(
                f"{download.where}: `{download.call_text()}` downloads {download.label} when "
                f"the script runs; the studio never downloads code and takes the project's "
                f"copy {download.module}"
            )
            continue
        downloaded = downloaded_file(download)
        if downloaded is not None:
            file, which = downloaded
            files[download.module] = str(file)
            where = f"Hamilton's download folder ({which})"
        elif (installed := installed_file(download)) is not None:
            files[download.module] = str(installed)
            where = "the installed hamilton.contrib"
        else:
            notes.append(missing_note(download))
            continue
        notes.append(
            f"{download.where}: {download.label} of `{download.call_text()}` is taken from "
            f"{where}, {files[download.module]}; nothing is downloaded"
        )
    return replace(flow, module_files=files, notes=tuple(dict.fromkeys(notes)))


_MISSING = re.compile(r"module '([\w.]+)'")


def download_hint(flow: Dataflow, message: str) -> str:
    """For a load that did not find a module a `dataflows.import_module` call names: the
    note saying what to run to get it (empty for any other message)."""
    found = _MISSING.search(message)
    if found is None:
        return ""
    call = f"dataflows.import_module({found.group(1)!r}"
    return next((note for note in flow.notes if call in note and "finds no copy" in note), "")
