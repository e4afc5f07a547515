"""The same CPU-heavy dataflow on every executor the studio offers, side by side.

A synthetic Hamilton module, written into a temporary folder: `seed`, eight
independent branches `branch_0..branch_7(seed)` of numpy work and
`total(branch_0, ..., branch_7)`, their sum. Each branch is a small
simulation: a matrix product and `tanh` per step (BLAS and the ufunc release
the GIL) plus some Python bookkeeping on a few rows (which holds it), so
threads help only partly. BLAS is held to one thread (OMP_NUM_THREADS and
the like, set before numpy is imported and inherited by every worker), so
that Local is really serial. The number of steps is calibrated at start, in
this process, so that one branch alone takes `--seconds` here.

Each executor is loaded and run through the studio's own `Runner`, as the
kernel runs it (`recompute=True`, no disk cache): first its cluster is
started (Dask: a LocalCluster of one-thread worker processes, Ray:
`ray.init(num_cpus=...)`; nothing for the others), then one untimed
warm-up run, then `--repeat` timed runs. Per executor it reports:

- start s: starting the cluster (Dask, Ray); a process pool is made per run;
- first s: the warm-up run, after the start;
- median s: the median wall time of the timed runs (`Runner.run`, end to end);
- speed-up: Local's median / this median;
- overhead/node: (median - ideal) / nodes, in ms, where ideal = Local's median
  / P and P = min(CPU count, branches), the parallelism this machine can give
  (2 on two cores); what the executor costs per node beyond perfect use of
  the cores (negative: better than ideal, e.g. a faster core when one is busy);
- range s: the fastest and slowest timed run (this machine may be shared: the
  load average before and after the benchmark is printed too);
- branch s: the mean seconds of one branch as the runner reports it (on the
  task executors: from the task's submission to its return, seen by the kernel);
- own cpu s: CPU seconds of this process (all its threads) per run, median: the
  work itself for Local and Threads, the cost of coordinating for the others;
- identical: whether `total` equals (==) Local's, bit for bit; otherwise how far
  off it is, relative. BLAS may round differently in another process (its
  kernels depend on how the arrays are aligned in memory), so results within
  1e-12 of Local's count as the same; further off fails the benchmark.

A last row, "plain pool", runs the same branch functions in a plain
`multiprocessing` pool (fork) of as many processes, without Hamilton or the
studio, in the same rounds: the speed-up this machine gives at best.

    .venv/bin/python -m bench.bench_executors [--executors local threads processes dask ray]
        [--repeat 2] [--seconds 1.0] [--branches 8] [--json PATH]

Exits 1 when an executor's `total` differs from Local's or a run fails.
"""

from __future__ import annotations

import os

# Before numpy is imported anywhere: BLAS on one thread, here and in every worker.
os.environ["OMP_NUM_THREADS"] = "1"
os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["MKL_NUM_THREADS"] = "1"
os.environ.setdefault("HAMILTON_TELEMETRY_ENABLED", "false")

import argparse
import importlib
import json
import multiprocessing
import platform
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bench.executor_flow import SIZE, calibrate, flow_source

if TYPE_CHECKING:
    from studio.kernel.loading.graph_builder import LoadedDataflow
    from studio.kernel.running.runner import Runner, RunOutcome

SAME_WITHIN = 1e-12
"""Relative difference from Local's total still counted as the same result."""

_STARTED = time.perf_counter()


def say(message: str) -> None:
    print(f"[{time.perf_counter() - _STARTED:7.1f} s] {message}", file=sys.stderr, flush=True)


@dataclass
class Measured:
    executor: str
    workers: int = 0
    start: float | None = None
    first: float = 0.0
    runs: list[float] = field(default_factory=list)
    branch_seconds: list[float] = field(default_factory=list)
    """Mean seconds of one branch in each timed run, as the runner reports it."""
    own_cpu: list[float] = field(default_factory=list)
    """CPU seconds of this process in each timed run."""
    nodes: int = 0
    total: float | None = None
    stop: float = 0.0
    error: str = ""
    environment: dict[str, str | None] = field(default_factory=dict)
    """What starting the executor changed in this process's environment."""
    reference: bool = False
    """Not an executor: the machine's ceiling (no warm-up, branch or own cpu figures)."""

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_once(
    runner: Runner, loaded: LoadedDataflow, executor: str, root: Path
) -> tuple[float, float, RunOutcome]:
    from studio.core.protocol import RunStatus
    from studio.core.runs.executors import ExecutorChoice

    runner.clear()
    started, cpu = time.perf_counter(), cpu_seconds()
    outcome = runner.run(
        loaded, ["total"], executor=ExecutorChoice.parse(executor), root=root, recompute=True
    )
    wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    if outcome.status is not RunStatus.DONE:
        raise RuntimeError(f"run {outcome.status}: {outcome.message}")
    return wall, cpu, outcome


