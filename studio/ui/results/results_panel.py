"""The results panel: the selected node's value, with a summary line above it.

Tables (frames of any library, series, arrays) are paged from the kernel;
lazy frames show their schema and plan, rows on request; dicts and lists
show as an expandable tree; plots and pictures as an image; anything else
as text (its repr, cut with a note when long).
"""

from __future__ import annotations

import datetime
import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QStackedWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.core.protocol.data_requests import (
    CompareParams,
    CompareResult,
    ResultInfoParams,
    ResultInfoResult,
    ResultKind,
    TreeNode,
    ValueSummary,
)
from studio.core.runs.run_state import NodeRun, NodeState, given_phrase
from studio.core.size_text import format_bytes
from studio.core.time_text import format_seconds
from studio.ui.kernel.session import KernelSession, Reply
from studio.ui.results.frame_model import BLOCK_ROWS
from studio.ui.results.image_viewer import ImageViewer
from studio.ui.results.lazy_viewer import LazyViewer
from studio.ui.results.table_viewer import TableViewer

_HOLDS_VALUE = (NodeState.DONE, NodeState.REUSED, NodeState.GIVEN, NodeState.STALE)
"""States whose node has a value in the kernel to show (a given one, as its notebook
gives it)."""


def summary_line(
    name: str, summary: ValueSummary | None, run: NodeRun, finished: datetime.datetime | None
) -> str:
    parts = [f"<b>{name}</b>", summary.type if summary is not None else "?"]
    if summary is not None and summary.shape:
        parts.append(" × ".join(f"{n:,}" for n in summary.shape))
    elif summary is not None and summary.length is not None:
        parts.append(f"{summary.length:,} items")
    if summary is not None and summary.bytes is not None:
        size = format_bytes(summary.bytes)
        parts.append(size if summary.bytes_exact else f"≈ {size}")
    if run.state is NodeState.GIVEN:
        parts.append(given_phrase(run))
    elif finished is not None:
        parts.append(f"computed {finished.strftime('%H:%M:%S')}")
    if run.seconds is not None and run.state is not NodeState.GIVEN:
        verb = "reused in" if run.state is NodeState.REUSED else "took"
        parts.append(f"{verb} {format_seconds(run.seconds)}")
    return " · ".join(part for part in parts if part)


