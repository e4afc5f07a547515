"""Save-to-canvas on the spaceflights example: how long from a file save to the new drawing.

Opens the real window offscreen on a copy of the example, then edits one
module many times: half the edits change only a function body (the
drawing stays, marks update), half change a parameter list (new edge, new
layout, animated move). For each edit it measures, from the moment before
the file is written:

- "canvas updated": the scene shows the new graph (items added/removed,
  marks set; an animation may still be gliding);
- "settled": the animation has finished;
- the longest gap in the Qt event loop during the reload (UI stall).

Reference, in the same run: a fresh `python` process that imports the
same modules and builds the Hamilton driver (what re-running a script to
see the new graph costs at least), and the same build in-process.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_live_reload.py [--edits 20]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["STUDIO_CONFIG_DIR"] = tempfile.mkdtemp(prefix="studio-bench-")
os.environ.setdefault("HAMILTON_TELEMETRY_ENABLED", "false")

from PySide6.QtCore import QTimer

from studio.core.discovery.discover import discover
from studio.core.resources import example_path
from studio.kernel.loading.project_load import load_flow
from studio.ui.app import create_application, create_window

BODY_PLAIN = "return float(np.max(np.abs(y_test - y_pred)))"
BODY_SCALED = "return float(1.0 * np.max(np.abs(y_test - y_pred)))"
SIGNATURE_OLD = "def max_error(y_test: np.ndarray, y_pred: np.ndarray)"
SIGNATURE_NEW = "def max_error(y_test: np.ndarray, y_pred: np.ndarray, y_train: np.ndarray)"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def reference_cold_process(folder: Path) -> float:
    code = (
        "import time; t = time.perf_counter()\n"
        "import data_loading, preprocessing, data_science, reporting\n"
        "from hamilton import driver\n"
        "modules = [data_loading, preprocessing, data_science, reporting]\n"
        "driver.Builder().with_modules(*modules).build()\n"
        "print(time.perf_counter() - t)\n"
    )
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=folder, check=True, capture_output=True)
    return time.perf_counter() - started


def reference_in_process(folder: Path) -> float:
    project = discover(folder)
    started = time.perf_counter()
    load_flow(project, project.dataflow())
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--edits", type=int, default=20)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="studio-bench-project-")) / "spaceflights"
    shutil.copytree(example_path("spaceflights"), folder)
    module = folder / "reporting.py"
    app = create_application()
    window = create_window(folder, trust=True)
    window.resize(1400, 900)
    scene = window.scene
    results: dict[str, list[float]] = {"body": [], "signature": []}
    settled: dict[str, list[float]] = {"body": [], "signature": []}
    stalls: list[float] = []
    state = {"edit": 0, "kind": "", "started": 0.0, "worst_gap": 0.0}
    ticker = QTimer()
    ticker.setInterval(5)
    last_tick = {"t": 0.0}

    def tick() -> None:
        now = time.perf_counter()
        if state["started"]:
            state["worst_gap"] = max(state["worst_gap"], now - last_tick["t"])
        last_tick["t"] = now

    ticker.timeout.connect(tick)

    def next_edit() -> None:
        if state["edit"] >= options.edits:
            finish()
            return
        text = module.read_text()
        index = state["edit"]
        if index % 2 == 0:
            kind = "body"
            new = (
                text.replace(BODY_PLAIN, BODY_SCALED)
                if BODY_PLAIN in text
                else text.replace(BODY_SCALED, BODY_PLAIN)
            )
        else:
            kind = "signature"
            new = (
                text.replace(SIGNATURE_OLD, SIGNATURE_NEW)
                if SIGNATURE_OLD in text
                else text.replace(SIGNATURE_NEW, SIGNATURE_OLD)
            )
        state.update(kind=kind, worst_gap=0.0)
        last_tick["t"] = time.perf_counter()
        state["started"] = time.perf_counter()
        module.write_text(new)

    def shown(_snapshot: object, first: bool) -> None:
        if first or not state["started"]:
            return
        results[state["kind"]].append(time.perf_counter() - state["started"])
        QTimer.singleShot(0, wait_settled)

    def wait_settled() -> None:
        if scene.animating:
            QTimer.singleShot(5, wait_settled)
            return
        settled[state["kind"]].append(time.perf_counter() - state["started"])
        stalls.append(state["worst_gap"])
        state["started"] = 0.0
        state["edit"] += 1
        QTimer.singleShot(250, next_edit)

    def first_shown(_snapshot: object, first: bool) -> None:
        if first:
            QTimer.singleShot(500, next_edit)

    def finish() -> None:
        ticker.stop()
        window.close()
        app.quit()

    window.controller.graph_shown.connect(first_shown)
    window.controller.graph_shown.connect(shown)
    ticker.start()
    QTimer.singleShot(180_000, finish)
    app.exec()

    cold = statistics.median(reference_cold_process(folder) for _ in range(3))
    warm = statistics.median(reference_in_process(folder) for _ in range(5))
    print(f"spaceflights, {options.edits} saves (ms)            median     p90     max")
    for kind in ("body", "signature"):
        label = "body edit" if kind == "body" else "parameter edit (new edge)"
        for what, values in (("canvas updated", results[kind]), ("settled", settled[kind])):
            if values:
                ms = [v * 1000 for v in values]
                print(
                    f"  {label:<27}{what:<15}{statistics.median(ms):7.0f} "
                    f"{percentile(ms, 0.9):7.0f} {max(ms):7.0f}"
                )
    if stalls:
        print(f"  longest UI stall during a reload: {max(stalls) * 1000:.0f} ms")
    print(f"reference: fresh python process importing + building the driver: {cold * 1000:.0f} ms")
    print(f"reference: in-process fresh import + build (the kernel's share):  {warm * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