@dataclass
class Prepared:
    """An executor ready to be timed: its runner (and cluster), started and warmed up."""

    measured: Measured
    runner: Runner | None = None


def prepare(executor: str, loaded: LoadedDataflow, root: Path) -> Prepared:
    """Start the executor's cluster (timed apart) and make one untimed warm-up run."""
    from studio.core.runs.executors import ExecutorChoice, engine_installed
    from studio.kernel.executors.clusters import default_workers
    from studio.kernel.running.runner import Runner

    measured = Measured(executor)
    choice = ExecutorChoice.parse(executor)
    if not engine_installed(choice):
        measured.error = f"not installed: {choice.install_hint}"
        return Prepared(measured)
    prepared = Prepared(measured, Runner())
    before = dict(os.environ)
    clusters = prepared.runner.task_drivers.clusters
    try:
        measured.workers = 1 if choice.is_local else default_workers()
        if choice.package is not None:
            # What the first run would do, timed apart (the same import paths as the studio's).
            assert loaded.dataflow is not None
            folder = root.resolve()
            started = time.perf_counter()
            clusters.ensure(choice, [folder / loaded.dataflow.search_path, folder])
            measured.start = time.perf_counter() - started
            state = clusters.state()
            measured.workers = state.workers if state is not None else 0
            say(f"{executor}: cluster of {measured.workers} started in {measured.start:.2f} s")
        measured.first, _, _ = run_once(prepared.runner, loaded, executor, root)
        say(f"{executor}: warm-up run {measured.first:.2f} s")
    except Exception as error:
        measured.error = f"{type(error).__name__}: {error}"
        say(f"{executor}: failed: {measured.error}")
    measured.environment = changed_since(before)
    return prepared


def time_one_run(prepared: Prepared, loaded: LoadedDataflow, root: Path) -> None:
    measured = prepared.measured
    if measured.error or prepared.runner is None:
        return
    try:
        wall, cpu, outcome = run_once(prepared.runner, loaded, measured.executor, root)
    except Exception as error:
        measured.error = f"{type(error).__name__}: {error}"
        return
    total = prepared.runner.results["total"]
    if measured.total is not None and total != measured.total:
        measured.error = f"total changed between runs: {measured.total!r}, {total!r}"
    measured.total = total if measured.total is None else measured.total
    measured.runs.append(wall)
    measured.own_cpu.append(cpu)
    branches = [n.seconds for n in outcome.nodes if n.name.startswith("branch_")]
    measured.branch_seconds.append(statistics.fmean(branches))
    measured.nodes = len(outcome.nodes)
    say(f"{measured.executor}: run {len(measured.runs)} {wall:.2f} s, own cpu {cpu:.2f} s")


def _branch(index: int) -> float:
    module = importlib.import_module("heavy")
    return getattr(module, f"branch_{index}")(module.seed())


def time_plain_pool(measured: Measured, root: Path, branches: int) -> None:
    """The branches alone in a plain `multiprocessing` pool of as many processes as the
    parallel executors have workers, without Hamilton or the studio: what this machine
    gives at best, measured in the same rounds."""
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(measured.workers) as pool:
        values = pool.map(_branch, range(branches), chunksize=1)
    measured.runs.append(time.perf_counter() - started)
    measured.total = sum(values, 0.0)
    measured.nodes, measured.own_cpu, measured.branch_seconds = branches, [0.0], [0.0]


def finish(prepared: Prepared) -> Measured:
    """Stop the executor's cluster (timed)."""
    measured = prepared.measured
    if prepared.runner is not None:
        started = time.perf_counter()
        prepared.runner.task_drivers.clusters.stop()
        measured.stop = time.perf_counter() - started
    return measured


