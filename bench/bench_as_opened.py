"""Runs as opened: does `studio run` compute what a Hamilton driver script computes?

For each case (one of Hamilton's example driver scripts that runs offline
with the studio's own `.venv`), the bench copies the example out of the
git mirror (`bench/hamilton_examples.py`) twice and compares two runs:

- PLAIN: `python SCRIPT` in the example's folder, unedited, with
  `bench/as_opened_capture.py` as `sitecustomize`: it pickles the node
  values of every `Driver.execute` / `raw_execute` / `materialize` call;
  the outputs of all calls, the last call winning a name, are the
  reference;
- STUDIO: `studio run FOLDER --dataflow NAME -o OUT.pkl` with no node
  names: the studio computes what the script asks for, with the script's
  own inputs, and writes a dict output name -> value.

Each output is compared with pandas' `assert_*_equal`, nan-aware
`numpy.array_equal`, `==`, else pickle bytes. A case whose values are random
by design is compared by type and shape only.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.bench_as_opened [--write] [--only NAME]

`--write` puts the table into docs/COMPATIBILITY.md, section "Runs as opened
(issue 28)", leaving the rest of the page as it is.
"""

from __future__ import annotations

import argparse
import datetime
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from bench.bench_compatibility import DOC
from bench.compat_venv import ROOT, subprocess_env
from bench.doc_sections import replace_section
from bench.hamilton_examples import extract_example, mirror_commit

PYTHON = ROOT / ".venv" / "bin" / "python"
STUDIO = ROOT / ".venv" / "bin" / "studio"
CAPTURE = Path(__file__).with_name("as_opened_capture.py")
HEADING = "## Runs as opened (issue 28)"
PLAIN_TIMEOUT = 120
STUDIO_TIMEOUT = 180
UNPICKLABLE = "__unpicklable__"
NOT_YET = "the following arguments are required: NODE"  # studio run before issue 28


@dataclass(frozen=True)
class Case:
    example: str  # folder under examples/
    script: str  # relative to it; a dotted name when `module` is set
    dataflow: str  # the studio's name for the script's dataflow
    what: str  # what the script passes and asks for, briefly
    args: tuple[str, ...] = ()
    module: bool = False  # run as `python -m SCRIPT`
    plain_exit: int = 0  # the exit status the script has by design
    random_values: bool = False  # compare type and shape only
    note: str = ""


@dataclass(frozen=True)
class Skipped:
    example: str
    script: str
    reason: str


CASES: list[Case] = [
    Case("hello_world", "my_script.py", "my_script",
         "inputs: two pd.Series built in the script; 5 outputs as a data frame"),
    Case("pandas/split-apply-combine", "my_script.py", "my_wrapper",
         "inputs: a frame parsed from a text table, dicts of rates; driver in a wrapper class",
         note="the driver (my_wrapper.py) takes its inputs as arguments of "
         "TaxCalculator.calculate(): the studio takes them from its one call, in "
         "my_script.py (line 67), with only the part of my_script.py they need"),
    Case("data_quality/simple", "run.py", "run",
         "literal config (a CSV location); @check_output validators; a frame of features"),
    Case("data_quality/simple", "run_dask.py", "run_dask",
         "the same, on a local Dask cluster (DaskGraphAdapter)"),
    Case("module_overrides", "run.py", "run",
         "two modules defining one node, .allow_module_overrides(); inputs={}"),
    Case("caching_nodes/caching_graph_adapter", "run.py", "run",
         "node objects as outputs, CachingGraphAdapter writing to tmp/"),
    Case("validation/static_validator", "run.py", "run · good_module",
         "a custom StaticValidator; output by function object", plain_exit=1,
         note="exits 1 by design (its second driver fails validation)"),
    Case("feature_engineering/write_once_run_everywhere_blog_post", "contexts.batch",
         "batch", "inputs from a helper (datetime.now()); a click subcommand",
         args=("run",), module=True, random_values=True,
         note="predictions are random.random(): compared by type and shape"),
]  # fmt: skip

