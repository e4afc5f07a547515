"""The benchmark suite: load, layout, save-to-canvas, drawing, UI stalls and run overhead.

For each size (synthetic feature-engineering projects of 100, 1,000, 5,000
and 20,000 nodes, see `bench/synthetic.py`) it opens the real window offscreen
with a real kernel and watchdog observer, and measures:

- load: discovery, import and graph build in the kernel, as the window
  sees it (request to reply), and how long until the graph is drawn;
- layout: every layout engine on the whole graph (every module expanded),
  beside plain Graphviz `dot` with its default settings, in the same run
  (`dot` not above 5,000 nodes);
- memory: the window's and the kernel's processes, beside plain Hamilton's peak;
- at 20,000 nodes, `studio graph` start to exit beside a plain Hamilton
  process that imports and builds, three of each in turn;
- save-to-canvas: from just before a changed module is written until the
  canvas shows the new node (every module expanded: the worst case);
- drawing: one full frame of the view fitted to the whole graph, and at 1:1;
- UI stalls: the longest gap of a 5 ms Qt timer during load, layout,
  reload and a run (load counts from the built window, whose own
  construction, before anything shows, is listed apart);
- run overhead (once): a 200-node DAG of cheap nodes run through the
  studio, against plain `Driver.execute` in a bare Python process and
  Hamilton with its result cache;
- plain Hamilton on each project (fresh process): import and build, then
  import again and rebuild, the references for load and save-to-canvas;
- launch (`launch_time.py`): `studio --smoke-test` from process start to the
  spaceflights graphs, three first launches and three relaunches (the graph
  kept from the last session), median and max.

Each size runs in a fresh process, as when a user starts the app on a
project (in one process, sizes measured earlier warm caches for later ones).

It prints a table and, with --write, puts it into docs/PERFORMANCE.md.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.suite [--sizes 100 1000 5000] [--write]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("STUDIO_CONFIG_DIR", tempfile.mkdtemp(prefix="studio-bench-"))
os.environ.setdefault("HAMILTON_TELEMETRY_ENABLED", "false")

import psutil

from bench import launch_time, plain_hamilton
from bench.event_loop import StallMeter, close_window, frame_seconds, settle, wait_until
from bench.suite_table import DOT_TIMEOUT, table, write_page
from bench.synthetic import generate, generate_cheap

SIZES = (100, 1000, 5000, 20000)
DOT_UP_TO = 5000
"""Above this `dot` (the engine and plain Graphviz) is not run: past 120 s at 5,000 already."""
WHOLE_PROCESS_FROM = 20000
"""From this size, `studio graph` is timed start to exit beside plain Hamilton's process."""
WHOLE_PROCESS_RUNS = 3


@dataclass
class SizeResult:
    nodes: int
    edges: int = 0
    modules: int = 0
    window_built: float = 0.0
    load: float = 0.0
    """The median of `loads`."""
    loads: list[float] = field(default_factory=list)
    """First loads of windows opened on the project one after another (each with a new
    kernel); the last is the measured window's."""
    drawn_after_load: float = 0.0
    expanded_drawn: float = 0.0
    layouts: dict[str, float | None] = field(default_factory=dict)
    save_to_canvas: list[float] = field(default_factory=list)
    frame_fitted: float = 0.0
    frame_one_to_one: float = 0.0
    stalls: dict[str, float] = field(default_factory=dict)
    collections: dict[str, float] = field(default_factory=dict)
    """Longest garbage-collection pause per phase (part of the stall, when there is one)."""
    run_seconds: float = 0.0
    plain_load: float = 0.0
    """Plain Hamilton, same project, fresh process: import the modules and build (the
    median of `plain_loads`, each in a process of its own)."""
    plain_loads: list[float] = field(default_factory=list)
    """Each measured just before the load of `loads` at the same place: the machine's
    speed drifts, so each load is compared with the plain load beside it."""
    plain_rebuilds: list[float] = field(default_factory=list)

    @property
    def load_ratio(self) -> float:
        """The median of the loads' ratios to the plain loads beside them."""
        pairs = zip(self.loads, self.plain_loads, strict=False)
        return statistics.median(load / plain for load, plain in pairs)

    @property
    def first_open_ratio(self) -> float:
        """The first load's ratio: the studio has kept nothing of the project yet, and
        plain Hamilton compiles its modules (no `__pycache__` yet) too."""
        return self.loads[0] / self.plain_loads[0]

    @property
    def reopen_ratio(self) -> float:
        """The later loads' (median) ratio: the studio reads its kept readings and
        compiled code, plain Hamilton its `__pycache__`."""
        pairs = list(zip(self.loads, self.plain_loads, strict=False))[1:]
        return statistics.median(load / plain for load, plain in pairs)

    plain_rebuild: float = 0.0
    """The same, importing them again and rebuilding (a save, without the studio)."""
    gui_memory: int = 0
    """The window's process (RSS, bytes) once the graph is drawn, every module expanded."""
    kernel_memory: int = 0
    """The kernel's process (RSS, bytes) at the same moment."""
    plain_peak: int = 0
    """Plain Hamilton's process at its peak (import, build, import again, rebuild)."""
    studio_graph: list[float] = field(default_factory=list)
    """`studio graph` start to exit (when measured: see `WHOLE_PROCESS_FROM`)."""
    plain_whole: list[float] = field(default_factory=list)
    """Plain Hamilton's whole process, each run just before the `studio graph` beside it."""


