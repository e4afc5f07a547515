"""How well the studio reads Hamilton's notebooks: `bench_compatibility.py --notebooks`.

Every notebook of Hamilton's `examples/` that uses the notebook extension's
`%%cell_to_module` (or `%%incr_cell_to_module`) is copied out of the mirror
(`bench/hamilton_examples.py`) and each of its dataflows, as `studio graph` finds
them, is built twice:

- the REFERENCE: plain Hamilton, in a subprocess run from the example's folder,
  builds the driver from modules written out of the module cells exactly as the
  magic makes them (the cell's body as `<name>.py`, named by the magic's own parser,
  `HamiltonMagics.cell_to_module.parser`; incremental cells joined by their ids; an
  `%insert_module PATH` line the module cell it inserts, `%%cell_to_module STEM` with
  the file's text, as if run), with the dataflow's modules and config;
- the STUDIO: `studio graph FOLDER --dataflow NAME --format json`.

A row matches when both graphs have the same nodes and each node the same
dependencies. Both sides run in the studio's own environment (`.venv`), or with
`--venv` in the bench venv: a notebook whose cells need a package it lacks, or the
network, fails its reference and says so.

    .venv/bin/python bench/bench_compatibility.py --notebooks [--venv] [--write] [--only NAME ...]

`--venv` runs both sides in `.bench-cache/notebook-venv`, made with uv, which holds the
libraries the notebooks import most.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.doc_sections import replace_section
from bench.hamilton_examples import MIRROR, extract_example, mirror_commit

ROOT = Path(__file__).resolve().parents[1]
STUDIO_PYTHON = ROOT / ".venv" / "bin" / "python"
VENV = ROOT / ".bench-cache" / "notebook-venv"
LIBRARIES = ("nbformat", "scikit-learn", "polars", "scipy", "duckdb", "matplotlib", "openai")
"""What the example notebooks' cells import most, for `--venv` (the studio's own
environment has none of them but matplotlib)."""
STUDIO = ROOT / ".venv" / "bin" / "studio"
DOC = ROOT / "docs" / "COMPATIBILITY.md"
HEADING = "## Notebooks (issue 30)"
TIMEOUT = 180
MARKER = "@@notebook-graph@@"

REFERENCE = """
import contextlib, importlib, json, os, re, sys, tempfile, traceback
spec = json.loads(sys.argv[1])
try:
    with contextlib.redirect_stdout(sys.stderr):
        import nbformat
        from hamilton import driver
        from hamilton.plugins.jupyter_magic import HamiltonMagics, parse_known_argstring
        notebook = nbformat.read(spec["notebook"], as_version=4)
        out = tempfile.mkdtemp(prefix="nbref-")
        increments = {}
        INSERT = r"^%(?:insert_module|module_to_cell) (.+)$"
        for cell in notebook.cells:
            if cell.cell_type != "code":
                continue
            for found in re.finditer(INSERT, cell.source, re.M):
                path = os.path.join(os.path.dirname(spec["notebook"]), found.group(1))
                stem = os.path.basename(path)  # the cell it inserts: `%%cell_to_module STEM`
                with open(path) as source, open(os.path.join(out, stem), "w") as module:
                    module.write(source.read())
            if not cell.source.startswith("%%"):
                continue
            line, _, body = cell.source.partition("\\n")
            magic, _, arguments = line[2:].partition(" ")
            if magic == "cell_to_module":
                args, _ = parse_known_argstring(HamiltonMagics.cell_to_module, arguments)
                name = args.module_name if isinstance(args.module_name, str) else args.name
                increments.pop(name, None)
                text = body
            elif magic == "incr_cell_to_module":
                args, _ = parse_known_argstring(HamiltonMagics.incr_cell_to_module, arguments)
                name = args.module_name
                parts = increments.setdefault(name, {})
                parts[args.identifier] = body
                text = "\\n\\n".join(parts[key] for key in sorted(parts))
            else:
                continue
            if isinstance(name, str):
                with open(os.path.join(out, name + ".py"), "w") as module:
                    module.write(text)
        sys.path[:0] = [out, spec["folder"]]
        modules = [importlib.import_module(name) for name in spec["modules"]]
        builder = driver.Builder().with_modules(*modules).with_config(spec["config"])
        if spec.get("allow_module_overrides"):
            builder = builder.allow_module_overrides()
        graph = builder.build().graph
        result = {"graph": {n.name: sorted(n.input_types) for n in graph.nodes.values()}}
except BaseException as error:
    traceback.print_exc()
    result = {"error": (f"{type(error).__name__}: {error}".strip().splitlines() or ["?"])[0]}