SKIPPED: list[Skipped] = [
    Skipped("reusing_functions", "main.py",
            "fails with pandas 3: resample('M') is no longer accepted ('ME')"),
    Skipped("schema", "dataflow.py",
            "Hamilton's SchemaValidator fails on the committed schema: AttributeError: "
            "'str' object has no attribute 'diff'"),
    Skipped("dask/hello_world", "run.py, run_with_delayed.py",
            "visualizes before executing: needs the graphviz Python package"),
    Skipped("model_examples/modular_example", "run.py",
            "only draws the graph (its execute call is commented out)"),
    Skipped("parallelism/lazy_threadpool_execution", "run.py",
            "imports hamilton_sdk after its first run and reports to a Hamilton UI server"),
    Skipped("pandas/materialization", "my_script.py", "to_xml needs lxml"),
    Skipped("numpy/air-quality-analysis, parallelism/graceful_running", "",
            "need scipy"),
    Skipped("experiment_management, styling_visualization, materialization, decoupling_io, "
            "scikit-learn/transformer, contrib, hamilton-tutorials/mpg-translation", "",
            "need scikit-learn (decoupling_io's titanic.csv is also missing from the mirror)"),
    Skipped("narwhals, polars", "", "need polars"),
    Skipped("data_loaders, schema (multi_dataflow.py)", "", "need duckdb"),
    Skipped("feature_engineering/feature_engineering_multiple_contexts", "etl.py",
            "needs pandera"),
    Skipped("async", "fastapi_example.py", "needs aiohttp and fastapi"),
    Skipped("caching_nodes/diskcache_adapter", "run.py", "needs diskcache"),
    Skipped("people_data_labs, parallelism/file_processing, parallelism/star_counting", "",
            "download their data first, or call the GitHub API (network)"),
    Skipped("lineage", "", "its data/*.csv are missing from the mirror"),
]  # fmt: skip


@dataclass
class Comparison:
    equal: list[str] = field(default_factory=list)
    differing: dict[str, str] = field(default_factory=dict)  # name -> how
    missing: list[str] = field(default_factory=list)  # in the plain run, not the studio's
    extra: list[str] = field(default_factory=list)  # in the studio's run only


@dataclass
class Outcome:
    case: Case
    plain: str = ""  # "yes (N calls)" or why not
    outputs: dict[str, Any] | None = None
    studio_exit: int | None = None
    studio_error: str = ""
    comparison: Comparison | None = None
    seconds: float = 0.0


# -- comparing values -------------------------------------------------------------------------


def difference(expected: Any, actual: Any, shape_only: bool = False) -> str:
    """'' when the two values are equal, else a short reason."""
    import numpy as np
    import pandas as pd
    import pandas.testing as pdt

    if _unpicklable(expected) or _unpicklable(actual):
        return "not picklable" if _unpicklable(actual) else "not picklable in the plain run"
    if type(expected) is not type(actual):
        return f"{type(expected).__name__} vs {type(actual).__name__}"
    if shape_only:
        same = getattr(expected, "shape", None) == getattr(actual, "shape", None)
        return "" if same else f"shape {expected.shape} vs {actual.shape}"
    checks: list[tuple[type, Any]] = [
        (pd.DataFrame, pdt.assert_frame_equal),
        (pd.Series, pdt.assert_series_equal),
        (pd.Index, pdt.assert_index_equal),
    ]
    if isinstance(expected, pd.Series) and expected.name is None:
        checks[1] = (pd.Series, partial(pdt.assert_series_equal, check_names=False))
    for kind, check in checks:
        if isinstance(expected, kind):
            try:
                check(expected, actual)
                return ""
            except AssertionError as error:
                return _first_line(str(error), 2)
    if isinstance(expected, np.ndarray):
        try:
            same = np.array_equal(expected, actual, equal_nan=True)
        except TypeError:  # equal_nan on object or string arrays
            same = np.array_equal(expected, actual)
        return "" if same else f"arrays differ (shape {expected.shape})"
    if isinstance(expected, dict):
        if expected.keys() != actual.keys():
            return "dicts with other keys"
        for key in expected:
            if reason := difference(expected[key], actual[key]):
                return f"[{key!r}]: {reason}"
        return ""
    if isinstance(expected, list | tuple):
        if len(expected) != len(actual):
            return f"length {len(expected)} vs {len(actual)}"
        for index, (left, right) in enumerate(zip(expected, actual, strict=True)):
            if reason := difference(left, right):
                return f"[{index}]: {reason}"
        return ""
    if isinstance(expected, float) and expected != expected and actual != actual:
        return ""  # both nan
    try:
        same = expected == actual
        if isinstance(same, bool | np.bool_):
            return "" if same else f"{_short(expected)} vs {_short(actual)}"
    except Exception:
        pass
    return "" if pickle.dumps(expected) == pickle.dumps(actual) else "pickles differ"