@dataclass
class Overhead:
    studio: float
    plain: float
    cached: float
    """Plain Hamilton with its result cache (`Builder.with_cache`), cold: every node
    computed and stored, as the studio's run does."""

    @property
    def ratio(self) -> float:
        return self.studio / self.plain

    @property
    def cache_ratio(self) -> float:
        return self.studio / self.cached


# -- the GUI side ----------------------------------------------------------------


def measure_window(folder: Path, result: SizeResult):
    """Everything measured on the real window; returns the expanded graph's layout request."""
    from studio.ui.app import create_window

    meter = StallMeter()
    shown: list[float] = []
    start = time.perf_counter()
    window = create_window(folder, trust=True)
    window.resize(1400, 900)
    result.window_built = result.window_built or time.perf_counter() - start
    controller, scene, view = window.controller, window.scene, window.view
    graph = window.workspace.graph
    controller.graph_shown.connect(lambda *_: shown.append(time.perf_counter()))
    with meter.phase("load"):
        wait_until(lambda: bool(shown))
        result.load = controller.timings["load"]
        loaded_at = controller.timings["load_started"] + result.load
        result.drawn_after_load = shown[0] - loaded_at
        wait_until(lambda: not scene.filling and not scene.animating)
    result.loads.append(result.load)
    result.load = statistics.median(result.loads)
    snapshot = graph.snapshot
    result.edges = len(snapshot.edges())
    result.modules = len({n.group for n in snapshot.nodes if n.group})
    settle(0.3)

    with meter.phase("layout"):
        before = len(shown)
        start = time.perf_counter()
        if graph.collapsed:
            graph.set_collapsed(set())
        else:  # small graphs open expanded: lay them out again
            graph.relayout()
        wait_until(lambda: len(shown) > before)
        result.expanded_drawn = time.perf_counter() - start
        wait_until(lambda: not scene.filling and not scene.animating)
    request = scene.sizes.layout_request(graph.display, graph.direction)
    result.gui_memory = psutil.Process().memory_info().rss
    kernel_pid = window.session.pid
    result.kernel_memory = psutil.Process(kernel_pid).memory_info().rss if kernel_pid else 0

    view.fit_all()
    settle(0.5)
    result.frame_fitted = frame_seconds(window)
    view.reset_zoom()
    view.centerOn(scene.graph_rect().center())
    settle(0.3)
    result.frame_one_to_one = frame_seconds(window)
    view.fit_all()
    settle(0.3)

    target = folder / "features_00.py"
    with meter.phase("reload"):
        for edit in range(3):
            name = f"bench_edit_{edit}"
            source = target.read_text() + (
                f"\n\ndef {name}(m0_a: pd.Series) -> pd.Series:\n    return m0_a * {edit + 2}\n"
            )
            start = time.perf_counter()
            target.write_text(source)
            wait_until(lambda name=name: name in scene.nodes or name in scene.drawn.owner)
            result.save_to_canvas.append(time.perf_counter() - start)
            wait_until(lambda: not scene.filling and not scene.animating)
            settle(0.4)

    window.inputs_panel.set_value("rows", "1000")
    with meter.phase("run"):
        start = time.perf_counter()
        record = window.run_controller.run(["m0_agg_0"])
        wait_until(lambda: record is not None and record.finished)
        result.run_seconds = time.perf_counter() - start
        settle(0.2)
    if record is None or record.status != "done":
        raise RuntimeError(f"the benchmark run did not finish: {record and record.message}")
    result.stalls = dict(meter.worst)
    result.collections = dict(meter.collections)
    close_window(window, meter)
    return request


