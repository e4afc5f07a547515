"""A second window in the same process: the longest UI stall while expanding 5,000 nodes.

Issue 16 measured 511-537 ms in the second window of one process against 73-108 ms
in a fresh process: objects the first window left behind made the garbage
collector's full passes long. Here one process opens a window on a synthetic
project, waits for Hamilton's graph, expands every module (the stall meter of
`bench.suite` running), closes the window; then does it again, `--windows` times.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.bench_second_window [--nodes 5000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench.event_loop import StallMeter, close_window, settle, wait_until
from bench.synthetic import generate


def one_window(folder: Path, wait: float = 0.5) -> tuple[float, float, float]:
    """(longest stall while loading, while expanding, longest collection pause)."""
    from studio.ui.app import create_window

    meter = StallMeter()
    shown: list[float] = []
    window = create_window(folder, trust=True)
    window.resize(1400, 900)
    window.controller.graph_shown.connect(lambda *_: shown.append(time.perf_counter()))
    scene, graph = window.scene, window.workspace.graph
    try:
        with meter.phase("load"):
            wait_until(lambda: bool(shown))
            wait_until(lambda: not scene.filling and not scene.animating)
        settle(wait)
        with meter.phase("expand"):
            before = len(shown)
            graph.set_collapsed(set())
            wait_until(lambda: len(shown) > before)
            wait_until(lambda: not scene.filling and not scene.animating)
            settle(0.3)
        pause = max(meter.collections.values(), default=0.0)
        return meter.worst.get("load", 0.0), meter.worst.get("expand", 0.0), pause
    finally:
        close_window(window, meter)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--windows", type=int, default=3)
    parser.add_argument(
        "--wait", type=float, default=0.5, help="seconds between the graph showing and the expand"
    )
    options = parser.parse_args()
    from studio.ui.app import create_application

    create_application()
    folder = Path(tempfile.mkdtemp(prefix="studio-second-window-")) / "features"
    generate(folder, options.nodes)
    print(
        f"{options.nodes} nodes, {options.windows} windows one after another in one process, "
        f"expanded {options.wait} s after the graph shows"
    )
    print("window  longest stall: load  expand  longest garbage collection")
    for number in range(1, options.windows + 1):
        load, expand, pause = one_window(folder, options.wait)
        print(
            f"{number:>6}  {load * 1000:>19.0f} ms  {expand * 1000:>4.0f} ms  "
            f"{pause * 1000:>12.0f} ms",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