def compare_outputs(
    expected: dict[str, Any], actual: dict[str, Any], shape_only: bool = False
) -> Comparison:
    """Each plain-run output against the studio's value of the same name."""
    result = Comparison(extra=sorted(actual.keys() - expected.keys()))
    for name, value in expected.items():
        if name not in actual:
            result.missing.append(name)
        elif reason := difference(value, actual[name], shape_only):
            result.differing[name] = reason
        else:
            result.equal.append(name)
    return result


def plain_outputs(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The node values of all captured calls, a later call winning a name.

    A value that did not pickle (e.g. a Dask series) is taken from the call's
    returned data frame when it has that column, as the script saw it.
    """
    import pandas as pd

    outputs: dict[str, Any] = {}
    for record in records:
        returned = record.get("returned")
        for name, value in record.get("outputs", {}).items():
            if _unpicklable(value) and isinstance(returned, pd.DataFrame) and name in returned:
                value = returned[name].rename(None)  # a column's name is the frame's doing
            outputs[name] = value
    return outputs


def _unpicklable(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {UNPICKLABLE}


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _first_line(text: str, count: int = 1) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return (": ".join(lines[:count]) if lines else "?")[:160]


# -- the two runs -----------------------------------------------------------------------------


def run_plain(case: Case, folder: Path, work: Path) -> tuple[str, dict[str, Any] | None]:
    """Run the script unedited; ('yes (N calls)', outputs) or (why not, None)."""
    site = work / "site"
    site.mkdir(exist_ok=True)
    shutil.copy(CAPTURE, site / "sitecustomize.py")
    capture = work / "plain.pkl"
    env = subprocess_env() | {
        "PYTHONPATH": str(site),
        "AS_OPENED_CAPTURE": str(capture),
        "AS_OPENED_OFFLINE": "1",
    }
    target = ["-m", case.script] if case.module else [case.script]
    command = [str(PYTHON), *target, *case.args]
    try:
        done = subprocess.run(
            command, cwd=folder, env=env, capture_output=True, text=True, timeout=PLAIN_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        return f"no: timed out after {PLAIN_TIMEOUT} s", None
    records = pickle.loads(capture.read_bytes()) if capture.exists() else []
    if done.returncode != case.plain_exit or not records:
        last = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        why = last if done.returncode != case.plain_exit else "no execute call captured"
        return f"no: {why[:160]}", None
    calls = f"{len(records)} call{'s' if len(records) > 1 else ''}"
    return f"yes ({calls}{', exit 1 by design' if case.plain_exit else ''})", plain_outputs(records)


def run_studio(case: Case, folder: Path, work: Path) -> tuple[int, str, dict[str, Any] | None]:
    """`studio run` with no node names: (exit status, its first error line, outputs)."""
    out = work / "studio.pkl"
    command = [str(STUDIO), "run", str(folder), "--dataflow", case.dataflow, "-o", str(out)]
    try:
        done = subprocess.run(
            command,
            cwd=ROOT,
            env=subprocess_env(),
            capture_output=True,
            text=True,
            timeout=STUDIO_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return -1, f"timed out after {STUDIO_TIMEOUT} s", None
    lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    own = [line for line in lines if line.startswith("studio")]  # not a library's warning
    errors = [line for line in lines if "error" in line.lower() and not line.startswith("usage")]
    said = (own or errors or lines or [""])[0][:200]
    outputs = None
    if done.returncode == 0 and out.exists():
        try:
            loaded = pickle.loads(out.read_bytes())
            outputs = loaded if isinstance(loaded, dict) else None
            said = "" if outputs is not None else f"-o wrote a {type(loaded).__name__}, no dict"
        except Exception as error:
            said = f"its -o file does not load here: {_first_line(str(error))}"
    elif done.returncode == 0:
        said = "exit 0 but no -o file"
    return done.returncode, said, outputs


def run_case(case: Case) -> Outcome:
    outcome = Outcome(case)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="as-opened-") as temp:
        work = Path(temp)
        plain, studio = work / "plain", work / "studio"
        lacking = extract_example(case.example, plain)
        extract_example(case.example, studio)
        outcome.plain, outcome.outputs = run_plain(case, plain, work)
        if outcome.outputs is None and lacking:
            outcome.plain += f" (missing from the mirror: {', '.join(lacking[:3])})"
        outcome.studio_exit, outcome.studio_error, studio_outputs = run_studio(case, studio, work)
        if outcome.outputs is not None and studio_outputs is not None:
            outcome.comparison = compare_outputs(
                outcome.outputs, studio_outputs, case.random_values
            )
    outcome.seconds = time.perf_counter() - started
    return outcome


# -- the report -------------------------------------------------------------------------------


def _names(names: list[str]) -> str:
    shown = ", ".join(f"`{n}`" for n in names[:3])
    return shown + (f" +{len(names) - 3}" if len(names) > 3 else "")


def table(outcomes: list[Outcome]) -> list[str]:
    lines = [
        "| example | script | what it passes | plain run | outputs | studio exit | equal "
        "| differing | missing | studio says |",
        "|---|---|---|---|---:|---:|---:|---|---|---|",
    ]
    for o in outcomes:
        c = o.comparison
        count = "—" if o.outputs is None else str(len(o.outputs))
        equal = "—" if c is None else str(len(c.equal))
        differing = "—" if c is None else _names([f"{n}: {w}" for n, w in c.differing.items()])
        missing = "—" if c is None else _names(c.missing)
        script = " ".join([o.case.script, *o.case.args])
        said = o.studio_error.replace("|", "\\|")
        cells = [o.case.example, script, o.case.what, o.plain, count, str(o.studio_exit), equal]
        cells += [differing.replace("|", "\\|"), missing, said]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def summary(outcomes: list[Outcome]) -> str:
    ran = [o for o in outcomes if o.outputs is not None]
    same = [o for o in ran if o.comparison and not o.comparison.differing]
    same = [o for o in same if o.comparison and not o.comparison.missing]
    return (
        f"**{len(same)} of {len(ran)} run as opened** (every output of the plain run equal); "
        f"{len(outcomes) - len(ran)} plain runs failed here."
    )


def section(outcomes: list[Outcome], seconds: float) -> str:
    import numpy
    import pandas
    from hamilton import version

    hamilton = ".".join(str(part) for part in version.VERSION)
    lines = [
        HEADING,
        "",
        "Does `studio run PATH --dataflow NAME -o OUT.pkl`, given no node names,",
        "compute what the driver script computes when run with plain `python`? Each",
        "row is one of Hamilton's example scripts that runs offline with the studio's",
        "`.venv`, run unedited with a `sitecustomize` that pickles the node values of",
        "its `Driver.execute` / `raw_execute` / `materialize` calls",
        "(`bench/as_opened_capture.py`), beside the studio's `-o` dict; values are",
        "compared with pandas' `assert_*_equal`, nan-aware `numpy.array_equal`, `==`",
        "or pickle bytes. The cases are in `bench/bench_as_opened.py`. Re-run it with:",
        "",
        "```sh",
        "QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.bench_as_opened --write",
        "```",
        "",
        f"Measured on {datetime.date.today().isoformat()} with apache-hamilton {hamilton},",
        f"pandas {pandas.__version__}, numpy {numpy.__version__}, Hamilton's examples at",
        f"{mirror_commit()}, in {seconds:.0f} s.",
    ]
    if outcomes and all(NOT_YET in o.studio_error for o in outcomes):
        lines += [
            "This is the state before `studio run` without node names lands (it is being",
            "built on another branch): today the studio side stops at its usage error.",
        ]
    lines += ["", *table(outcomes), "", summary(outcomes), ""]
    notes = [f"- `{c.example}` ({c.script}): {c.note}" for c in CASES if c.note]
    lines += ["Notes:", "", *notes, ""] if notes else []
    lines += ["Tried and skipped (the plain run fails here, or needs the network):", ""]
    for s in SKIPPED:
        lines.append(f"- `{s.example}`{f' ({s.script})' if s.script else ''}: {s.reason}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write docs/COMPATIBILITY.md")
    parser.add_argument("--only", nargs="+", metavar="EXAMPLE", help="examples to run")
    options = parser.parse_args(argv)
    if options.write and options.only:
        parser.error("--write records every case: leave out --only")
    cases = [c for c in CASES if not options.only or c.example in options.only]
    if not cases:
        parser.error("no case has that example; they are " + ", ".join(c.example for c in CASES))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    outcomes = []
    for case in cases:
        outcome = run_case(case)
        outcomes.append(outcome)
        print(
            f"{case.example} {case.script}: plain {outcome.plain}; studio exit "
            f"{outcome.studio_exit} {outcome.studio_error} ({outcome.seconds:.0f} s)",
            flush=True,
        )
    seconds = time.perf_counter() - started
    print("\n" + "\n".join(table(outcomes)) + "\n\n" + summary(outcomes))
    if options.write:
        DOC.write_text(replace_section(DOC.read_text(), HEADING, section(outcomes, seconds)))
        print(f"bench: wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
