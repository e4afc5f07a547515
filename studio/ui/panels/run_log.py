"""The run log: every run with its nodes, timings, reuse, outcome, traceback and output."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QBrush, QColor, QDesktopServices, QFontDatabase, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.core.protocol import NodeStatus, RunStatus
from studio.core.runs.run_records import NodeRecord, RunRecord
from studio.core.size_text import format_bytes
from studio.core.time_text import format_seconds

_COLOURS = {
    "computed": "#2fa84f",
    "reused": "#3f8f5a",
    "given": "#1c9bb8",
    "failed": "#d62d2d",
    "interrupted": "#e8590c",
    "done": "#2fa84f",
    "missing_inputs": "#d9960b",
    "bad_inputs": "#d9960b",
    "running": "#2f6fdf",
}
_OUTPUT_LIMIT = 200_000
UPDATE_MS = 150


class RunLogPanel(QWidget):
    location_requested = Signal(str, int)
    """A traceback frame was clicked: (file, line)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: dict[int, QTreeWidgetItem] = {}
        self._records: dict[int, RunRecord] = {}
        self._kernel_output: list[str] = []
        self._unrendered: tuple[RunRecord | None] | None = None
        """Details to write when the panel next shows (it was hidden when they changed)."""
        self._pending: dict[int, RunRecord] = {}
        self._unfolded: set[int] = set()
        """Runs whose traceback shows the frames before the user's code too."""
        self._update_timer = QTimer(self)
        self._update_timer.setSingleShot(True)
        self._update_timer.setInterval(UPDATE_MS)
        self._update_timer.timeout.connect(self._flush)
        self._write_soon = QTimer(self)
        self._write_soon.setSingleShot(True)
        self._write_soon.setInterval(0)
        self._write_soon.timeout.connect(self._write_unrendered)
        self._tree = QTreeWidget()
        self._tree.setHeaderLabels(["Run", "Time"])
        self._tree.setColumnWidth(0, 420)
        self._tree.setUniformRowHeights(True)
        self._tree.currentItemChanged.connect(self._show_current)
        self._detail = QTextBrowser()
        self._detail.setOpenLinks(False)
        self._detail.anchorClicked.connect(self._on_link)
        self._clear = QPushButton("Clear Log")
        self._clear.clicked.connect(self.clear)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self._tree)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self._clear)
        left_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self._detail)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    # -- public ---------------------------------------------------------------

    def add_run(self, record: RunRecord) -> None:
        item = QTreeWidgetItem()
        self._tree.insertTopLevelItem(0, item)
        self._items[record.number] = item
        self._records[record.number] = record
        self._update_now(record)
        self._tree.setCurrentItem(item)

    def update_run(self, record: RunRecord) -> None:
        """Show the record's progress; while it runs, at most every UPDATE_MS.

        A run of hundreds of quick nodes reports each one; redrawing the
        whole log for each would take longer than the run itself.
        """
        self._pending[record.number] = record
        if record.finished:
            self._flush()
        elif not self._update_timer.isActive():
            self._update_timer.start()

    def _flush(self) -> None:
        self._update_timer.stop()
        pending, self._pending = self._pending, {}
        for record in pending.values():
            self._update_now(record)

    def _update_now(self, record: RunRecord) -> None:
        item = self._items.get(record.number)
        if item is None:
            return
        item.setText(0, f"#{record.number}  {record.summary()}")
        item.setText(1, format_seconds(record.seconds) if record.seconds is not None else "")
        item.setForeground(0, QBrush(QColor(_COLOURS.get(record.status, "#888888"))))
        item.setData(0, Qt.ItemDataRole.UserRole, record.number)
        names = [n.name for n in record.nodes.values()]
        while item.childCount() > len(names):
            item.removeChild(item.child(item.childCount() - 1))
        for index, name in enumerate(names):
            node = record.nodes[name]
            child = item.child(index) if index < item.childCount() else QTreeWidgetItem(item)
            error = f" — {node.error}" if node.error else ""
            child.setText(0, f"{node.name}: {node.status}{error}")
            child.setText(1, _took(node))
            child.setForeground(0, QBrush(QColor(_COLOURS.get(node.status, "#888888"))))
            child.setData(0, Qt.ItemDataRole.UserRole, record.number)
        if self._tree.currentItem() in (item, *[item.child(i) for i in range(item.childCount())]):
            self._render_soon(record)

    def add_kernel_output(self, text: str) -> None:
        """Output printed outside any run (while modules are imported, say)."""
        self._kernel_output.append(text)
        if self._tree.currentItem() is None:
            self._render(None)

    def records(self) -> list[RunRecord]:
        return [self._records[n] for n in sorted(self._records)]

    def detail_text(self) -> str:
        """The details as written, including any held back while the panel was hidden."""
        if self._unrendered is not None:
            self._write(self._unrendered[0])
            self._unrendered = None
        return self._detail.toPlainText()

    def row_text(self, number: int) -> str:
        """What the run's row in the log says (empty when it is not listed)."""
        item = self._items.get(number)
        return item.text(0) if item is not None else ""

    def clear(self) -> None:
        self._pending.clear()
        self._update_timer.stop()
        self._write_soon.stop()
        self._unrendered = None
        self._tree.clear()
        self._items.clear()
        self._records.clear()
        self._unfolded.clear()
        self._kernel_output.clear()
        self._detail.clear()

    # -- detail ---------------------------------------------------------------

    def _show_current(self, current: QTreeWidgetItem | None, _previous: object = None) -> None:
        if current is None:
            self._render(None)
            return
        self._render(self._records.get(current.data(0, Qt.ItemDataRole.UserRole)))

    def _render(self, record: RunRecord | None) -> None:
        """Write the record's details, now if the panel is on screen, else when it shows."""
        if not self.isVisible():
            self._unrendered = (record,)
            return
        self._unrendered = None
        self._write(record)

    def _render_soon(self, record: RunRecord) -> None:
        """A run's progress: its details written in a turn of their own (at the end of a
        run in a 20,000-node project, 20-30 ms after the reply that ended it)."""
        self._unrendered = (record,)
        if self.isVisible():
            self._write_soon.start()

    def _write_unrendered(self) -> None:
        if self._unrendered is not None and self.isVisible():
            self._render(self._unrendered[0])

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._unrendered is not None:
            self._render(self._unrendered[0])

    def _write(self, record: RunRecord | None) -> None:
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
        if record is None:
            output = html.escape("".join(self._kernel_output)[-_OUTPUT_LIMIT:])
            self._detail.setHtml(
                f"<p>Kernel output outside runs:</p><pre style='font-family:{mono}'>{output}</pre>"
                if output
                else "<p style='color:#888'>Run a node (double-click it) to see it here.</p>"
            )
            return
        parts = [f"<p><b>Run #{record.number}</b> · {html.escape(record.summary())}</p>"]
        parts.append(
            f"<p>Requested: {html.escape(', '.join(record.targets) or 'every sink')}"
            f" ({record.mode}{', recompute' if record.recompute else ''})</p>"
        )
        if record.message and record.status is not RunStatus.DONE:
            colour = _COLOURS.get(record.status, "#d62d2d")
            parts.append(f"<p style='color:{colour}'><b>{html.escape(record.message)}</b></p>")
        parts += [f"<p><i>Note: {html.escape(note)}.</i></p>" for note in record.notes]
        if record.frames:
            parts.append("<p><b>Traceback</b> (click a line of your code to see it):</p>")
            lines = []
            first_mine = next((i for i, f in enumerate(record.frames) if f.in_project), 0)
            if first_mine and record.number not in self._unfolded:
                lines.append(
                    f"<a href='unfold:{record.number}' style='color:#888'>… {first_mine} "
                    "frames of the studio and Hamilton before your code (show them)</a>"
                )
            for index, frame in enumerate(record.frames):
                if index < first_mine and record.number not in self._unfolded:
                    continue
                where = f"{frame.file}, line {frame.line}, in {frame.function}"
                if frame.in_project:
                    lines.append(f"<a href='frame:{index}'>{html.escape(where)}</a>")
                else:
                    lines.append(f"<span style='color:#888'>{html.escape(where)}</span>")
                if frame.text:
                    lines.append(f"&nbsp;&nbsp;&nbsp;&nbsp;<code>{html.escape(frame.text)}</code>")
            body = "<br>".join(lines)
            parts.append(f"<div style='font-family:{mono}'>{body}</div>")
        if record.nodes:
            rows = "".join(
                f"<tr><td>{html.escape(n.name)}</td>"
                f"<td style='color:{_COLOURS.get(n.status, '#888')}'>{n.status}</td>"
                f"<td align='right'>{_took(n)}</td></tr>"
                for n in record.nodes.values()
            )
            parts.append(
                f"<table cellspacing='4'><tr><th align='left'>Node</th><th align='left'>"
                f"Outcome</th><th>Time</th></tr>{rows}</table>"
            )
        if record.reused_from_memory:
            parts.append(
                "<p>Reused from this kernel's memory: "
                f"{html.escape(', '.join(record.reused_from_memory))}</p>"
            )
        if record.output:
            tail = "".join(record.output)[-_OUTPUT_LIMIT:]
            if self._left_out(record):  # start at a whole line
                tail = tail[tail.find("\n") + 1 :]
            text = html.escape(tail)
            parts.append(f"<p><b>Output</b></p>{self._left_out(record)}")
            parts.append(f"<pre style='font-family:{mono}'>{text}</pre>")
        self._detail.setHtml("".join(parts))

    @staticmethod
    def _left_out(record: RunRecord) -> str:
        shown = sum(len(chunk) for chunk in record.output)
        left_out = record.output_left_out + max(0, shown - _OUTPUT_LIMIT)
        if not left_out:
            return ""
        where = "it is no longer held"
        if record.output_file is not None:
            link = QUrl.fromLocalFile(str(record.output_file)).toString()
            where = f"all of it is in <a href='{link}'>{html.escape(record.output_file.name)}</a>"
        return (
            f"<p style='color:#888'>The first {format_bytes(left_out)} of the output are "
            f"left out here; {where}.</p>"
        )

    def _on_link(self, url: QUrl) -> None:
        if url.isLocalFile():
            QDesktopServices.openUrl(url)
            return
        if url.scheme() == "unfold":
            self._unfolded.add(int(url.path()))
            self._show_current(self._tree.currentItem())
            return
        if url.scheme() != "frame":
            return
        current = self._tree.currentItem()
        if current is None:
            return
        record = self._records.get(current.data(0, Qt.ItemDataRole.UserRole))
        if record is None:
            return
        frame = record.frames[int(url.path())]
        self.location_requested.emit(frame.file, int(frame.line or 0))


def _took(node: NodeRecord) -> str:
    """A node's time; none for one the dataflow gives (it took no time: it did not run)."""
    return "" if node.status is NodeStatus.GIVEN else format_seconds(node.seconds)