print("\\n" + sys.argv[2] + json.dumps(result))
"""


@dataclass
class NotebookOutcome:
    notebook: str
    dataflow: str
    nodes: int | None = None
    match: str = "n/a"
    why: str = ""
    seconds: float = 0.0
    edit: str = "—"
    """A rename of one of its cells' functions: 'exact' (the notebook as Jupyter would
    write it with the new cell, undone byte for byte), else what went wrong."""


def check_edit(folder: Path, notebook: str, flow_name: str, nodes: list[dict]) -> str:
    """Rename one function a module cell makes, as the canvas does; apply, compare with
    what nbformat writes for the edited notebook, undo."""
    import nbformat

    from studio.core.discovery.discover import discover
    from studio.core.editing import EditRefusedError
    from studio.core.editing.dataflow_editor import DataflowEditor

    path = folder / notebook
    before = path.read_bytes()
    canonical = _jupyter_bytes(nbformat.reads(before.decode(), as_version=nbformat.NO_CONVERT))
    project = discover(folder)
    flow = project.dataflow(flow_name)
    editor = DataflowEditor(folder, project.dataflows, flow)
    candidates = [
        n["name"]
        for n in nodes
        if n.get("role") == "function" and (n.get("file") or "").startswith(f"{notebook}/")
    ]
    refused = ""
    for name in candidates:
        try:
            plan = editor.rename(name, f"{name}_renamed")
        except EditRefusedError as error:
            refused = str(error)
            continue
        plan.apply()
        after = path.read_bytes()
        written = nbformat.reads(after.decode(), as_version=nbformat.NO_CONVERT)
        plan.undo()
        if path.read_bytes() != before:
            return "undo left the notebook changed"
        if canonical == before and _jupyter_bytes(written) != after:
            return "differs from what Jupyter writes"
        old = nbformat.reads(before.decode(), as_version=nbformat.NO_CONVERT)
        if old.metadata != written.metadata or len(old.cells) != len(written.cells):
            return "the notebook's metadata or cell list changed"
        pairs = list(zip(old.cells, written.cells, strict=True))
        changed = [number for number, (a, b) in enumerate(pairs, start=1) if a != b]
        beyond_source = [
            n
            for n in changed
            if _without_source(pairs[n - 1][0]) != _without_source(pairs[n - 1][1])
        ]
        if beyond_source:
            return f"cells {beyond_source} changed beyond their source (outputs or metadata)"
        not_modules = [n for n in changed if not pairs[n - 1][0].source.startswith("%%")]
        if not changed or not_modules:
            return f"changed cells {changed}, of which not module cells {not_modules}"
        remarks = [] if canonical == before else ["own layout kept"]
        if len(changed) > 1:
            remarks.append(f"cells {changed}: the function's and its users'")
        return "exact" + (f" ({'; '.join(remarks)})" if remarks else "")
    return f"every rename refused ({refused[:80]})" if refused else "no function to rename"


def _without_source(cell: Any) -> dict:
    return {key: value for key, value in cell.items() if key != "source"}


def _jupyter_bytes(notebook: Any) -> bytes:
    import nbformat

    text = nbformat.writes(notebook, version=nbformat.NO_CONVERT)
    return (text if text.endswith("\n") else text + "\n").encode()


def magic_notebooks() -> list[str]:
    """The mirror's example notebooks that use Hamilton's module magics."""
    pattern = "%%(incr_)?cell_to_module"
    listing = subprocess.run(
        ["git", "-C", str(MIRROR), "grep", "-l", "-E", pattern, "HEAD", "--", "examples/*.ipynb"],
        capture_output=True,
        text=True,
        check=False,
    )
    return sorted(line.removeprefix("HEAD:") for line in listing.stdout.splitlines())


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PYTHONDONTWRITEBYTECODE="1",
        HAMILTON_TELEMETRY_ENABLED="false",
        MPLBACKEND="Agg",
        QT_QPA_PLATFORM="offscreen",
    )
    env.pop("PYTHONPATH", None)
    return env


PYTHON = STUDIO_PYTHON
"""The Python both sides run the notebooks' code in (`--venv`: the bench venv's)."""


def ensure_venv() -> Path:
    """`.bench-cache/notebook-venv` with Hamilton (uv.lock's version), pandas below 3 and
    `LIBRARIES`, made with uv once and kept while that list is unchanged."""
    from bench.compat_venv import base_requirements, find_python, find_uv

    requirements = [*base_requirements(), *LIBRARIES]
    stamp = VENV / "bench-requirements.json"
    python = VENV / "bin" / "python"
    if stamp.exists() and json.loads(stamp.read_text()) == requirements and python.exists():
        return python
    uv = find_uv()
    subprocess.run(
        [uv, "venv", "--quiet", "--clear", "--python", find_python(), str(VENV)], check=True
    )
    subprocess.run([uv, "pip", "install", "--python", str(python), *requirements], check=True)
    stamp.write_text(json.dumps(requirements))
    return python


def _studio(folder: Path, dataflow: str | None) -> dict:
    command = [str(STUDIO), "graph", str(folder), "--format", "json"]
    if PYTHON != STUDIO_PYTHON:  # the notebooks' code runs in the bench venv
        command += ["--interpreter", str(PYTHON)]
    command += ["--dataflow", dataflow] if dataflow else []
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=TIMEOUT, env=_env(), check=False
        )
    except subprocess.TimeoutExpired:
        return {"errors": [{"message": f"studio graph timed out after {TIMEOUT} s"}]}
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError:
        tail = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        return {"errors": [{"message": tail[:200]}]}


def _reference(
    notebook: Path, folder: Path, modules: list[str], config: dict, overrides: bool = False
) -> dict:
    spec = {"notebook": str(notebook), "folder": str(folder), "modules": modules}
    spec.update(config=config, allow_module_overrides=overrides)
    try:
        done = subprocess.run(
            [str(PYTHON), "-c", REFERENCE, json.dumps(spec), MARKER],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env=_env(),
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {TIMEOUT} s"}
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(MARKER):
            return json.loads(line[len(MARKER) :])
    return {"error": (done.stderr.strip().splitlines() or ["?"])[-1][:200]}


def _compare(reference: dict[str, list[str]], nodes: list[dict]) -> str:
    studio = {
        n["name"]: {*n["dependencies"], *n.get("optional_dependencies", [])}
        for n in nodes
        if n.get("role") != "materializer"  # the driver cell's: the reference has none
    }
    missing = sorted(reference.keys() - studio.keys())
    extra = sorted(studio.keys() - reference.keys())
    changed = sorted(n for n in reference.keys() & studio.keys() if set(reference[n]) != studio[n])
    parts = []
    if missing:
        parts.append(f"studio lacks {', '.join(missing[:3])}")
    if extra:
        parts.append(f"studio has extra {', '.join(extra[:3])}")
    if changed:
        parts.append(f"different dependencies of {', '.join(changed[:3])}")
    return "; ".join(parts)


def run_notebook(path: str, work: Path) -> list[NotebookOutcome]:
    """Each dataflow `studio graph` finds in the notebook at mirror path `path`."""
    example = str(Path(path).parent.relative_to("examples"))
    folder = work / example
    up = _levels_up(path)  # the files its `%insert_module` lines name come with it
    if up and not folder.exists():
        above = Path(example).parents[up - 1]
        extract_example(str(above), work / above)
    if not folder.exists():
        extract_example(example, folder)
    name = Path(path).name
    found = _studio(folder, None)
    flows = [d for d in found.get("dataflow_details", []) if d.get("driver") == name]
    if not flows:
        said = [w for w in found.get("warnings", []) if w.startswith(f"{name}: ")]
        said = said or [e.get("message", "") for e in found.get("errors", [])]
        said = [text.replace(f"{folder}", example).removeprefix(f"{name}: ") for text in said]
        more = f" (and {len(said) - 1} more)" if len(said) > 1 else ""
        why = "the studio finds no dataflow in it" + (f": {said[0]}{more}" if said else "")
        return [NotebookOutcome(path, "—", why=why)]
    outcomes = []
    for flow in flows:
        started = time.perf_counter()
        outcome = NotebookOutcome(path, flow["name"])
        reference = _reference(
            folder / name,
            folder,
            list(flow["modules"]),
            dict(flow.get("config", {})),
            bool(flow.get("allow_module_overrides")),
        )
        studio = _studio(folder, flow["name"])
        outcome.seconds = time.perf_counter() - started
        if "graph" not in reference:
            outcome.why = f"reference fails: {reference.get('error', '?')}"
        else:
            outcome.nodes = len(reference["graph"])
            errors = [e.get("message", "") for e in studio.get("errors", [])]
            difference = _compare(reference["graph"], studio.get("nodes", []))
            outcome.match = "no" if errors or difference else "yes"
            outcome.why = f"studio: {errors[0]}" if errors else difference
        if not studio.get("errors"):
            outcome.edit = check_edit(folder, name, flow["name"], studio.get("nodes", []))
        outcomes.append(outcome)
    return outcomes


def _levels_up(path: str) -> int:
    """How far above the notebook's folder its `%insert_module ../..` lines reach."""
    text = subprocess.run(
        ["git", "-C", str(MIRROR), "show", f"HEAD:{path}"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    named = re.findall(r'%(?:insert_module|module_to_cell) ([^"\\]+)', text)
    return max((Path(n).parts.count("..") for n in named), default=0)


def table(outcomes: list[NotebookOutcome]) -> list[str]:
    lines = [
        "| notebook | dataflow | nodes | match | why not | rename written back |",
        "|---|---|---:|---|---|---|",
    ]
    for o in outcomes:
        nodes = "—" if o.nodes is None else str(o.nodes)
        why = o.why.replace("|", "\\|")
        lines.append(f"| {o.notebook.removeprefix('examples/')} | {o.dataflow} | {nodes} | ")
        lines[-1] += f"{o.match} | {why} | {o.edit} |"
    return lines


def summary(outcomes: list[NotebookOutcome], notebooks: int) -> str:
    built = [o for o in outcomes if o.nodes is not None]
    matched = sum(o.match == "yes" for o in built)
    fails = sum(o.why.startswith("reference fails") for o in outcomes)
    none = sum(o.dataflow == "—" for o in outcomes)
    exact = sum(o.edit.startswith("exact") for o in outcomes)
    tried = sum(o.edit != "—" for o in outcomes)
    return (
        f"**{matched} of {len(built)} dataflows match** (those whose reference built), from "
        f"{notebooks} notebooks; {fails} references fail (a package missing from the "
        f"studio's environment, the network, a file the example lacks), {none} "
        f"notebook{'s' if none != 1 else ''} give{'s' if none == 1 else ''} no dataflow. "
        f"A rename of a cell's function was written back exactly and "
        f"undone byte for byte in {exact} of the {tried} dataflows the studio loaded."
    )


def write_doc(outcomes: list[NotebookOutcome], notebooks: int, seconds: float) -> None:
    where = (
        f"`.bench-cache/notebook-venv` (`--venv`: Hamilton, pandas below 3, "
        f"{', '.join(LIBRARIES)}), the studio with `--interpreter`"
        if PYTHON != STUDIO_PYTHON
        else "the studio's own `.venv`, which lacks most of the examples' libraries"
    )
    intro = f"""{HEADING}

Hamilton's example notebooks that build their dataflow with the notebook
extension (`%%cell_to_module`): each row is one dataflow `studio graph` finds in
one notebook (a cell that builds a driver, else the module cells). The reference
is plain Hamilton building that dataflow's modules and config (and
`allow_module_overrides()` when the driver cell calls it) from modules
written out of the module cells exactly as the magic makes them (named by the
magic's own argument parser; an `%insert_module PATH` line makes the module
the cell it inserts would, from the file); the studio loads the notebook as it is. The
modules and config come from the studio's reading of the driver cell, so a
misread driver cell does not show here: the rows measure the module cells and
the load. For each dataflow the studio loads, one function a module cell makes
is renamed as the canvas renames it: the column says whether the notebook was
then exactly what Jupyter writes for it with the edited cells (only the sources
of the module cells that define or use the function changed, every output and
all metadata kept) and whether Undo gave back its very bytes. The
reference builds no materializers, so the nodes of those a driver
cell gives (`with_materializers`) are left out of the comparison. Both sides
run in {where}; a reference that fails for a library missing there, the
network or a file the example lacks is counted apart.

```sh
.venv/bin/python bench/bench_compatibility.py --notebooks --venv --write
```

Measured on Hamilton's examples at {mirror_commit()}, in {seconds:.0f} s.

"""
    text = intro + "\n".join(table(outcomes)) + "\n\n" + summary(outcomes, notebooks) + "\n"
    page = DOC.read_text() if DOC.exists() else ""
    DOC.write_text(replace_section(page, HEADING, text))


def main(write: bool, only: list[str] | None, venv: bool = False) -> int:
    global PYTHON
    if venv:
        PYTHON = ensure_venv()
    notebooks = [p for p in magic_notebooks() if not only or any(name in p for name in only)]
    started = time.perf_counter()
    outcomes: list[NotebookOutcome] = []
    with tempfile.TemporaryDirectory(prefix="compat-notebooks-") as work:
        for path in notebooks:
            for outcome in run_notebook(path, Path(work)):
                outcomes.append(outcome)
                print(f"{outcome.match:>4}  {path}  {outcome.dataflow}  {outcome.why}", flush=True)
    seconds = time.perf_counter() - started
    print("\n" + "\n".join(table(outcomes)) + "\n\n" + summary(outcomes, len(notebooks)))
    if write:
        write_doc(outcomes, len(notebooks), seconds)
        print(f"bench: wrote {DOC.relative_to(ROOT)}", file=sys.stderr)
    return 0
