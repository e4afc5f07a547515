"""Check every `studio edit` kind on real Hamilton projects, against Hamilton's own graph.

Each project (bundled examples, folders of Hamilton's examples) is copied to a temporary
git repository and its graph loaded with `studio graph --format json` (compat interpreter).
For each edit kind, targets are chosen from that graph and planned with `DataflowEditor`
(a refusal is recorded, the next candidate tried); the diff must equal `studio edit
--dry-run`'s. Applied, the graph must reload without errors as the old graph plus exactly
the intended change, `git diff` must touch only the lines the edit needs, and `undo()` must
leave `git status` clean. Prints a table, then details; exits 1 when any check failed.

    .venv/bin/python bench/check_edits.py --examples /work/hx/examples
"""

from __future__ import annotations

import argparse
import ast
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from studio.core.discovery.discover import discover
from studio.core.editing import ConfirmationNeededError, EditPlan, EditRefusedError
from studio.core.editing.dataflow_editor import DataflowEditor
from studio.core.resources import example_path

ROOT = Path(__file__).resolve().parent.parent
STUDIO = str(ROOT / ".venv/bin/studio")
COMPAT = str(ROOT / ".bench-cache/compat-venv/bin/python")
EXAMPLES = """hello_world caching_nodes/caching_graph_adapter model_examples/modular_example
parallelism/file_processing reusing_functions styling_visualization data_quality/simple:run
feature_engineering/feature_engineering_multiple_contexts/scenario_1:etl"""
"""Folders of Hamilton's examples, `:dataflow` where a folder has several."""
KINDS = ("rename", "connect", "add", "remove", "disconnect")
ROLES = {"function", "expand", "collect"}  # the roles of nodes a function makes
TRIES = 5
IMPORT = re.compile(r"^\s*(from\s+\S+\s+)?import\s")
EASY = {"check_output", "check_output_custom", "config", "tag", "tag_outputs", "cache", "schema"}
"""Decorators the editor edits through (graph names): their nodes are tried first."""


@dataclass(frozen=True)
class Node:
    role: str
    type: str
    deps: frozenset[str]
    origin: str = ""
    generated: bool = False
    decorators: tuple[str, ...] = ()


Graph = dict[str, Node]
Chosen = tuple[tuple[str, ...], EditPlan, Graph, bool]


@dataclass
class Outcome:
    cell: str = ""
    lines: str = ""
    details: list[str] = field(default_factory=list)


def run(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def load(folder: Path, dataflow: str | None) -> tuple[Graph, list[str]]:
    extra = ["--dataflow", dataflow] if dataflow else []
    out = run([STUDIO, "graph", str(folder), "--format", "json", "--interpreter", COMPAT, *extra])
    if out.returncode:
        return {}, [f"studio graph exit {out.returncode}: {out.stderr.strip()[-300:]}"]
    data = json.loads(out.stdout)
    graph: Graph = {}
    for n in data["nodes"]:
        deps = frozenset(n["dependencies"]) | frozenset(n.get("optional_dependencies", []))
        kind = "" if n["role"] == "input" else str(n["type"])
        facts = n.get("origin") or "", bool(n["is_generated"]), tuple(n["decorators"])
        graph[n["name"]] = Node(n["role"], kind, deps, *facts)
    return graph, [str(e) for e in data["errors"]]


def compare(want: Graph, got: Graph) -> str:
    """Empty when `got` is `want`, its inputs settled as Hamilton makes them (and "?" any type)."""
    used = {d for node in want.values() for d in node.deps}
    want = {k: v for k, v in want.items() if v.role != "input" or k in used}
    want |= {d: Node("input", "", frozenset()) for d in used - set(want)}
    b = {k: (v.role, v.type, v.deps) for k, v in got.items()}
    fill = {k: got[k].type for k, v in want.items() if v.type == "?" and k in got}
    a = {k: (v.role, fill.get(k, v.type), v.deps) for k, v in want.items()}
    missing = sorted(f"{k}{a[k]}" for k in a if b.get(k) != a[k])
    extra = sorted(f"{k}{b[k]}" for k in b if a.get(k) != b[k])
    return "" if not missing and not extra else f"expected {missing[:4]}, got {extra[:4]}"


def group(g: Graph, name: str) -> set[str]:
    """The nodes `name`'s function makes (with @check_output: `name_raw`, validators)."""
    return {k for k, v in g.items() if g[name].origin and v.origin == g[name].origin} | {name}


def rewire(g: Graph, target: str, add: set[str], drop: set[str]) -> Graph:
    """`g` with `target`'s function's parameters changed: the deps of its group's roots."""
    mine = group(g, target)
    roots = [k for k in mine if not g[k].deps & mine]
    return g | {k: replace(g[k], deps=(g[k].deps | add) - drop) for k in roots}


def too_many_lines(
    kind: str, args: tuple[str, ...], work: Path, edit: EditPlan, fns: set[str]
) -> str:
    """Why `git diff` touches more than the edit needs, or ''."""
    found: list[tuple[list[str], list[str]]] = []  # (removed lines, added lines) per hunk
    for line in run(["git", "diff", "-U0"], work).stdout.splitlines():
        if line.startswith("@@"):
            found.append(([], []))
        elif found and line[:1] in "-+" and not line.startswith(("---", "+++")):
            found[-1][0 if line[0] == "-" else 1].append(line[1:])
    if kind == "rename":  # each changed line: an old line with (some of) its `old` made `new`
        swap, new = re.compile(rf"\b{re.escape(args[0])}(?=__|\b)"), args[1]
        for rm, ad in found:
            same = all(
                swap.sub(new, r) == swap.sub(new, a) != r for r, a in zip(rm, ad, strict=False)
            )
            if len(rm) != len(ad) or not same:
                return f"lines other than the rename changed: -{rm} +{ad}"
        return ""
    most = {"connect": (1, 2, 2), "add": (0, 5, 2), "disconnect": (2, 1, 0)}.get(kind, (0, 0, 0))
    for change in edit.changes if kind == "remove" else ():  # the functions, comments right
        lines = (change.before or b"").decode().splitlines()  # above them, blank lines above
        for s in ast.parse(change.before or b"").body:
            if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef) and s.name in fns:
                top = min([s.lineno, *(d.lineno for d in s.decorator_list)]) - 1
                size = (s.end_lineno or top) - top
                while top and lines[top - 1].lstrip().startswith("#"):
                    top, size = top - 1, size + 1
                while top and not lines[top - 1].strip():
                    top, size = top - 1, size + 1
                most = (most[0] + size, 0, 0)
    lines = [(i, x) for h in found for i in (0, 1) for x in h[i]]
    code = [sum(1 for i, x in lines if i == j and not IMPORT.match(x)) for j in (0, 1)]
    imports = sum(1 for _, x in lines if IMPORT.match(x))
    over = code[0] > most[0] or code[1] > most[1] or imports > most[2]
    return f"-{code[0]}/+{code[1]} code, {imports} import lines (most {most})" if over else ""


