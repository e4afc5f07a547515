"""The results table on a 10,000,000 x 10 frame: first rows, last row, sort, filter, memory.

For each backend (pandas, polars, PyArrow: the same data, converted), opens
the real window offscreen on a generated project whose node returns a
10M-row frame of that library, runs it, then measures from the GUI:

- first rows: from selecting the node to the table painting real values;
- last row: from "jump to last" to the last row painted;
- sort: from a header click to the first sorted rows painted (a fresh
  float column each run), each beside the library's own stable sort of
  the same column in the same kernel, right after (pandas
  `sort_values(kind="stable")`, polars `sort(maintain_order=True)`,
  PyArrow `sort_indices` + `take`);
- filter: a condition in the library's dialect, from Return to its first
  rows painted, each beside the library's own filter right after (pandas
  `query`, polars `filter`, PyArrow `Table.filter`): first on top of the
  last sort (beside the library's filter alone, and its filter then a
  stable sort of the rows kept), then with no sort set;
- GUI memory: growth of this process's resident memory from before the
  node is selected to after the table has been paged, sorted and filtered.

Sort and filter run `--runs` times (3); the median and the largest figure
are printed, and the ratio of the studio's median to the library's.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_results_table.py \
        [--rows 10000000] [--backend all|pandas|polars|pyarrow] [--runs 3]

Each backend runs in a process of its own (`all` starts them one after the
other), so each GUI memory figure is its own.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
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

KERNEL_SORT = """
import time as _t
_f = results["big_frame"]
_c = "{column}"
_s = _t.perf_counter()
if "{backend}" == "pandas":
    _f.sort_values(_c, kind="stable")
elif "{backend}" == "polars":
    _f.sort(_c, maintain_order=True)
else:
    import pyarrow.compute as pc
    _f.take(pc.sort_indices(_f, sort_keys=[(_c, "ascending")]))
__studio_bench__ = _t.perf_counter() - _s
"""

KERNEL_FILTER = """
import time as _t
import polars as pl
import pyarrow.compute as pc
_f = results["big_frame"]
_s = _t.perf_counter()
if "{backend}" == "pandas":
    _kept = _f.query({condition!r})
else:
    _kept = _f.filter(eval({condition!r}))
_alone = _t.perf_counter() - _s
if {then_sort}:
    _c = "{column}"
    if "{backend}" == "pandas":
        _kept.sort_values(_c, kind="stable")
    elif "{backend}" == "polars":
        _kept.sort(_c, maintain_order=True)
    else:
        _kept.take(pc.sort_indices(_kept, sort_keys=[(_c, "ascending")]))