def changed_since(environment: dict[str, str]) -> dict[str, str | None]:
    """What changed in this process's environment since (None: removed): an engine
    that leaves variables behind changes every process the kernel starts later."""
    names = set(os.environ) | set(environment)
    return {n: os.environ.get(n) for n in names if os.environ.get(n) != environment.get(n)}


@dataclass
class Row:
    measured: Measured
    speed_up: float | None
    overhead_ms: float | None
    identical: bool | None
    off: float = 0.0
    """How far `total` is from Local's, relative (0: bit for bit)."""


def rows_of(measured: list[Measured], parallelism: int) -> tuple[list[Row], Measured | None]:
    """Speed-up, overhead per node and identity, against Local (else the first that ran)."""
    done = [m for m in measured if not m.error and m.runs]
    local = next((m for m in done if m.executor == "local"), None)
    reference = local or (done[0] if done else None)
    rows = []
    for m in measured:
        if m.error or not m.runs:
            rows.append(Row(m, None, None, None))
            continue
        speed_up = overhead = None
        if local is not None:
            speed_up = local.median / m.median
            if m is not local:
                overhead = (m.median - local.median / parallelism) / m.nodes * 1000
        off = 0.0
        if reference is not None and m.total is not None and reference.total is not None:
            off = abs(m.total - reference.total) / max(abs(reference.total), 1e-300)
        identical = reference is not None and off <= SAME_WITHIN
        rows.append(Row(m, speed_up, overhead, identical, off))
    return rows, reference


