"""The benchmark suite runs end to end on its smallest size, so it never rots."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_suite_measures_every_row_on_100_nodes(tmp_path):
    page = ROOT / "docs" / "PERFORMANCE.md"
    before = page.read_text()
    finished = subprocess.run(
        [sys.executable, "-m", "bench.suite", "--sizes", "100", "--launches", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=420,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "STUDIO_CONFIG_DIR": str(tmp_path)},
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    table = finished.stdout
    assert "| graph (nodes / edges / modules) | 100 / " in table
    for label in (
        "load: discovery, import, build",
        "layout: grouped",
        "layout: layered",
        "layout: dot",
        "plain Graphviz `dot`, defaults (reference)",
        "plain Hamilton: import and build, fresh process",
        "plain Hamilton: import again and rebuild (reference)",
        "save-to-canvas",
        "frame fitted to the whole graph",
        "frame at 1:1",
        "longest UI stall: load",
        "longest UI stall: layout",
        "longest UI stall: reload",
        "longest UI stall: run",
    ):
        row = next(line for line in table.splitlines() if label in line)
        assert re.search(r"\d+ ms|\d+\.\d s", row), row
    for label in ("load: discovery, import, build", "plain Hamilton: import and build"):
        row = next(line for line in table.splitlines() if label in line)
        assert re.search(r"\d+ ms \(\d+-\d+\)", row), f"not the median of three: {row}"
    assert re.search(r"Run overhead, 200 cheap nodes.*\*\*\d+\.\d\dx\*\*", table)
    memory = next(line for line in table.splitlines() if "memory: window / kernel" in line)
    assert re.search(r"\d+ MB / \d+ MB / \d+ MB", memory), memory
    dot = next(line for line in table.splitlines() if "layout: dot" in line)
    assert "not run" not in dot, "dot is left out only above 5,000 nodes"
    assert "- save-to-canvas at 100 nodes < 100 ms:" in table
    for row in ("window shown", "first graph", "Hamilton's graph shown"):
        assert re.search(
            rf"\| {row} \| [\d,]+ ms / [\d,]+ ms \| [\d,]+ ms / [\d,]+ ms \|", table
        ), row
    assert "| Hamilton's graph was | kept from the last session in 0 of " in table, (
        "a first launch keeps nothing"
    )
    assert re.search(
        r"Plain Hamilton's process importing spaceflights and building it: [\d,]+ ms", table
    )
    assert "- launch to the first graph < 1.5 s (first launch):" in table
    assert "- launch to Hamilton's graph of spaceflights < 1.5 s (relaunch):" in table
    assert page.read_text() == before  # only --write touches the page


def test_the_executor_benchmark_compares_executors_with_the_machines_ceiling():
    small = ["--repeat", "1", "--seconds", "0.05", "--branches", "4"]
    executors = ["--executors", "local", "threads", "processes"]
    finished = subprocess.run(
        [sys.executable, "-m", "bench.bench_executors", *small, *executors],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr[-3000:]
    names = ("local", "threads", "processes", "plain pool")
    rows = [
        line
        for line in finished.stdout.splitlines()
        if line.startswith(names) and line.rstrip().endswith(("yes", "off", "no"))
    ]
    assert [row.split("  ")[0] for row in rows] == list(names)
    assert all(row.rstrip().endswith(("yes", "off")) for row in rows), rows
    assert "identical: yes" in finished.stdout
    assert "processes left by this benchmark: none" in finished.stdout