LOADS = 3
"""Loads measured per size, and plain Hamilton's too: the machine's speed varies by a
fifth from one second to the next, more than one load against one build can tell."""


def plain_hamilton_now(folder: Path, result: SizeResult) -> None:
    load, rebuild, peak = plain_hamilton.measure(folder)
    result.plain_peak = max(result.plain_peak, peak)
    result.plain_loads.append(load)
    result.plain_rebuilds.append(rebuild)


def load_in_new_window(folder: Path, result: SizeResult) -> float:
    """The first load of a window opened on the folder (its own new kernel), closed after;
    the first window of the process gives the time to build a window."""
    from studio.ui.app import create_window

    start = time.perf_counter()
    window = create_window(folder, trust=True)
    window.resize(1400, 900)
    result.window_built = result.window_built or time.perf_counter() - start
    shown: list[bool] = []
    window.controller.graph_shown.connect(lambda *_: shown.append(True))
    wait_until(lambda: bool(shown), timeout=120)
    load = window.controller.timings["load"]
    settle(1.0)  # the versions that follow, and the collection after them
    window.close()
    window.shutdown()
    settle(1.0)
    return load


# -- layouts -----------------------------------------------------------------------


def _engine_in_child(request, engine: str, queue) -> None:
    from studio.core.layout import compute_layout

    start = time.perf_counter()
    compute_layout(request, engine)
    queue.put(time.perf_counter() - start)


def _plain_dot_in_child(request, queue) -> None:
    import pygraphviz

    graph = pygraphviz.AGraph(directed=True)
    for node in request.nodes:
        graph.add_node(node.name, label=node.name, shape="box")
    for source, target in request.edges:
        graph.add_edge(source, target)
    start = time.perf_counter()
    graph.layout(prog="dot")
    queue.put(time.perf_counter() - start)


def in_child(target: Callable, args: tuple, timeout: float) -> float | None:
    """Seconds reported by `target` run in a fresh process, or None when it ran out of time."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(*args, queue))
    process.start()
    process.join(timeout)
    if process.is_alive():
        process.kill()
        process.join()
        return None
    return queue.get() if not queue.empty() else None


def measure_layouts(request, dot: bool = True) -> dict[str, float | None]:
    from studio.core.layout import compute_layout
    from studio.core.layout.grouped_engine import BLOCK_ROUTES, INNER_LAYOUTS

    times: dict[str, float | None] = {}
    INNER_LAYOUTS.clear()
    BLOCK_ROUTES.clear()
    for engine in ("grouped", "layered"):
        start = time.perf_counter()
        compute_layout(request, engine)
        times[engine] = time.perf_counter() - start
    start = time.perf_counter()
    compute_layout(request, "grouped")
    times["grouped, modules cached"] = time.perf_counter() - start
    if dot:
        times["dot"] = in_child(_engine_in_child, (request, "dot"), DOT_TIMEOUT)
        times["plain dot (reference)"] = in_child(_plain_dot_in_child, (request,), DOT_TIMEOUT)
    return times


# -- run overhead ------------------------------------------------------------------

PLAIN_RUN = """
import sys, time, statistics
sys.path.insert(0, {folder!r})
import cheap
from hamilton import driver
dr = driver.Builder().with_modules(cheap).build()
names = [v.name for v in dr.list_available_variables()]
times = []
for _ in range({repeats}):
    start = time.perf_counter()
    dr.execute(names)
    times.append(time.perf_counter() - start)
