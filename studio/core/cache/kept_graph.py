"""Hamilton's graph of a project as the kernel last built it, kept for the next launch.

A kernel needs about two seconds to start and import a project like spaceflights
(pandas, scikit-learn, matplotlib) before Hamilton can build its graph. A user
who opens a project again expects it as they left it, at once: the last graph
the kernel built is kept (its snapshot's wire form) in the project's private
cache folder, and shown at the next opening until the kernel's own replaces it.

It is shown only while everything that decides it is as it was: the bytes of
the project's code files (its modules, notebooks and driver scripts, its
settings, and the module files outside the folder its dataflows import), the
dataflow chosen, its config overrides, Hamilton's version and the interpreter.
Reading it runs nothing of the project (files are read as bytes, never
imported). One file per project, the last graph built; a file that cannot be
read, from another format, or not matching is a miss, never an error.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import importlib.util
import json
import os
import sys
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.core.cache.cache_paths import private_project_cache, project_cache_dir
from studio.core.discovery.scan import iter_python_files
from studio.core.graph.snapshot import GraphSnapshot

FORMAT = 1
"""The layout of the kept file: a file of another format is a miss."""
SETTINGS_FILES = ("pyproject.toml", "studio.toml")
"""Files beside the code that change what discovery finds (`[tool.studio]`)."""


@dataclass(frozen=True, slots=True)
class GraphConditions:
    """What decides a project's graph beside its files, as the next load will ask for it."""

    dataflow: str | None
    """The dataflow chosen (None: the first one discovery finds)."""
    overrides: Mapping[str, Any]
    """The user's config values over the driver script's."""
    hamilton: str
    """Hamilton's version in the kernel, as the kernel's hello gives it ("1.90.0")."""
    interpreter: str
    """The kernel's Python (its `sys.executable`)."""


@dataclass(frozen=True, slots=True)
class KeptGraph:
    """A graph kept from the last session, with the project as that load found it."""

    snapshot: GraphSnapshot
    dataflows: list[dict[str, Any]]
    """The folder's dataflows (`Dataflow.to_dict`), in discovery's order."""
    problems: list[str]


def kept_graph_file(root: Path) -> Path:
    return project_cache_dir(root) / "kept-graph.json"


def own_conditions(dataflow: str | None, overrides: Mapping[str, Any]) -> GraphConditions | None:
    """The conditions of a kernel in the studio's own Python: Hamilton's version read
    from its `version.py` (nothing imported); None when Hamilton cannot be found."""
    hamilton = installed_hamilton_version()
    if hamilton is None:
        return None
    return GraphConditions(dataflow, dict(overrides), hamilton, sys.executable)


def installed_hamilton_version() -> str | None:
    """Hamilton's `VERSION` in this Python, as the kernel's hello writes it, read from
    the source of `hamilton/version.py` (importing `hamilton` costs the window time)."""
    try:
        spec = importlib.util.find_spec("hamilton")
        folders = list(spec.submodule_search_locations or ()) if spec else []
        for folder in folders:
            path = Path(folder) / "version.py"
            if path.is_file():
                for statement in ast.parse(path.read_text(encoding="utf-8")).body:
                    if (
                        isinstance(statement, ast.Assign)
                        and isinstance(target := statement.targets[0], ast.Name)
                        and target.id == "VERSION"
                    ):
                        parts = ast.literal_eval(statement.value)
                        return ".".join(str(p) for p in parts)
    except (ImportError, OSError, SyntaxError, ValueError):
        return None
    return None


def file_digests(root: Path, outside: Iterable[str] = ()) -> dict[str, str]:
    """The digest of each file that decides the project's graph, by path (root-relative,
    or absolute outside the folder): every `.py` and notebook of the project's own code,
    its settings, and the files `outside` (a missing one digests as "missing")."""
    paths = [*iter_python_files(root, suffixes=(".py", ".ipynb"))]
    paths += [root / name for name in SETTINGS_FILES if (root / name).is_file()]
    digests: dict[str, str] = {}
    for path in paths:
        digests[path.relative_to(root).as_posix()] = _digest(path)
    for name in outside:
        digests[name] = _digest(Path(name))
    return digests


