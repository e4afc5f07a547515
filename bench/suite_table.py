"""The benchmark suite's table and its targets (issue 7's, then issue 16's)."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.launch_time import Launch, LaunchTimes
    from bench.suite import Overhead, SizeResult

PHASES = ("load", "layout", "reload", "run")
"""The steps whose UI stalls are measured."""
DOT_TIMEOUT = 120.0
PERFORMANCE_PAGE = Path(__file__).resolve().parents[1] / "docs" / "PERFORMANCE.md"
START_MARK = "<!-- bench-suite:start -->"
END_MARK = "<!-- bench-suite:end -->"


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return f"> {DOT_TIMEOUT:.0f} s (stopped)"
    if seconds >= 10:
        return f"{seconds:.1f} s"
    return f"{seconds * 1000:,.0f} ms"


def _ms_spread(median: float, values: list[float]) -> str:
    """The median, with the range of the measurements it is the median of."""
    if len(values) < 2:
        return _ms(median)
    return f"{_ms(median)} ({min(values) * 1000:,.0f}-{max(values) * 1000:,.0f})"


def _layout(result: SizeResult, engine: str) -> str:
    if engine not in result.layouts:
        return "not run"
    return _ms(result.layouts[engine])


def _mb(size: int) -> str:
    return f"{size / 2**20:,.0f} MB" if size else "?"


def _s(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s ({max(values):.2f})"


def _whole_ratio(result: SizeResult) -> float:
    """The median of each `studio graph`'s ratio to the plain process run just before it."""
    pairs = zip(result.studio_graph, result.plain_whole, strict=False)
    return statistics.median(studio / plain for studio, plain in pairs)


def _launch_rows(launch: LaunchTimes) -> list[str]:
    """Launch to the graph, first launch and relaunch side by side (median / max)."""

    def cell(launches: list[Launch], seconds: Callable[[Launch], float]) -> str:
        values = [seconds(x) for x in launches]
        return f"{_ms(statistics.median(values))} / {_ms(max(values))}"

    def how(launches: list[Launch]) -> str:
        kept = sum(x.kept for x in launches)
        return f"kept from the last session in {kept} of {len(launches)}"

    rows = [
        "Launch (`studio --smoke-test`, spaceflights, from process start; "
        f"{len(launch.first)} first launches with an empty cache folder, each followed by a "
        "relaunch; median / max):",
        "",
        "| | first launch | relaunch |",
        "|---|---|---|",
    ]
    for label, seconds in (
        ("window shown", lambda x: x.window),
        ("first graph", lambda x: x.first_graph),
        ("Hamilton's graph shown", lambda x: x.hamilton),
        ("the kernel's own graph shown", lambda x: x.built),
    ):
        rows.append(f"| {label} | {cell(launch.first, seconds)} | {cell(launch.again, seconds)} |")
    rows.append(f"| Hamilton's graph was | {how(launch.first)} | {how(launch.again)} |")
    if launch.plain:
        plain = f"{_ms(statistics.median(launch.plain))} / {_ms(max(launch.plain))}"
        rows += ["", f"Plain Hamilton's process importing spaceflights and building it: {plain}."]
    return rows


def _verdict(value: float | None, limit: float) -> str:
    if value is None:
        return "missed"
    return "met" if value <= limit else f"missed by {_ms(value - limit)}"