def edits(kind: str, g: Graph) -> Iterator[tuple[tuple[str, ...], Graph]]:
    """Candidate edits of one kind (their arguments) and the graph each should make, best first."""
    rank = {k: (bool(v.decorators), not set(v.decorators) <= EASY) for k, v in g.items()}
    fns = [k for k, v in g.items() if v.role in ROLES and not v.generated]
    fns.sort(key=rank.__getitem__)
    func = [k for k in fns if g[k].role == "function"]
    users = {k: [u for u, v in g.items() if k in v.deps] for k in g}
    params = {k: set().union(*(g[m].deps for m in group(g, k))) - group(g, k) for k in fns}
    module = {k: v.origin.split(".")[0] for k, v in g.items()}

    @functools.cache
    def up(name: str) -> frozenset[str]:
        return g[name].deps.union(*map(up, g[name].deps))

    if kind == "rename":
        for old in sorted((k for k in fns if users[k]), key=lambda k: (rank[k], -len(users[k]))):
            to = {k: k for k in g}
            to |= {k: f"{old}_v2{k[len(old) :]}" for k in group(g, old) if k.startswith(old)}
            want = {to[k]: replace(n, deps=frozenset(to[d] for d in n.deps)) for k, n in g.items()}
            yield (old, to[old]), want
    elif kind == "connect":
        pairs = [(s, t) for s in func for t in func if s not in params[t] | group(g, t)]
        pairs = [(s, t) for s, t in pairs if t not in up(s)]
        pairs.sort(key=lambda p: (max(rank[p[0]], rank[p[1]]), module[p[0]] == module[p[1]]))
        for s, t in pairs:
            yield (s, t), rewire(g, t, {s}, set())
    elif kind == "add":
        two = [(a, b) for a in func for b in func if module[a] < module[b]]
        two = sorted(two, key=lambda u: max(rank[u[0]], rank[u[1]]))[:2]
        for uses in [*two, *((a,) for a in func)]:
            want = g | {"added_node": Node("function", "?", frozenset(uses))}
            yield ("added_node", "--uses", ",".join(uses)), want
    elif kind == "remove":
        for sink in (k for k in fns if not users[k]):
            yield (sink,), {k: v for k, v in g.items() if k not in group(g, sink)}
    else:
        for t in func:
            for s in sorted(params[t], key=lambda d: (g[d].role != "function", d)):
                yield (s, t), rewire(g, t, set(), {s})


def plan(editor: DataflowEditor, kind: str, args: tuple[str, ...], force: bool) -> EditPlan:
    if kind == "add":
        return editor.add(args[0], args[2].split(","))
    if kind == "disconnect":
        return editor.disconnect(args[0], args[1], force=force)
    return getattr(editor, kind)(*args)


