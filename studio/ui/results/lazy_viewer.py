"""A lazy or distributed frame: its schema and plan, and rows only when the user asks.

Fetch computes the first N rows (N in the box) in the kernel as a job; the
viewer polls it, shows the time it has taken, and Stop ends it. The rows
that come back are an ordinary table (sort, filter, summaries, export).
Count Rows runs the whole plan, so it is a button of its own.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.protocol.data_requests import LazyInfo
from studio.core.protocol.lazy_requests import (
    DEFAULT_FETCH_ROWS,
    LazyCountParams,
    LazyFetchParams,
    LazyJob,
    LazyJobState,
    LazyPollParams,
    LazyStopParams,
)
from studio.core.time_text import format_seconds
from studio.ui.kernel.session import KernelSession, Reply
from studio.ui.results.frame_model import BLOCK_ROWS
from studio.ui.results.table_viewer import TableViewer

POLL_MS = 200
MAX_ROWS = 1_000_000


class LazyViewer(QWidget):
    status = Signal(str)

    def __init__(self, session: KernelSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.name: str | None = None
        self.job: int | None = None
        self.job_kind = ""
        self.count: int | None = None
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.plan = QPlainTextEdit()
        self.plan.setReadOnly(True)
        self.plan.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.rows_box = QSpinBox()
        self.rows_box.setRange(1, MAX_ROWS)
        self.rows_box.setValue(DEFAULT_FETCH_ROWS)
        self.rows_box.setGroupSeparatorShown(True)
        self.rows_box.setToolTip("How many rows to compute: the first ones only")
        self.fetch_button = _button("Fetch First Rows", "Compute the first rows now", self.fetch)
        self.count_button = _button(
            "Count Rows", "Count all rows: runs the whole plan (may take long)", self.count_rows
        )
        self.stop_button = _button("Stop", "Stop the fetch or count", self.stop)
        self.stop_button.setEnabled(False)
        self.progress = QLabel("Nothing computed yet: the frame is lazy.")
        controls = QHBoxLayout()
        controls.setSpacing(4)
        controls.addWidget(QLabel("First"))
        controls.addWidget(self.rows_box)
        controls.addWidget(QLabel("rows"))
        controls.addWidget(self.fetch_button)
        controls.addWidget(self.count_button)
        controls.addWidget(self.stop_button)
        controls.addWidget(self.progress, 1)
        self.table = TableViewer(session)
        self.table.status.connect(self.status)
        self.table.hide()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.plan)
        splitter.addWidget(self.table)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.about)
        layout.addLayout(controls)
        layout.addWidget(splitter, 1)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._polling = False

    def show_lazy(self, name: str, info: LazyInfo) -> None:
        """Show a lazy result: nothing is computed until Fetch or Count."""
        self.leave()
        self.name = name
        self.count = None
        columns = ", ".join(f"{c.name}: {c.dtype}" for c in info.columns[:40])
        more = f" … {len(info.columns) - 40} more" if len(info.columns) > 40 else ""
        parts = [f"A lazy {info.backend} frame", f"{len(info.columns)} columns"]
        if info.partitions is not None:
            parts.append(f"{info.partitions:,} partitions")
        self.about.setText(" · ".join(parts) + f"\n{columns}{more}")
        self.plan.setPlainText(info.plan)
        self.table.hide()
        self.progress.setText("Nothing computed yet: the frame is lazy.")
        self._set_running(False)

    def fetch(self) -> None:
        if self.name is None or self.job is not None:
            return
        rows = self.rows_box.value()
        self._start("fetch", LazyFetchParams(self.name, rows, first_rows=BLOCK_ROWS))
        self.progress.setText(f"Computing the first {rows:,} rows…")

    def count_rows(self) -> None:
        if self.name is None or self.job is not None:
            return
        self._start("count", LazyCountParams(self.name))
        self.progress.setText("Counting all rows…")

    def stop(self) -> None:
        if self.job is not None:
            self.session.request(LazyStopParams(self.job), self._arrived)

    def leave(self) -> None:
        """Another result is shown: stop what this one computes, close its rows."""
        if self.job is not None:
            self.session.request(LazyStopParams(self.job))
        self.job = None
        self._timer.stop()
        self.table.close_view()

    # -- internals ---------------------------------------------------------------

    def _start(self, kind: str, params: LazyFetchParams | LazyCountParams) -> None:
        self.job_kind = kind
        self._set_running(True)
        name = self.name

        def started(reply: Reply) -> None:
            if name != self.name:
                return
            if not reply.ok:
                self._set_running(False)
                self.progress.setText(reply.message)
                return
            self.job = reply.result.job
            self._timer.start()
            self._arrived(reply)

        self.session.request(params, started)

    def _poll(self) -> None:
        if self.job is None or self._polling:
            return
        self._polling = True
        self.session.request(LazyPollParams(self.job), self._arrived)

    def _arrived(self, reply: Reply) -> None:
        self._polling = False
        if not reply.ok:
            self.progress.setText(reply.message)
            return
        job: LazyJob = reply.result
        if job.job != self.job:
            return
        took = format_seconds(job.seconds)
        if job.state is LazyJobState.RUNNING:
            what = "first rows" if self.job_kind == "fetch" else "all rows"
            self.progress.setText(f"Computing {what}… {took}")
            return
        self.job = None
        self._timer.stop()
        self._set_running(False)
        if job.state is LazyJobState.STOPPED:
            self.progress.setText(f"Stopped after {took}.")
        elif job.state is LazyJobState.FAILED:
            self.progress.setText(f"Failed after {took}: {job.error}")
        elif job.count is not None:
            self.count = job.count
            self.progress.setText(f"{job.count:,} rows in all (counted in {took}).")
        elif job.table is not None and self.name is not None:
            self.progress.setText(f"First {job.table.rows:,} rows, computed in {took}.")
            self.table.show_table(self.name, job.table)
            self.table.show()

    def _set_running(self, running: bool) -> None:
        self.fetch_button.setEnabled(not running)
        self.count_button.setEnabled(not running)
        self.rows_box.setEnabled(not running)
        self.stop_button.setEnabled(running)


def _button(text: str, tip: str, slot: object) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.clicked.connect(slot)
    return button