def table(results: list[SizeResult], overhead: Overhead | None, launch: LaunchTimes | None) -> str:
    header = "| | " + " | ".join(f"{r.nodes:,} nodes" for r in results) + " |"
    rule = "|---|" + "---|" * len(results)
    rows = [header, rule]

    def row(label: str, cell: Callable[[SizeResult], str]) -> None:
        rows.append(f"| {label} | " + " | ".join(cell(r) for r in results) + " |")

    row("graph (nodes / edges / modules)", lambda r: f"{r.nodes:,} / {r.edges:,} / {r.modules}")
    row("window built, before it first shows (not a stall)", lambda r: _ms(r.window_built))
    row(
        "load: discovery, import, build (kernel round trip; median of three new windows)",
        lambda r: _ms_spread(r.load, r.loads),
    )
    row(
        "plain Hamilton: import and build, fresh process (reference; median)",
        lambda r: (
            f"{_ms_spread(r.plain_load, r.plain_loads)} (studio {r.load_ratio:.2f}x: "
            f"first open {r.first_open_ratio:.2f}x, reopened {r.reopen_ratio:.2f}x)"
        ),
    )
    row("drawn after load (default view)", lambda r: _ms(r.drawn_after_load))
    row("every module expanded: laid out and drawn", lambda r: _ms(r.expanded_drawn))
    for engine in ("grouped", "grouped, modules cached", "layered", "dot"):
        row(f"layout: {engine}", lambda r, e=engine: _layout(r, e))
    row(
        "layout: plain Graphviz `dot`, defaults (reference)",
        lambda r: _layout(r, "plain dot (reference)"),
    )
    row(
        "save-to-canvas (median / max of 3)",
        lambda r: f"{_ms(statistics.median(r.save_to_canvas))} / {_ms(max(r.save_to_canvas))}",
    )
    row(
        "plain Hamilton: import again and rebuild (reference)",
        lambda r: _ms(r.plain_rebuild),
    )
    row("frame fitted to the whole graph", lambda r: _ms(r.frame_fitted))
    row("frame at 1:1", lambda r: _ms(r.frame_one_to_one))
    for phase in PHASES:
        row(f"longest UI stall: {phase}", lambda r, p=phase: _ms(r.stalls.get(p)))
    row(
        f"longest garbage-collection pause ({' / '.join(PHASES)})",
        lambda r: " / ".join(_ms(r.collections.get(p, 0.0)) for p in PHASES),
    )
    row("run of `m0_agg_0` (upstream subgraph)", lambda r: _ms(r.run_seconds))
    row(
        "memory: window / kernel (RSS, every module expanded) / plain Hamilton's peak",
        lambda r: f"{_mb(r.gui_memory)} / {_mb(r.kernel_memory)} / {_mb(r.plain_peak)}",
    )
    row(
        "`studio graph`, start to exit / plain Hamilton process (median (max) of 3)",
        lambda r: (
            f"{_s(r.studio_graph)} / {_s(r.plain_whole)} ({_whole_ratio(r):.2f}x)"
            if r.studio_graph
            else "not run"
        ),
    )
    lines = rows
    if overhead is not None:
        lines += [
            "",
            "Run overhead, 200 cheap nodes, every node computed (median of 5): "
            f"studio {_ms(overhead.studio)} from the request to the finished run on the "
            f"canvas, plain `Driver.execute` in a bare process {_ms(overhead.plain)} "
            f"({overhead.ratio:.0f}x), Hamilton with its result cache, cold, in the same "
            f"run {_ms(overhead.cached)}: **{overhead.cache_ratio:.2f}x**.",
        ]
    if launch is not None:
        lines += ["", *_launch_rows(launch)]
    lines += ["", "Targets:", ""]
    by_size = {r.nodes: r for r in results}
    targets = []
    if 5000 in by_size:
        big = by_size[5000]
        targets.append(
            ("5,000 nodes drawn and navigable after load < 2 s", big.drawn_after_load, 2.0)
        )
        targets.append(("fitted frame at 5,000 nodes < 30 ms", big.frame_fitted, 0.030))
    if 5000 in by_size:
        big = by_size[5000]
        targets.append(
            ("save-to-canvas at 5,000 nodes < 300 ms", statistics.median(big.save_to_canvas), 0.3)
        )
    if 100 in by_size:
        targets.append(
            (
                "save-to-canvas at 100 nodes < 100 ms",
                statistics.median(by_size[100].save_to_canvas),
                0.100,
            )
        )
    if 1000 in by_size:
        targets.append(
            (
                "save-to-canvas at 1,000 nodes < 500 ms",
                statistics.median(by_size[1000].save_to_canvas),
                0.500,
            )
        )
    if launch is not None:
        first = statistics.median(x.first_graph for x in launch.first)
        targets.append(("launch to the first graph < 1.5 s (first launch)", first, 1.5))
        for label, launches in (("relaunch", launch.again), ("first launch", launch.first)):
            hamilton = statistics.median(x.hamilton for x in launches)
            targets.append(
                (f"launch to Hamilton's graph of spaceflights < 1.5 s ({label})", hamilton, 1.5)
            )
    worst = max((s for r in results for s in r.stalls.values()), default=0.0)
    targets.append(("no UI stall over 100 ms", worst, 0.100))
    for label, value, limit in targets:
        lines.append(f"- {label}: {_ms(value)}, {_verdict(value, limit)}")
    ratios: list[tuple[str, float, float]] = []
    if 20000 in by_size and by_size[20000].studio_graph:
        ratios.append(
            (
                "`studio graph` at 20,000 nodes at most 1.3x plain Hamilton's process",
                _whole_ratio(by_size[20000]),
                1.3,
            )
        )
    if 20000 in by_size:
        ratios.append(
            (
                "load at 20,000 nodes at most 1.5x plain Hamilton's build",
                by_size[20000].load_ratio,
                1.5,
            )
        )
    for label, ratio, limit in ratios:
        lines.append(f"- {label}: {ratio:.2f}x, {'met' if ratio <= limit else 'missed'}")
    if 5000 in by_size:
        size = by_size[5000]
        for when, ratio in (
            (
                "the project opened before (its readings and compiled code kept; plain "
                "Hamilton with its `__pycache__`)",
                size.reopen_ratio,
            ),
            (
                "the very first open (nothing kept; plain Hamilton compiling too)",
                size.first_open_ratio,
            ),
        ):
            verdict = "met" if ratio <= 1.3 else "missed"
            lines.append(
                f"- load at 5,000 nodes at most 1.3x plain Hamilton, {when}: {ratio:.2f}x, "
                f"{verdict}"
            )
    if overhead is not None:
        verdict = "met" if overhead.cache_ratio <= 1.0 else "missed"
        lines.append(
            f"- a run no slower than Hamilton with its cache (at most 1.0x): "
            f"{overhead.cache_ratio:.2f}x, {verdict}"
        )
    return "\n".join(lines)


def write_page(text: str) -> None:
    page = PERFORMANCE_PAGE.read_text()
    block = f"{START_MARK}\n{text}\n{END_MARK}"
    if START_MARK in page:
        before, rest = page.split(START_MARK, 1)
        after = rest.split(END_MARK, 1)[1]
        page = before + block + after
    else:
        page = page.rstrip() + "\n\n" + block + "\n"
    PERFORMANCE_PAGE.write_text(page)
