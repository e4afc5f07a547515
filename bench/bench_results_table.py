"""The results table on a 10,000,000 x 10 frame: first rows, last row, sort, GUI memory.

Opens the real window offscreen on a generated project whose node returns a
10M-row frame, runs it, then measures from the GUI:

- first rows: from selecting the node to the table painting real values;
- last row: from "jump to last" to the last row painted;
- sort: from a header click to the first sorted rows painted, beside
  pandas' own `sort_values` on the same frame in the same kernel;
- filter: a pandas condition, beside pandas' `query`;
- GUI memory: growth of this process's resident memory from before the
  node is selected to after the table has been paged, sorted and filtered.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_results_table.py [--rows 10000000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["STUDIO_CONFIG_DIR"] = tempfile.mkdtemp(prefix="studio-bench-")
os.environ["STUDIO_CACHE_DIR"] = tempfile.mkdtemp(prefix="studio-bench-cache-")

import psutil
from PySide6.QtCore import QEvent, QObject, QTimer

from studio.ui.app import create_application, create_window
from studio.ui.results.frame_model import PLACEHOLDER

PROJECT = '''
import numpy as np
import pandas as pd


def big_frame(rows: int) -> pd.DataFrame:
    """{rows} rows: eight float columns, an integer and a category."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.standard_normal((rows, 8)), columns=list("abcdefgh"))
    frame["n"] = rng.integers(0, 1_000_000, rows)
    frame["kind"] = pd.Categorical.from_codes(rng.integers(0, 5, rows), ["a", "b", "c", "d", "e"])
    return frame
'''

KERNEL_REFERENCE = """
import time as _t
_f = results["big_frame"]
_s = _t.perf_counter(); _f.sort_values("a", kind="stable"); _sort = _t.perf_counter() - _s
_s = _t.perf_counter(); _f.query("a > 1 and n < 500000"); _query = _t.perf_counter() - _s
__studio_bench__ = (_sort, _query)
"""


class PaintWatch(QObject):
    """Notes when the table's viewport paints."""

    def __init__(self) -> None:
        super().__init__()
        self.last = 0.0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if event.type() == QEvent.Type.Paint:
            self.last = time.perf_counter()
        return False


def kernel_reference(window) -> tuple[float, float]:
    from jupyter_client import BlockingKernelClient

    client = BlockingKernelClient(
        connection_file=str(window.session.connection_folder / "connection.json")
    )
    client.load_connection_file()
    client.start_channels()
    try:
        msg_id = client.execute(
            KERNEL_REFERENCE, silent=True, user_expressions={"v": "__studio_bench__"}
        )
        while True:
            reply = client.get_shell_msg(timeout=600)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        return eval(reply["content"]["user_expressions"]["v"]["data"]["text/plain"])
    finally:
        client.stop_channels()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000_000)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="studio-bench-big-")) / "bigdata"
    folder.mkdir()
    (folder / "frames.py").write_text(PROJECT.replace("{rows}", f"{options.rows:,}"))
    app = create_application()
    window = create_window(folder, trust=True)
    window.resize(1500, 950)
    process = psutil.Process()
    figures: dict[str, float] = {}
    watch = PaintWatch()
    table = window.results_panel.table
    table.table.viewport().installEventFilter(watch)
    model = table.model

    def reset_seen() -> dict[str, bool]:
        """A flag that turns true at the model's next reset (new row order arrived)."""
        flag = {"seen": False}

        def seen() -> None:
            flag["seen"] = True
            model.reset_done.disconnect(seen)

        model.reset_done.connect(seen)
        return flag

    def wait_for(condition, then, started: float, key: str) -> None:
        """Time from `started` to the first paint after `condition` holds."""
        ready = {"at": 0.0}

        def poll() -> None:
            if not ready["at"] and condition():
                ready["at"] = time.perf_counter()
                table.table.viewport().update()
            if ready["at"] and watch.last >= ready["at"]:
                figures[key] = watch.last - started
                QTimer.singleShot(200, then)
            elif time.perf_counter() - started > 600:
                figures[key] = float("nan")
                then()
            else:
                QTimer.singleShot(1, poll)

        poll()

    def shown(_snapshot, first: bool) -> None:
        if first:
            window.inputs_panel.set_value("rows", str(options.rows))
            started = time.perf_counter()
            window.workspace.runs.running_changed.connect(lambda running: running or ran(started))
            window.run_controller.run(["big_frame"])

    def ran(started: float) -> None:
        figures["node run (generate the frame)"] = time.perf_counter() - started
        QTimer.singleShot(500, select)

    def select() -> None:
        figures["rss_before"] = process.memory_info().rss
        started = time.perf_counter()
        window.workspace.selection.select_nodes(["big_frame"])
        wait_for(
            lambda: model.rowCount() and model.cell(0, 0) != PLACEHOLDER,
            jump,
            started,
            "first rows painted",
        )

    def jump() -> None:
        started = time.perf_counter()
        table.jump_last()
        last = options.rows - 1
        wait_for(
            lambda: model.cell(last, 0) != PLACEHOLDER, sort, started, "jump to last row, painted"
        )

    def sort() -> None:
        table.jump_first()
        app.processEvents()
        started = time.perf_counter()
        reset = reset_seen()
        table.table.horizontalHeader().sectionClicked.emit(0)
        wait_for(
            lambda: reset["seen"] and model.cell(0, 0) != PLACEHOLDER,
            filter_,
            started,
            "sort by a float column, first rows painted",
        )

    def filter_() -> None:
        started = time.perf_counter()
        reset = reset_seen()
        table.filter_field.setText("a > 1 and n < 500000")
        table.apply_filter()
        wait_for(
            lambda: reset["seen"] and model.cell(0, 0) != PLACEHOLDER,
            scroll,
            started,
            "filter (pandas condition), first rows painted",
        )

    def scroll() -> None:
        bar = table.table.verticalScrollBar()
        for fraction in (0.1, 0.3, 0.5, 0.7, 0.9):
            bar.setValue(int(bar.maximum() * fraction))
            app.processEvents()
            time.sleep(0.05)
        QTimer.singleShot(1500, finish)

    def finish() -> None:
        figures["rss_after"] = process.memory_info().rss
        sort_reference, query_reference = kernel_reference(window)
        figures["pandas sort_values in the kernel"] = sort_reference
        figures["pandas query in the kernel"] = query_reference
        window.close()
        app.quit()

    window.controller.graph_shown.connect(shown)
    QTimer.singleShot(1_800_000, app.quit)
    app.exec()
    growth = (figures.pop("rss_after", 0) - figures.pop("rss_before", 0)) / 2**20
    print(f"results table on a {options.rows:,} x 10 frame (seconds)")
    for key, value in figures.items():
        print(f"  {key:<48} {value:8.3f}")
    print(f"  {'GUI memory growth (MB)':<48} {growth:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
