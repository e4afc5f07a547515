"""`studio graph PATH`: load a dataflow headlessly and print its graph.

Exit status 0 when the graph loaded, 2 when it did not (the errors are also
written to stderr, one per line, with file and line).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from studio.core.discovery import ProjectFolderError, discover
from studio.core.snapshot import ErrorKind, GraphSnapshot, LoadError
from studio.core.values import parse_assignments

FORMATS = ("json", "text", "dot", "svg", "png")
EXIT_OK = 0
EXIT_NOT_LOADED = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studio graph",
        description="Print the graph of a Hamilton project's dataflow.",
    )
    parser.add_argument("path", help="project folder")
    parser.add_argument("--dataflow", help="dataflow name (a driver script's stem, e.g. run)")
    parser.add_argument(
        "--config",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="config value (a Python literal, or else a string); repeatable",
    )
    parser.add_argument("--format", choices=FORMATS, default="json")
    parser.add_argument("--rankdir", choices=("LR", "TB"), default="LR", help="drawing direction")
    parser.add_argument("--output", "-o", type=Path, help="write here instead of stdout")
    return parser


def main(argv: Sequence[str]) -> int:
    parser = build_parser()
    options = parser.parse_args(argv)
    try:
        config = parse_assignments(options.config, "--config")
    except ValueError as error:
        parser.error(str(error))
    snapshot, dataflows, warnings = load_graph(Path(options.path), options.dataflow, config)
    for warning in warnings:
        print(f"studio: warning: {warning}", file=sys.stderr)
    if not snapshot.ok:
        print(f"studio: the graph of {options.path} did not load:", file=sys.stderr)
        for error in snapshot.errors:
            print(f"  {error}", file=sys.stderr)
    payload = _format(snapshot, dataflows, warnings, options.format, options.rankdir)
    if payload is not None:
        _write(payload, options.output)
    return EXIT_OK if snapshot.ok else EXIT_NOT_LOADED


def load_graph(
    path: Path, dataflow_name: str | None, config: dict[str, Any]
) -> tuple[GraphSnapshot, list[str], list[str]]:
    """Discover the folder and load one dataflow in this process."""
    try:
        project = discover(path)
        flow = project.dataflow(dataflow_name)
    except (ProjectFolderError, LookupError) as error:
        message = str(error).strip("'\"")
        return (
            GraphSnapshot(dataflow_name or "", errors=(LoadError(ErrorKind.PROJECT, message),)),
            [],
            [],
        )
    from studio.kernel.graph_builder import load_dataflow

    with _running_in(project.root):
        loaded = load_dataflow(project.root, flow, config)
    failed_files = {error.file for error in loaded.snapshot.errors}
    warnings = [str(p) for p in project.problems if p.path not in failed_files]
    warnings += [f"{flow.driver}: {note}" for note in flow.notes]
    warnings += list(loaded.snapshot.warnings)
    return loaded.snapshot, [f.name for f in project.dataflows], warnings


@contextlib.contextmanager
def _running_in(folder: Path) -> Iterator[None]:
    """Run project code as `python run.py` would in that folder, its prints kept off stdout."""
    previous = Path.cwd()
    os.chdir(folder)
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        os.chdir(previous)


def _format(
    snapshot: GraphSnapshot, dataflows: list[str], warnings: list[str], fmt: str, rankdir: str
) -> bytes | None:
    if fmt == "json":
        data = {"dataflows": dataflows, **snapshot.to_dict(), "warnings": warnings}
        return (json.dumps(data, indent=2, default=repr) + "\n").encode()
    if fmt == "text":
        return describe(snapshot, dataflows).encode()
    if not snapshot.ok:
        return None
    from studio.core.render import render

    return render(snapshot, fmt, rankdir)


def describe(snapshot: GraphSnapshot, dataflows: list[str]) -> str:
    """A readable listing: one line per node with its type and dependencies."""
    lines = [f"dataflow {snapshot.dataflow!r} (of {', '.join(dataflows) or 'none'})"]
    if snapshot.config:
        lines.append(f"config: {snapshot.config}")
    width = max((len(n.name) for n in snapshot.nodes), default=0)
    for info in snapshot.nodes:
        uses = f" <- {', '.join(info.dependencies)}" if info.dependencies else ""
        kind = f"[{info.role.value}] " if info.is_external_input else ""
        lines.append(f"  {info.name:<{width}}  {kind}{info.type}{uses}")
    lines.append(f"{len(snapshot.nodes)} nodes, {len(snapshot.edges())} edges")
    return "\n".join(lines) + "\n"


def _write(payload: bytes, output: Path | None) -> None:
    if output is not None:
        output.write_bytes(payload)
        return
    if payload[:4] == b"\x89PNG" and sys.stdout.isatty():
        raise SystemExit("studio: a PNG goes to a file: add --output FILE")
    sys.stdout.buffer.write(payload)
    sys.stdout.flush()
