"""How well `studio graph` reads real Hamilton example projects.

For each case of `bench/compat_cases.py` (one driver script of Hamilton's
`examples/` folder, with its modules, config and adapter read by hand) the
bench builds two graphs and compares them:

- the REFERENCE: plain Hamilton builds the driver the way the script does
  (`Builder().with_modules(...).with_config(...)`, the script's adapter made
  without starting a cluster, overrides and dynamic execution when the
  script asks for them), in a subprocess run from the script's folder;
- the STUDIO: `studio graph FOLDER --format json --interpreter PYTHON`,
  which reads the driver scripts without running them, on the dataflow
  named after the script (or whose modules equal the case's).

A case matches when both have the same node names and every node the same
dependencies. Both sides run in one virtual environment,
`.bench-cache/compat-venv`, made with uv and kept while its requirement
list is unchanged: the Hamilton version of `uv.lock`, pandas, numpy,
packaging, ipykernel and every package the cases need. A package that does
not install marks its cases, not the whole run.

    .venv/bin/python bench/bench_compatibility.py --examples PATH/TO/hamilton/examples \\
        [--write] [--only NAME ...] [--static]

`--write` puts the table into `docs/COMPATIBILITY.md`; `--only` runs the
cases whose name (`example:driver`) or example folder is given. `--static`
compares the graph read from source (`studio graph --static`) with the same
reference instead (see `bench/compat_static.py`), into its own section.
`--notebooks` measures Hamilton's example notebooks instead
(`bench/compat_notebooks.py`).
"""

from __future__ import annotations

import argparse
import datetime
import json
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.compat_cases import CASES, SKIPPED, Case
from bench.compat_studio import StudioResult, run_studio
from bench.compat_venv import (
    CACHE,
    ROOT,
    ensure_venv,
    installed_versions,
    subprocess_env,
    venv_python,
)
from bench.doc_sections import other_sections

DOC = ROOT / "docs" / "COMPATIBILITY.md"
REFERENCE_TIMEOUT = 120
MARKER = "@@compat-graph@@"

# How the reference makes each adapter: no cluster, no ray.init, nothing
# written beside the example (`tmp` is a fresh folder). Others: `cls()`.
ADAPTERS: dict[str, str] = {
    "hamilton.plugins.h_dask.DaskGraphAdapter": "cls(None, base.PandasDataFrameResult())",
    "hamilton.plugins.h_ray.RayGraphAdapter": "cls(result_builder=base.DictResult())",
    "hamilton.plugins.h_spark.SparkKoalasGraphAdapter": (
        "cls(None, base.PandasDataFrameResult(), 'index_col')"
    ),
    "hamilton.experimental.h_cache.CachingGraphAdapter": "cls(tmp, base.PandasDataFrameResult())",
    "hamilton.plugins.h_schema.SchemaValidator": "cls(tmp)",
    "hamilton.plugins.h_experiments.ExperimentTracker": "cls('bench', tmp)",
}

REFERENCE_SCRIPT = """
import contextlib, importlib, json, sys, tempfile, traceback
spec = json.loads(sys.argv[1])
sys.path.insert(0, spec["folder"])
try:
    with contextlib.redirect_stdout(sys.stderr):
        from hamilton import base, driver
        modules = [importlib.import_module(name) for name in spec["modules"]]
        builder = driver.Builder().with_modules(*modules).with_config(spec["config"])
        if spec["adapter"]:
            where, _, name = spec["adapter"].rpartition(".")
            cls = getattr(importlib.import_module(where), name)
            tmp = tempfile.mkdtemp(prefix="compat-")
            adapter = eval(spec["make"], {"cls": cls, "base": base, "tmp": tmp})
            builder = builder.with_adapters(adapter)
        if spec["overrides"]:
            builder = builder.allow_module_overrides()
        if spec["dynamic"]:
            builder = builder.enable_dynamic_execution(allow_experimental_mode=True)
        graph = builder.build().graph
        result = {"graph": {n.name: sorted(n.input_types) for n in graph.nodes.values()}}
        last = {n.name: (n.originating_functions or (None,))[-1] for n in graph.nodes.values()}
        result["origins"] = {
            name: [f.__name__, getattr(f, "__original_name__", f.__name__)] if f else []
            for name, f in last.items()
        }
except BaseException as error:
    traceback.print_exc()
    result = {"error": (f"{type(error).__name__}: {error}".strip().splitlines() or ["?"])[0]}
print("\\n" + sys.argv[2] + json.dumps(result))
"""


@dataclass
class Outcome:
    case: str
    example: str
    driver: str
    pattern: str
    nodes: int | None = None
    match: str = "n/a"
    why: str = ""
    reference_error: str = ""
    studio_dataflow: str = ""
    studio_error: str = ""
    reference_seconds: float = 0.0
    studio_seconds: float = 0.0


# -- the two sides ----------------------------------------------------------------------------