print(statistics.median(times))
"""

PLAIN_CACHED_RUN = """
import sys, tempfile, time, statistics
sys.path.insert(0, {folder!r})
import cheap
from hamilton import driver
names = None
times = []
for _ in range({repeats}):
    start = time.perf_counter()
    dr = driver.Builder().with_modules(cheap).with_cache(path=tempfile.mkdtemp()).build()
    names = names or [v.name for v in dr.list_available_variables()]
    dr.execute(names)
    times.append(time.perf_counter() - start)
print(statistics.median(times))
"""


def measure_overhead(repeats: int = 5) -> Overhead:
    from studio.core.runs.run_plan import RunMode
    from studio.ui.app import create_window

    folder = Path(tempfile.mkdtemp(prefix="studio-cheap-"))
    generate_cheap(folder)
    plain, cached = (
        float(
            subprocess.run(
                [sys.executable, "-c", code.format(folder=str(folder), repeats=repeats)],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "HAMILTON_TELEMETRY_ENABLED": "false"},
            ).stdout.strip()
        )
        for code in (PLAIN_RUN, PLAIN_CACHED_RUN)
    )
    window = create_window(folder, trust=True)
    wait_until(lambda: window.workspace.graph.snapshot is not None and not window.scene.filling)
    settle(0.3)
    times = []
    for _ in range(repeats + 1):
        start = time.perf_counter()
        record = window.run_controller.run([], RunMode.ALL, recompute=True)
        wait_until(lambda record=record: record is not None and record.finished)
        times.append(time.perf_counter() - start)
        settle(0.1)
    window.close()
    window.shutdown()
    return Overhead(studio=statistics.median(times[1:]), plain=plain, cached=cached)


# -- the table -----------------------------------------------------------------------


def measure_size(nodes: int) -> SizeResult:
    """One size, measured in this process (a fresh one: see `main`)."""
    from studio.ui.app import create_application

    create_application()
    folder = Path(tempfile.mkdtemp(prefix=f"studio-bench-{nodes}-")) / "features"
    generate(folder, nodes)
    result = SizeResult(nodes)
    print(f"{nodes} nodes: window…", file=sys.stderr, flush=True)
    for _ in range(LOADS - 1):  # each load beside plain Hamilton's, measured just before it
        plain_hamilton_now(folder, result)
        result.loads.append(load_in_new_window(folder, result))
    plain_hamilton_now(folder, result)
    request = measure_window(folder, result)
    print(f"{nodes} nodes: layouts…", file=sys.stderr, flush=True)
    result.layouts = measure_layouts(request, dot=nodes <= DOT_UP_TO)
    if nodes >= WHOLE_PROCESS_FROM:
        print(f"{nodes} nodes: whole processes…", file=sys.stderr, flush=True)
        for _ in range(WHOLE_PROCESS_RUNS):
            result.plain_whole.append(plain_hamilton.whole_process(folder))
            result.studio_graph.append(plain_hamilton.studio_graph_process(folder))
    print(f"{nodes} nodes: plain Hamilton…", file=sys.stderr, flush=True)
    result.plain_load = statistics.median(result.plain_loads)
    result.plain_rebuild = statistics.median(result.plain_rebuilds)
    return result


def size_in_fresh_process(nodes: int) -> SizeResult:
    """Each size in its own process, as a user opens a project in a newly started app."""
    finished = subprocess.run(
        [sys.executable, "-m", "bench.suite", "--one-size", str(nodes)],
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    data = json.loads(finished.stdout.strip().splitlines()[-1])
    return SizeResult(**data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--no-overhead", action="store_true", help="skip the run overhead")
    parser.add_argument("--no-launch", action="store_true", help="skip launch to first graph")
    parser.add_argument(
        "--launches", type=int, default=3, help="first launches (each with a relaunch)"
    )
    parser.add_argument("--write", action="store_true", help="update docs/PERFORMANCE.md")
    parser.add_argument("--one-size", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)

    if options.one_size:
        print(json.dumps(asdict(measure_size(options.one_size))))
        return 0
    results = [size_in_fresh_process(nodes) for nodes in options.sizes]
    if not options.no_overhead:
        from studio.ui.app import create_application

        create_application()
    overhead = None if options.no_overhead else measure_overhead()
    print("launch…", file=sys.stderr, flush=True)
    text = table(
        results, overhead, None if options.no_launch else launch_time.measure(options.launches)
    )
    print(text)
    if options.write:
        write_page(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