__studio_bench__ = (_alone, _t.perf_counter() - _s)
del _kept
"""


class PaintWatch(QObject):
    """Notes the first paint of the table's viewport at which a condition holds.

    The condition is checked as the paint event arrives, before the view
    paints: what it finds in the model is what that paint shows.
    """

    def __init__(self) -> None:
        super().__init__()
        self.condition: Callable[[], bool] | None = None
        self.hit = 0.0

    def watch(self, condition: Callable[[], bool]) -> None:
        self.condition, self.hit = condition, 0.0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        painted = event.type() == QEvent.Type.Paint
        if painted and self.condition is not None and self.condition():
            self.hit, self.condition = time.perf_counter(), None
        return False


class Kernel:
    """A second client of the window's kernel: runs the library's own calls, timed there."""

    def __init__(self, window) -> None:
        from jupyter_client import BlockingKernelClient

        self.client = BlockingKernelClient(
            connection_file=str(window.session.connection_folder / "connection.json")
        )
        self.client.load_connection_file()
        self.client.start_channels()

    def timed(self, code: str):
        msg_id = self.client.execute(code, silent=True, user_expressions={"v": "__studio_bench__"})
        while True:
            reply = self.client.get_shell_msg(timeout=600)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        return eval(reply["content"]["user_expressions"]["v"]["data"]["text/plain"])

    def close(self) -> None:
        self.client.stop_channels()


SORT_COLUMNS = "abc"
"""A fresh float column for each sort run (a column sorted before would be reused)."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--backend", choices=("all", *BACKENDS), default="all")
    parser.add_argument("--runs", type=int, default=3, choices=range(1, len(SORT_COLUMNS) + 1))
    options = parser.parse_args()
    if options.backend == "all":
        for backend in BACKENDS:
            command = [sys.executable, __file__, "--rows", str(options.rows)]
            command += ["--backend", backend, "--runs", str(options.runs)]
            subprocess.run(command, check=True)
        return 0
    backend = options.backend
    runs = options.runs
    folder = Path(tempfile.mkdtemp(prefix="studio-bench-big-")) / "bigdata"
    folder.mkdir()
    (folder / "frames.py").write_text(PROJECT.replace("{rows}", f"{options.rows:,}"))
    app = create_application()
    window = create_window(folder, trust=True)
    window.resize(1500, 950)
    process = psutil.Process()
    figures: dict[str, float] = {}
    samples: dict[str, list[float]] = {}
    watch = PaintWatch()
    table = window.results_panel.table
    table.table.viewport().installEventFilter(watch)
    model = table.model
    kernel: list[Kernel] = []
    sort_call, filter_call = OWN_CALLS[backend]

    def note(key: str, seconds: float) -> None:
        samples.setdefault(key, []).append(seconds)

    def reset_seen() -> dict[str, bool]:
        """A flag that turns true at the model's next reset (new row order arrived)."""
        flag = {"seen": False}

        def seen() -> None:
            flag["seen"] = True
            model.reset_done.disconnect(seen)

        model.reset_done.connect(seen)
        return flag

    def wait_for(condition, then, started: float, key: str) -> None:
        """Time from `started` to the first paint at which `condition` holds."""
        watch.watch(condition)
        asked = {"update": False}

        def poll() -> None:
            if not asked["update"] and condition():  # in case nothing else repaints
                asked["update"] = True
                table.table.viewport().update()
            if watch.hit:
                note(key, watch.hit - started)
                QTimer.singleShot(200, then)
            elif time.perf_counter() - started > 600:
                note(key, float("nan"))
                then()
            else:
                QTimer.singleShot(1, poll)

        poll()

    def painted_after_reset(then, started: float, key: str) -> None:
        reset = reset_seen()
        return lambda: wait_for(
            lambda: reset["seen"] and model.cell(0, 0) != PLACEHOLDER, then, started, key
        )

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
            lambda: model.cell(last, 0) != PLACEHOLDER,
            lambda: sort(0),
            started,
            "jump to last row, painted",
        )

    def sort(run: int) -> None:
        if not kernel:
            kernel.append(Kernel(window))
        table.jump_first()
        app.processEvents()
        column = SORT_COLUMNS[run]
        after = (lambda: sort(run + 1)) if run + 1 < runs else (lambda: filter_(0, True))

        def own_sort() -> None:
            code = KERNEL_SORT.replace("{backend}", backend).replace("{column}", column)
            note(f"{backend} {sort_call} in the kernel", kernel[0].timed(code))
            after()

        started = time.perf_counter()
        wait = painted_after_reset(own_sort, started, "sort by a float column, painted")
        table.table.horizontalHeader().sectionClicked.emit("abcdefgh".index(column))
        wait()

    def filter_(step: int, sorted_: bool) -> None:
        """Filter 1 and 2 alternately, `runs` times each, each beside the library's own."""
        which = step % 2
        condition = FILTERS[backend][which]
        where = "on the sort" if sorted_ else "no sort"
        if step + 1 < 2 * runs:
            after = lambda: filter_(step + 1, sorted_)  # noqa: E731
        else:
            after = clear if sorted_ else scroll

        def own_filter() -> None:
            code = (
                KERNEL_FILTER.replace("{backend}", backend)
                .replace("{condition!r}", repr(condition))
                .replace("{then_sort}", str(sorted_))
                .replace("{column}", SORT_COLUMNS[runs - 1])
            )
            alone, then_sorted = kernel[0].timed(code)
            note(f"{backend} {filter_call} {which + 1} in the kernel ({where})", alone)
            if sorted_:
                key = f"{backend} {filter_call} {which + 1} then its sort, in the kernel"
                note(key, then_sorted)
            after()

        started = time.perf_counter()
        wait = painted_after_reset(
            own_filter, started, f"filter {which + 1} ({where}), first rows painted"
        )
        table.filter_field.setText(condition)
        table.apply_filter()
        wait()

    def clear() -> None:
        """Back to every row in the frame's order, for the filters with no sort."""
        reset = reset_seen()
        table.filter_field.setText("")  # an empty text applies at once
        model.sort_state.column = None
        model.sort_by(None)
        wait_for(
            lambda: reset["seen"] and model.cell(0, 0) != PLACEHOLDER,
            lambda: filter_(0, False),
            time.perf_counter(),
            "clear",
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
        kernel[0].close()
        window.close()
        app.quit()

    window.controller.graph_shown.connect(shown)
    QTimer.singleShot(1_800_000, app.quit)
    app.exec()
    growth = (figures.pop("rss_after", 0) - figures.pop("rss_before", 0)) / 2**20
    samples.pop("clear", None)
    print(f"results table on a {options.rows:,} x 10 {backend} frame (seconds; {runs} runs)")
    for key, value in figures.items():
        print(f"  {key:<58} {value:8.3f}")
    for key, values in samples.items():
        if len(values) == 1:
            print(f"  {key:<58} {values[0]:8.3f}")
        else:
            middle, most = statistics.median(values), max(values)
            print(f"  {key:<58} median {middle:6.3f}  max {most:6.3f}")
    print(f"  {'GUI memory growth (MB)':<58} {growth:8.1f}")
    print("  studio / library, medians:")
    median = {key: statistics.median(values) for key, values in samples.items()}
    pairs = [("sort by a float column, painted", f"{backend} {sort_call} in the kernel")]
    for which in (1, 2):
        for where in ("on the sort", "no sort"):
            studio = f"filter {which} ({where}), first rows painted"
            pairs.append((studio, f"{backend} {filter_call} {which} in the kernel ({where})"))
        pairs.append(
            (
                f"filter {which} (on the sort), first rows painted",
                f"{backend} {filter_call} {which} then its sort, in the kernel",
            )
        )
    for studio, own in pairs:
        if studio in median and own in median:
            print(f"    {studio} / {own}: {median[studio] / median[own]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