def run_reference(case: Case, folder: Path) -> tuple[dict[str, list[str]] | None, str, float]:
    """Plain Hamilton's graph of the case: (graph, error, seconds)."""
    graph, _, error, seconds = run_reference_with_origins(case, folder)
    return graph, error, seconds


def run_reference_with_origins(
    case: Case, folder: Path
) -> tuple[dict[str, list[str]] | None, dict[str, list[str]], str, float]:
    """`run_reference`, with each node's decorated function (its names: as Hamilton
    leaves it, and in the source)."""
    spec = {
        "folder": str(folder),
        "modules": list(case.modules),
        "config": case.config,
        "adapter": case.adapter,
        "make": ADAPTERS.get(case.adapter or "", "cls()"),
        "overrides": case.overrides,
        "dynamic": case.dynamic,
    }
    command = [str(venv_python()), "-c", REFERENCE_SCRIPT, json.dumps(spec), MARKER]
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command,
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=REFERENCE_TIMEOUT,
            env=subprocess_env(),
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None, {}, f"timed out after {REFERENCE_TIMEOUT} s", time.perf_counter() - started
    seconds = time.perf_counter() - started
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(MARKER):
            result = json.loads(line[len(MARKER) :])
            origins = result.get("origins", {})
            return result.get("graph"), origins, result.get("error", ""), seconds
    last = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
    return None, {}, last[:200], seconds


def compare(reference: dict[str, list[str]], studio: dict[str, set[str]]) -> str:
    """'' when the graphs are equal, else one line saying how they differ."""
    missing = sorted(reference.keys() - studio.keys())
    extra = sorted(studio.keys() - reference.keys())
    changed = sorted(n for n in reference.keys() & studio.keys() if set(reference[n]) != studio[n])
    parts = []
    if missing:
        parts.append(f"studio lacks {len(missing)} nodes: {_names(missing)}")
    if extra:
        parts.append(f"studio has {len(extra)} extra: {_names(extra)}")
    if changed:
        first = changed[0]
        plus = sorted(studio[first] - set(reference[first]))
        minus = sorted(set(reference[first]) - studio[first])
        delta = " ".join([*(f"+{d}" for d in plus), *(f"-{d}" for d in minus)][:4])
        parts.append(
            f"different deps on {len(changed)} nodes: {_names(changed)} ({first}: {delta})"
        )
    return "; ".join(parts)


def _names(names: list[str]) -> str:
    shown = ", ".join(f"`{n}`" for n in names[:3])
    return shown + (f" +{len(names) - 3} more" if len(names) > 3 else "")


def run_case(case: Case, examples: Path, failed_packages: dict[str, str]) -> Outcome:
    driver = f"{case.driver} ({case.label})" if case.label else case.driver or "—"
    outcome = Outcome(case.name, case.example, driver, case.pattern)
    folder = examples / case.example
    if case.name in failed_packages:
        outcome.why = failed_packages[case.name] + (f" ({case.note})" if case.note else "")
        return outcome
    graph, error, outcome.reference_seconds = run_reference(case, folder / case.search_path)

    def matches(nodes: dict[str, set[str]] | None) -> bool:
        return graph is not None and nodes is not None and not compare(graph, nodes)

    studio: StudioResult = run_studio(case, folder, venv_python(), subprocess_env(), matches)
    outcome.studio_seconds = studio.seconds
    outcome.studio_dataflow = studio.dataflow
    outcome.studio_error = studio.error
    if graph is None:
        outcome.reference_error = error
        outcome.why = f"reference fails: {error}"
        return outcome
    outcome.nodes = len(graph)
    if studio.unavailable:
        outcome.why = studio.error
        return outcome
    if studio.nodes is None:
        outcome.match, outcome.why = "no", f"studio: {studio.error}"
        return outcome
    difference = compare(graph, studio.nodes)
    outcome.match = "no" if difference else "yes"
    given = ", ".join(f"`{k}`" for k in studio.given)
    if difference:
        hint = f" (studio: {studio.error})" if studio.error else ""
        outcome.why = difference + hint
    elif given:
        outcome.why = (
            f"after giving {given} in the Config panel (the script sets it when it runs; "
            "the studio shows it empty, with the line)"
        )
    return outcome


# -- the report -------------------------------------------------------------------------------


def table(outcomes: list[Outcome]) -> list[str]:
    lines = [
        "| example | driver script | driver pattern | nodes | match | why not |",
        "|---|---|---|---:|---|---|",
    ]
    for o in outcomes:
        why = o.why.replace("|", "\\|")
        nodes = "—" if o.nodes is None else str(o.nodes)
        lines.append(f"| {o.example} | {o.driver} | {o.pattern} | {nodes} | {o.match} | {why} |")
    for skipped in SKIPPED:
        driver = skipped.driver or "—"
        lines.append(f"| {skipped.example} | {driver} | — | — | skipped | {skipped.reason} |")
    return lines