def table(rows: list[Row]) -> str:
    header = ["executor", "workers", "start s", "first s", "median s", "speed-up"]
    header += ["range s", "overhead/node", "branch s", "own cpu s", "identical"]
    lines, failures = [header], []
    for row in rows:
        m = row.measured
        if m.error or not m.runs:
            failures.append(f"{m.executor}: FAILED: {m.error}")
            continue
        lines.append(
            [
                m.executor,
                str(m.workers),
                "—" if m.start is None else f"{m.start:.2f}",
                "—" if m.reference else f"{m.first:.2f}",
                f"{m.median:.2f}",
                "—" if row.speed_up is None else f"{row.speed_up:.2f}x",
                f"{min(m.runs):.2f}-{max(m.runs):.2f}",
                "—" if row.overhead_ms is None else f"{row.overhead_ms:+.0f} ms",
                "—" if m.reference else f"{statistics.median(m.branch_seconds):.2f}",
                "—" if m.reference else f"{statistics.median(m.own_cpu):.2f}",
                ("yes" if row.off == 0 else f"{row.off:.0e} off") if row.identical else "no",
            ]
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = [
        "  ".join(
            [line[0].ljust(widths[0])]
            + [c.rjust(w) for c, w in zip(line[1:], widths[1:], strict=True)]
        )
        for line in lines
    ]
    out.insert(1, "-" * len(out[0]))
    return "\n".join(out + failures)


def left_processes(wait: float = 10.0) -> list[str]:
    """This process's children still alive after every cluster was stopped, given
    `wait` seconds to go; multiprocessing's resource tracker (which ends with this
    process) does not count."""
    import psutil

    deadline = time.perf_counter() + wait
    while True:
        left = []
        for child in psutil.Process().children(recursive=True):
            try:
                command = " ".join(child.cmdline())[:100]
            except psutil.Error:
                continue
            if "resource_tracker" not in command:
                left.append(f"{child.pid} {command}")
        if not left or time.perf_counter() > deadline:
            return left
        time.sleep(0.5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--executors", nargs="+", default=["local", "threads", "processes", "dask", "ray"]
    )
    parser.add_argument("--repeat", type=int, default=2, help="timed runs per executor")
    parser.add_argument("--seconds", type=float, default=1.0, help="one branch alone, here")
    parser.add_argument("--branches", type=int, default=8)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    options = parser.parse_args()

    from studio.core.runs.executors import ExecutorChoice, ExecutorError
    from studio.kernel.loading.project_load import load_project

    for text in options.executors:
        try:
            ExecutorChoice.parse(text)  # an unknown name stops here, before any work
        except ExecutorError as error:
            parser.error(str(error))
    cpus = os.cpu_count() or 1
    load_before = os.getloadavg()
    parallelism = max(1, min(cpus, options.branches))
    say(f"calibrating one branch to {options.seconds:.2f} s")
    calibration = calibrate(options.seconds)
    say(
        f"{calibration.steps} steps of {calibration.step_ms:.3f} ms; one branch alone "
        f"{calibration.branch_seconds:.2f} s; GIL held {calibration.gil_share:.0%} of a step"
    )
    with tempfile.TemporaryDirectory(prefix="studio-bench-executors-") as temporary:
        root = Path(temporary) / "heavy_flow"
        root.mkdir()
        (root / "heavy.py").write_text(flow_source(options.branches, calibration.steps))
        previous = Path.cwd()
        try:
            load = load_project(root)
        finally:
            os.chdir(previous)  # the kernel stays in the project folder; a script need not
        loaded = load.loaded
        if loaded.snapshot.errors or loaded.dataflow is None:
            print(f"the synthetic dataflow did not load: {loaded.snapshot.errors}", file=sys.stderr)
            return 1
        # Interleaved rounds: a machine that slows down for a while slows every executor.
        prepared = [prepare(executor, loaded, root) for executor in options.executors]
        ceiling = Measured("plain pool", workers=parallelism, reference=True)
        try:
            for _ in range(options.repeat):
                for one in prepared:
                    time_one_run(one, loaded, root)
                time_plain_pool(ceiling, root, options.branches)
        finally:
            measured = [*(finish(one) for one in prepared), ceiling]
    rows, reference = rows_of(measured, parallelism)
    elapsed = time.perf_counter() - _STARTED
    load_after = os.getloadavg()
    left = left_processes()

    import numpy as np

    print(
        f"{cpus} CPUs, Python {platform.python_version()}, numpy {np.__version__}, "
        f"BLAS threads 1 (OPENBLAS/OMP/MKL_NUM_THREADS)"
    )
    print(
        f"dataflow: seed, {options.branches} branches, total; {calibration.steps} steps of "
        f"{SIZE}x{SIZE} products per branch, one branch alone {calibration.branch_seconds:.2f} s, "
        f"GIL held {calibration.gil_share:.0%} of a step"
    )
    print(
        f"{options.repeat} timed rounds (one run of each executor per round, after one warm-up "
        "each); recompute, no disk cache"
    )
    local = reference if reference is not None and reference.executor == "local" else None
    if local is not None:
        print(
            f"ideal wall = Local median / {parallelism} = {local.median / parallelism:.2f} s; "
            f"overhead/node = (median - ideal) / {local.nodes} nodes"
        )
    print()
    print(table(rows))
    print()
    if reference is not None:
        print(f"total ({reference.executor}): {reference.total!r}")
    identical = all(r.identical for r in rows if r.identical is not None)
    failed = [r.measured.executor for r in rows if r.identical is None and not r.measured.reference]
    print(f"identical: {'yes' if identical else 'no'}" + (f"; failed: {failed}" if failed else ""))
    for row in rows:
        if changed := row.measured.environment:
            names = ", ".join(f"{k}={v}" if v is not None else f"-{k}" for k, v in changed.items())
            print(f"{row.measured.executor} changed this process's environment: {names}")
    print(f"whole benchmark: {elapsed:.1f} s")
    loads = ["/".join(f"{x:.2f}" for x in load) for load in (load_before, load_after)]
    print(f"load average (1/5/15 min) before: {loads[0]}, after: {loads[1]}")
    print(f"processes left by this benchmark: {', '.join(left) if left else 'none'}")
    if options.json is not None:
        figures = {
            "cpus": cpus,
            "parallelism": parallelism,
            "calibration": asdict(calibration),
            "branches": options.branches,
            "repeat": options.repeat,
            "seconds": elapsed,
            "identical": identical,
            "load_before": load_before,
            "load_after": load_after,
            "left_processes": left,
            "failed": failed,
            "executors": [
                {
                    **asdict(r.measured),
                    "median": r.measured.median if r.measured.runs else None,
                    "speed_up": r.speed_up,
                    "overhead_ms_per_node": r.overhead_ms,
                    "identical": r.identical,
                }
                for r in rows
            ],
        }
        options.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0 if identical and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
