"""The results table on a 10,000,000 x 10 frame: first rows, last row, sort, GUI memory.

For each backend (pandas, polars, PyArrow: the same data, converted), opens
the real window offscreen on a generated project whose node returns a
10M-row frame of that library, runs it, then measures from the GUI:

- first rows: from selecting the node to the table painting real values;
- last row: from "jump to last" to the last row painted;
- sort: from a header click to the first sorted rows painted, beside
  the library's own stable sort on the same frame in the same kernel
  (pandas `sort_values(kind="stable")`, polars `sort(maintain_order=True)`,
  PyArrow `sort_indices` + `take`);
- filter: a condition in the library's dialect, beside its own filter
  (pandas `query`, polars `filter`, PyArrow `Table.filter`);
- GUI memory: growth of this process's resident memory from before the
  node is selected to after the table has been paged, sorted and filtered.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_results_table.py \
        [--rows 10000000] [--backend all|pandas|polars|pyarrow]

Each backend runs in a process of its own (`all` starts them one after the
other), so each GUI memory figure is its own.
"""

from __future__ import annotations

import argparse
import os
import subprocess
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
from typing import Any

import numpy as np
import pandas as pd


def big_frame(rows: int, backend: str) -> Any:
    """{rows} rows: eight float columns, an integer and a category, as a {backend} frame."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.standard_normal((rows, 8)), columns=list("abcdefgh"))
    frame["n"] = rng.integers(0, 1_000_000, rows)
    frame["kind"] = pd.Categorical.from_codes(rng.integers(0, 5, rows), ["a", "b", "c", "d", "e"])
    if backend == "polars":
        import polars as pl

        return pl.from_pandas(frame)
    if backend == "pyarrow":
        import pyarrow as pa

        return pa.Table.from_pandas(frame, preserve_index=False)
    return frame
'''

BACKENDS = ("pandas", "polars", "pyarrow")
FILTERS = {
    "pandas": ["a > 1 and n < 500000", "b < 0 and n > 100000"],
    "polars": [
        '(pl.col("a") > 1) & (pl.col("n") < 500000)',
        '(pl.col("b") < 0) & (pl.col("n") > 100000)',
    ],
    "pyarrow": [
        '(pc.field("a") > 1) & (pc.field("n") < 500000)',
        '(pc.field("b") < 0) & (pc.field("n") > 100000)',
    ],
}
"""Two filters: the first pays the library's one-time start (pandas' numexpr, polars' pool)."""
OWN_CALLS = {
    "pandas": ("sort_values(kind='stable')", "query"),
    "polars": ("sort(maintain_order=True)", "filter"),
    "pyarrow": ("sort_indices + take", "Table.filter"),
}

KERNEL_REFERENCE = """
import time as _t
_f = results["big_frame"]
_b = "{backend}"
_s = _t.perf_counter()
if _b == "pandas":
    _f.sort_values("a", kind="stable")
elif _b == "polars":
    _f.sort("a", maintain_order=True)
else:
    import pyarrow.compute as pc
    _f.take(pc.sort_indices(_f, sort_keys=[("a", "ascending")]))
_sort = _t.perf_counter() - _s
import polars as pl
import pyarrow.compute as pc
_query = []
for _c in {filters}:
    _s = _t.perf_counter()
    if _b == "pandas":
        _f.query(_c)
    else:
        _f.filter(eval(_c))
    _query.append(_t.perf_counter() - _s)
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


def kernel_reference(window, backend: str) -> tuple[float, list[float]]:
    from jupyter_client import BlockingKernelClient

    client = BlockingKernelClient(
        connection_file=str(window.session.connection_folder / "connection.json")
    )
    client.load_connection_file()
    client.start_channels()
    try:
        msg_id = client.execute(
            KERNEL_REFERENCE.replace("{backend}", backend).replace(
                "{filters}", repr(FILTERS[backend])
            ),
            silent=True,
            user_expressions={"v": "__studio_bench__"},
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
    parser.add_argument("--backend", choices=("all", *BACKENDS), default="all")
    options = parser.parse_args()
    if options.backend == "all":
        for backend in BACKENDS:
            command = [sys.executable, __file__, "--rows", str(options.rows), "--backend", backend]
            subprocess.run(command, check=True)
        return 0
    backend = options.backend
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
            window.inputs_panel.set_value("backend", repr(backend))
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

    def filter_(which: int = 0) -> None:
        started = time.perf_counter()
        reset = reset_seen()
        table.filter_field.setText(FILTERS[backend][which])
        table.apply_filter()
        wait_for(
            lambda: reset["seen"] and model.cell(0, 0) != PLACEHOLDER,
            scroll if which else lambda: filter_(1),
            started,
            f"filter {which + 1} ({backend} condition), first rows painted",
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
        sort_reference, query_reference = kernel_reference(window, backend)
        sort_call, filter_call = OWN_CALLS[backend]
        figures[f"{backend} {sort_call} in the kernel"] = sort_reference
        for which, seconds in enumerate(query_reference):
            figures[f"{backend} {filter_call} {which + 1} in the kernel"] = seconds
        window.close()
        app.quit()

    window.controller.graph_shown.connect(shown)
    QTimer.singleShot(1_800_000, app.quit)
    app.exec()
    growth = (figures.pop("rss_after", 0) - figures.pop("rss_before", 0)) / 2**20
    print(f"results table on a {options.rows:,} x 10 {backend} frame (seconds)")
    for key, value in figures.items():
        print(f"  {key:<48} {value:8.3f}")
    print(f"  {'GUI memory growth (MB)':<48} {growth:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