def summary(outcomes: list[Outcome]) -> str:
    built = [o for o in outcomes if o.nodes is not None]
    matched = sum(o.match == "yes" for o in built)
    no_packages = sum(o.why.startswith("packages do not install") for o in outcomes)
    reference_fails = sum(bool(o.reference_error) for o in outcomes)
    return (
        f"**{matched} of {len(built)} match** (cases whose reference graph built); "
        f"{no_packages} cases' packages do not install, {reference_fails} references fail; "
        f"{len(SKIPPED)} examples skipped (network or credentials at import, or gone from "
        "their dependencies)."
    )


def write_doc(outcomes: list[Outcome], versions: dict[str, str], seconds: float) -> None:
    today = datetime.date.today().isoformat()
    libs = ", ".join(f"{name} {version}" for name, version in sorted(versions.items()))
    intro = f"""# Compatibility with Hamilton's examples

How well `studio graph` reads real Hamilton projects: each row is one driver
script of Apache Hamilton's `examples/` folder. The reference is plain Hamilton
building the driver the way the script does (its modules, its config as the
author meant it when run with no arguments, its adapter, overrides and dynamic
execution); the studio reads the same folder without running the script. A row
matches when both graphs have the same nodes and each node the same
dependencies. The cases and what each script does are in
`bench/compat_cases.py`.

Re-run it from the repository root (the first run makes `.bench-cache/compat-venv`):

```sh
.venv/bin/python bench/bench_compatibility.py --examples PATH/TO/hamilton/examples --write
```

Measured on {today} with {libs} (Python 3.12), in {seconds:.0f} s. The bench
venv holds pandas below 3, as the examples expect: `pyspark.pandas` does not
import with pandas 3.

"""
    lines = [intro.rstrip("\n"), "", *table(outcomes), "", summary(outcomes), ""]
    lines += ["## Skipped examples", ""]
    lines += [f"- `{s.example}` ({s.driver or 'no driver'}): {s.reason}" for s in SKIPPED]
    kept = other_sections(DOC.read_text(), {"## Skipped examples"}) if DOC.exists() else ""
    # (the static section, like the others, is kept as it is)
    DOC.write_text("\n".join(lines) + "\n" + (f"\n{kept}" if kept else ""))


def main(argv: list[str] | None = None) -> int:
    if "--notebooks" in (sys.argv[1:] if argv is None else argv):
        return _notebooks(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=Path, required=True, help="Hamilton's examples/")
    parser.add_argument("--write", action="store_true", help="write docs/COMPATIBILITY.md")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="cases to run")
    parser.add_argument(
        "--static",
        action="store_true",
        help="compare `studio graph --static` (read from source) instead",
    )
    options = parser.parse_args(argv)
    examples = options.examples.resolve()
    if not examples.is_dir():
        parser.error(f"{examples} is not a folder")
    cases = [c for c in CASES if not options.only or {c.name, c.example} & set(options.only)]
    if not cases:
        parser.error("no case has that name; names are " + ", ".join(c.name for c in CASES))
    if options.static:
        from bench.compat_static_run import main_static

        return main_static(cases, examples, options.write)
    started = time.perf_counter()
    failed_packages, venv_seconds = ensure_venv()
    if venv_seconds:
        print(f"bench: venv ready in {venv_seconds:.0f} s")
    for case in cases:
        if case.name in failed_packages:
            print(f"bench: {case.name}: {failed_packages[case.name]}")
    outcomes = []
    for case in cases:
        outcome = run_case(case, examples, failed_packages)
        outcomes.append(outcome)
        print(
            f"{outcome.match:>4}  {case.name}  nodes={outcome.nodes}  "
            f"ref {outcome.reference_seconds:.1f}s studio {outcome.studio_seconds:.1f}s  "
            f"{outcome.why}",
            flush=True,
        )
    seconds = time.perf_counter() - started
    print("\n" + "\n".join(table(outcomes)) + "\n\n" + summary(outcomes))
    print(f"\nbench: {len(cases)} cases in {seconds:.0f} s")
    results = CACHE / "compat-results.json"
    results.write_text(json.dumps([asdict(o) for o in outcomes], indent=2))
    if options.write:
        versions = installed_versions(["apache-hamilton", "pandas", "numpy"])
        write_doc(outcomes, versions, seconds)
        print(f"bench: wrote {DOC.relative_to(ROOT)}")
    return 0


# -- notebooks (issue 30): a bench of its own, bench/compat_notebooks.py ------------------------


def _notebooks(argv: list[str]) -> int:
    """`--notebooks [--venv] [--write] [--only NAME ...]`: Hamilton's example notebooks."""
    from bench import compat_notebooks

    parser = argparse.ArgumentParser(description=compat_notebooks.__doc__.splitlines()[0])
    parser.add_argument("--notebooks", action="store_true", required=True)
    parser.add_argument("--write", action="store_true", help="write docs/COMPATIBILITY.md")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="notebooks to run")
    parser.add_argument("--venv", action="store_true", help="run in the notebook bench venv")
    options = parser.parse_args(argv)
    return compat_notebooks.main(options.write, options.only, options.venv)


if __name__ == "__main__":
    sys.exit(main())