class ResultsPanel(QWidget):
    status = Signal(str)
    node_link_activated = Signal(str)
    """A node named in a message was clicked: go there."""
    content_shown = Signal(str)
    """A value is on show (its kind: table, tree, image, text): room is worth giving."""

    def __init__(self, session: KernelSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.name: str | None = None
        self.kind = ""
        self._generation = 0
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.header.setContentsMargins(6, 4, 6, 4)
        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.linkActivated.connect(
            lambda link: self.node_link_activated.emit(link.removeprefix("node:"))
        )
        self.table = TableViewer(session)
        self.table.status.connect(self.status)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Key", "Value", "Type"])
        self.tree.setColumnWidth(0, 220)
        self.tree.setColumnWidth(1, 320)
        self.image = ImageViewer()
        self.image.status.connect(self.status)
        self.lazy = LazyViewer(session)
        self.lazy.status.connect(self.status)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.comparison = QPlainTextEdit()
        self.comparison.setReadOnly(True)
        self.comparison.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.compare_button = QToolButton()
        self.compare_button.setText("Compare with Previous")
        self.compare_button.setToolTip(
            "How this output changed since the value it had before its code or inputs changed"
        )
        self.compare_button.setCheckable(True)
        self.compare_button.setAutoRaise(True)
        self.compare_button.hide()
        self.compare_button.toggled.connect(self._toggle_comparison)
        self._value_page: QWidget = self.message
        self.stack = QStackedWidget()
        for widget in (
            self.message,
            self.table,
            self.tree,
            self.image,
            self.lazy,
            self.text,
            self.comparison,
        ):
            self.stack.addWidget(widget)
        header_row = QHBoxLayout()
        header_row.setContentsMargins(0, 0, 6, 0)
        header_row.addWidget(self.header, 1)
        header_row.addWidget(self.compare_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header_row)
        layout.addWidget(self.stack, 1)
        self.show_message("Select a computed node to see its value.")

    def show_message(self, text: str) -> None:
        self.kind = "message"
        self._reset_comparison(False)
        self.header.setText("")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def show_failure(self, name: str, run: NodeRun) -> None:
        """Why a node has no value: its own error, or the node upstream that failed."""
        self.kind = "message"
        self._reset_comparison(False)
        self.header.setText("")
        if run.failed_upstream:
            upstream = html.escape(run.failed_upstream)
            error = html.escape(run.error.removeprefix(f"failed upstream: {run.failed_upstream} "))
            text = (
                f"<b>{html.escape(name)}</b> did not run: "
                f"<a href='node:{upstream}'>{upstream}</a> failed upstream "
                f"<span style='color:#d62d2d'>({error})</span>.<br>"
                "Select it for the traceback; fix it and run again."
            )
        else:
            text = (
                f"<b>{html.escape(name)}</b> failed: <span style='color:#d62d2d'>"
                f"{html.escape(run.error or 'see the Run Log')}</span><br>"
                "The traceback is in the Run Log; fix the code and run again."
            )
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def show_node(self, name: str, run: NodeRun, finished: datetime.datetime | None = None) -> None:
        """Show the value of `name` if the kernel has it."""
        self._generation += 1
        generation = self._generation
        self.name = name
        if run.state is NodeState.FAILED:
            self.table.close_view()
            self.lazy.leave()
            self.show_failure(name, run)
            return
        if run.state not in _HOLDS_VALUE:
            self.table.close_view()
            self.lazy.leave()
            self.show_message(_no_result(name, run))
            return
        self._reset_comparison(False)
        self.header.setText(f"<b>{name}</b> · loading…")

        def arrived(reply: Reply) -> None:
            if generation != self._generation:
                return
            if not reply.ok:
                self.show_message(reply.message)
                return
            info: ResultInfoResult = reply.result
            if not info.available:
                self.show_message(f"{name} is not in this kernel's memory any more: run it again.")
                return
            self._show(name, info, run, finished)

        self.session.request(ResultInfoParams(name, rows=BLOCK_ROWS), arrived)

    def _show(
        self, name: str, info: ResultInfoResult, run: NodeRun, finished: datetime.datetime | None
    ) -> None:
        kind = info.kind or ResultKind.NONE
        self.kind = kind
        self._reset_comparison(bool(info.has_previous))
        header = summary_line(name, info.summary, run, finished)
        if run.state is NodeState.STALE:
            why = html.escape(run.stale_reason or "its code or an input changed")
            header += f" · <span style='color:#d9960b'>stale: {why}</span>"
        self.header.setText(header)
        if kind is not ResultKind.LAZY:
            self.lazy.leave()
        if kind is ResultKind.TABLE and info.table is not None:
            self.table.show_table(name, info.table)
            self.stack.setCurrentWidget(self.table)
        elif kind is ResultKind.TREE and info.tree is not None:
            self.tree.clear()
            self.tree.addTopLevelItem(_tree_item(info.tree, name))
            self.tree.topLevelItem(0).setExpanded(True)
            self.stack.setCurrentWidget(self.tree)
            self.table.close_view()
        elif kind is ResultKind.LAZY and info.lazy is not None:
            self.table.close_view()
            self.lazy.show_lazy(name, info.lazy)
            self.stack.setCurrentWidget(self.lazy)
        elif kind is ResultKind.IMAGE and (info.png is not None or info.svg is not None):
            if info.png is not None:
                self.image.show_png(name, info.png)
            else:
                self.image.show_svg(name, info.svg or "")
            self.stack.setCurrentWidget(self.image)
            self.table.close_view()
        elif kind is ResultKind.TEXT:
            text = info.text or ""
            if info.image_note:
                text = f"(No picture: {info.image_note}.)\n\n{text}"
            if info.truncated:
                text += f"\n\n… cut here: the full text has {info.length or 0:,} characters."
            self.text.setPlainText(text)
            self.stack.setCurrentWidget(self.text)
            self.table.close_view()
        else:
            self.table.close_view()
            self.message.setText(f"{name} returned None.")
            self.stack.setCurrentWidget(self.message)
            return
        self.content_shown.emit(kind)

    def _reset_comparison(self, available: bool) -> None:
        self.compare_button.blockSignals(True)
        self.compare_button.setChecked(False)
        self.compare_button.setText("Compare with Previous")
        self.compare_button.blockSignals(False)
        self.compare_button.setVisible(available)

    def _toggle_comparison(self, on: bool) -> None:
        """Show how the value changed since its previous version, or the value again."""
        self.compare_button.setText("Show Value" if on else "Compare with Previous")
        if not on:
            self.stack.setCurrentWidget(self._value_page)
            return
        self._value_page = self.stack.currentWidget()
        name, generation = self.name, self._generation
        self.comparison.setPlainText(f"Comparing {name} with its previous value…")
        self.stack.setCurrentWidget(self.comparison)

        def arrived(reply: Reply) -> None:
            if generation != self._generation:
                return
            if not reply.ok:
                self.comparison.setPlainText(reply.message)
                return
            result: CompareResult = reply.result
            self.comparison.setPlainText(f"{name}: previous value → now\n\n{result.text}")

        self.session.request(CompareParams(name), arrived)

    def clear(self) -> None:
        self._generation += 1
        self.name = None
        self.table.close_view()
        self.lazy.leave()
        self.show_message("Select a computed node to see its value.")


def _tree_item(node: TreeNode, label: str | None = None) -> QTreeWidgetItem:
    children = node.children
    value = node.value or ""
    if children is not None:
        value = f"{node.length if node.length is not None else len(children)} items"
    item = QTreeWidgetItem([label if label is not None else node.label, value, node.type])
    for child in children or []:
        item.addChild(_tree_item(child))
    if node.more:
        item.addChild(QTreeWidgetItem([f"… {node.more:,} more", "", ""]))
    return item


def _no_result(name: str, run: NodeRun) -> str:
    """Why a node shows no value: it runs, a stop ended it, or it never ran."""
    if run.state is NodeState.RUNNING:
        return f"{name} is running…"
    if run.state is NodeState.INTERRUPTED:
        took = f" after {format_seconds(run.seconds)}" if run.seconds is not None else ""
        return f"{name} was interrupted{took}: it has no result. Run it again to compute it."
    return f"{name} has no result yet: double-click it (or press Ctrl+Enter) to run it."