def _digest(path: Path) -> str:
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    except OSError:
        return "missing"


def _outside_files(root: Path, dataflows: Iterable[Mapping[str, Any]]) -> list[str]:
    """The module files the dataflows import from outside the folder (Hamilton's
    downloaded dataflows): absolute paths, sorted."""
    found = set()
    for flow in dataflows:
        for path in dict(flow.get("module_files", {})).values():
            if Path(path).is_absolute() and not Path(path).is_relative_to(root):
                found.add(str(path))
    return sorted(found)


def _overrides_text(overrides: Mapping[str, Any]) -> str:
    return json.dumps(dict(overrides), sort_keys=True, default=repr)


PACE_NODES = 200
"""Nodes a paced writer encodes between rests (about 4 ms of work on this machine)."""
PACE_REST_S = 0.016


def keep_graph(
    root: Path,
    conditions: GraphConditions,
    snapshot: GraphSnapshot,
    dataflows: list[dict[str, Any]],
    problems: list[str],
    digests: Mapping[str, str] | None = None,
    paced: bool = False,
) -> bool:
    """Keep `snapshot` (a good graph the kernel built under `conditions`) for the next
    opening; `digests` are the files' as the load read them (read now when not given).
    Written whole or not at all; False when it could not be written.

    The file is a header line (what decided the graph, the graph without its nodes)
    and then one line per node in its wire form: each line is encoded (and read) by
    itself, so a thread doing it never holds the interpreter for long at once (one
    `json.dumps` of a 20,000-node graph would, and stall the window). `paced`: a
    thread beside the window rests after every `PACE_NODES` nodes, so that it takes a
    fifth of the interpreter at most (unpaced, the window's own work took twice as
    long while a 20,000-node graph was written)."""
    if not snapshot.ok or not dataflows:
        return False
    outside = _outside_files(root, dataflows)
    files = dict(digests) if digests is not None else file_digests(root, outside)
    header = {
        "format": FORMAT,
        "dataflow": snapshot.dataflow,
        "first": dataflows[0].get("name"),
        "overrides": _overrides_text(conditions.overrides),
        "hamilton": conditions.hamilton,
        "interpreter": conditions.interpreter,
        "outside": outside,
        "files": files,
        "dataflows": dataflows,
        "problems": problems,
        "graph": snapshot.to_dict_without_nodes(),
        "nodes": len(snapshot.nodes),
    }
    target = kept_graph_file(root)
    partial = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}")
    try:
        private_project_cache(root)
        with partial.open("w", encoding="utf-8") as stream:
            partial.chmod(0o600)
            stream.write(json.dumps(header, default=repr) + "\n")
            for count, node in enumerate(snapshot.nodes, 1):
                stream.write(json.dumps(node.to_wire(), default=repr) + "\n")
                if paced and count % PACE_NODES == 0:
                    time.sleep(PACE_REST_S)
        partial.replace(target)
    except (OSError, TypeError, ValueError):
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        return False
    return True


def read_kept_graph(root: Path, conditions: GraphConditions) -> KeptGraph | None:
    """The graph kept for `root`, when everything that decided it is as it was then;
    otherwise (or when the file is missing, corrupt or of another format) None."""
    try:
        with kept_graph_file(root).open(encoding="utf-8") as stream:
            header = json.loads(stream.readline())
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                return None
            wanted = conditions.dataflow if conditions.dataflow is not None else header["first"]
            if (
                wanted != header["dataflow"]
                or header["overrides"] != _overrides_text(conditions.overrides)
                or header["hamilton"] != conditions.hamilton
                or header["interpreter"] != conditions.interpreter
                or header["files"] != file_digests(root, header["outside"])
            ):
                return None
            nodes = [json.loads(line) for line in stream]
        if len(nodes) != header["nodes"]:
            return None  # cut short
        snapshot = GraphSnapshot.from_dict({**header["graph"], "nodes": nodes})
        if not snapshot.ok or snapshot.dataflow != wanted:
            return None
        return KeptGraph(snapshot, list(header["dataflows"]), list(header["problems"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