def choose(kind: str, g: Graph, editor: DataflowEditor, out: Outcome) -> Chosen | None:
    """The first candidate the editor plans; a disconnect the body needs is forced last."""
    fallback: tuple[tuple[str, ...], Graph, str] | None = None
    refusals = asks = 0
    for args, want in edits(kind, g):
        try:
            return args, plan(editor, kind, args, False), want, False
        except ConfirmationNeededError as error:
            asks, fallback = asks + 1, fallback or (args, want, str(error))
        except EditRefusedError as error:
            refusals += 1
            out.details.append(f"  {kind}: refused `{kind} {' '.join(args)}`: {error}")
            out.cell = f"refused({error})"
            if refusals >= TRIES:
                break
    if fallback is None:
        return None
    out.details.append(f"  {kind}: all {asks} edges need --force, the first: {fallback[2]}")
    return fallback[0], plan(editor, kind, fallback[0], True), fallback[1], True


def attempt(kind: str, work: Path, df: str | None, g: Graph, out: Outcome) -> None:
    project = discover(work)
    editor = DataflowEditor(project.root, project.dataflows, project.dataflow(df))
    if (chosen := choose(kind, g, editor, out)) is None:
        return
    args, edit, want, forced = chosen
    cli = [kind, *args, *(["--force"] if forced else [])]
    out.details.append(f"  {kind}: studio edit {' '.join(cli)}  (notes: {edit.notes})")
    dry = run([STUDIO, "edit", str(work), *(["--dataflow", df] if df else []), "--dry-run", *cli])
    problems = [] if dry.stdout == edit.diff(project.root) else [f"CLI diff differs: {dry.stderr}"]
    fns = {site.function for site in editor.functions().sites_of(args[0])}
    edit.apply()
    try:
        stat = [x.split("\t") for x in run(["git", "diff", "--numstat"], work).stdout.splitlines()]
        out.lines = f"+{sum(int(s[0]) for s in stat)}/-{sum(int(s[1]) for s in stat)}"
        if too_many := too_many_lines(kind, args, work, edit, fns):
            problems.append(f"lines: {too_many}")
        after, errors = load(work, df)
        problems += [f"load error: {e}" for e in errors] or [d for d in [compare(want, after)] if d]
        if problems:
            diff = edit.diff(project.root).splitlines()
            out.details.append("    diff:\n" + "\n".join(f"      {x}" for x in diff))
    finally:
        edit.undo()
    if dirty := run(["git", "status", "--porcelain"], work).stdout.strip():
        problems.append(f"undo left changes: {dirty}")
    out.details += [f"    FAILED: {p}" for p in problems]
    out.cell = f"FAILED({problems[0]})" if problems else "ok (forced)" if forced else "ok"


def check_project(folder: Path, df: str | None) -> tuple[str, int, dict[str, Outcome]]:
    with tempfile.TemporaryDirectory(prefix="check-edits-") as tmp:
        work = Path(tmp) / folder.name
        shutil.copytree(folder, work, ignore=shutil.ignore_patterns("__pycache__", ".git"))
        for step in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "before"]):
            run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", *step], work)
        (work / ".git/info/exclude").write_text("__pycache__/\n")
        graph, errors = load(work, df)
        outcomes = {k: Outcome(f"FAILED(load before: {errors})" if errors else "") for k in KINDS}
        for kind in KINDS if not errors else ():
            try:
                attempt(kind, work, df, graph, outcomes[kind])
            except Exception as error:  # a crash is a finding, reported like one
                outcomes[kind].cell = f"FAILED({type(error).__name__}: {error})"
                outcomes[kind].details.append(f"  {kind}: FAILED: {outcomes[kind].cell}")
        return f"{folder.name}{f' [{df}]' if df else ''}", len(graph), outcomes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=Path, required=True, help="Hamilton's examples folder")
    options = parser.parse_args()
    projects: list[tuple[Path, str | None]] = [(example_path("spaceflights"), None)]
    projects.append((example_path("decorators"), None))
    for folder, _, flow in (f.partition(":") for f in EXAMPLES.split()):
        projects.append((options.examples / folder, flow or None))
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda p: check_project(*p), projects))
    rows = [["project", "nodes", *KINDS, "lines changed (+added/-removed)"]]
    for name, count, outcomes in results:
        lines = ", ".join(f"{k[:3]} {o.lines}" for k, o in outcomes.items() if o.lines)
        cells = [(outcomes[k].cell or "n/a(no candidate)")[:48] for k in KINDS]
        rows.append([name, str(count), *cells, lines])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    for name, _, outcomes in results:
        print(f"\n{name}\n" + "\n".join(x for o in outcomes.values() for x in o.details))
    failed = any(o.cell.startswith("FAILED") for _, _, outs in results for o in outs.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
