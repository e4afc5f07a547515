"""The table viewer: a remote frame with sort, filter, jumps, copy, export and column summaries."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionRange, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.protocol.data_requests import (
    Column,
    TableExportParams,
    TableExportResult,
    TableInfo,
    TableSummariesParams,
)
from studio.ui.kernel.session import KernelSession, Reply
from studio.ui.results.column_summaries import ColumnSummaries
from studio.ui.results.frame_model import RemoteFrameModel

COPY_LIMIT = 200_000
"""Cells copied at most in one go (they come from the kernel first)."""


class TableViewer(QWidget):
    status = Signal(str)
    """Something to tell the user (copied, exported, failed)."""

    def __init__(self, session: KernelSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = RemoteFrameModel(session, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(22)
        columns = self.table.horizontalHeader()
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        columns.setDefaultSectionSize(120)
        columns.setSectionsClickable(True)
        columns.setSortIndicatorShown(False)
        columns.sectionClicked.connect(self._on_header_clicked)
        self.filter_field = QLineEdit()
        self.filter_field.setPlaceholderText(filter_hint([]))
        self.filter_field.setClearButtonEnabled(True)
        self.filter_field.returnPressed.connect(self.apply_filter)
        self.filter_field.textChanged.connect(lambda text: text or self.apply_filter())
        self.filter_error = QLabel()
        self.filter_error.setWordWrap(True)
        self.filter_error.setStyleSheet("color: #d62d2d;")
        self.filter_error.hide()
        self.count_label = QLabel()
        self.summaries = ColumnSummaries()
        self.summaries.hide()
        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        self._buttons: dict[str, QToolButton] = {}
        for key, text, tip, slot in (
            ("first", "⤒ First", "Jump to the first row (Ctrl+Home)", self.jump_first),
            ("last", "⤓ Last", "Jump to the last row (Ctrl+End)", self.jump_last),
            (
                "copy",
                "Copy",
                "Copy the selected cells as tab-separated text (Ctrl+C)",
                self.copy_selection,
            ),
            (
                "summaries",
                "Column Summaries",
                "Nulls, distinct values, ranges and histograms",
                self.toggle_summaries,
            ),
            ("export", "Export…", "Write the whole result to CSV or Parquet", self.export),
        ):
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            self._buttons[key] = button
            buttons.addWidget(button)
        self._buttons["summaries"].setCheckable(True)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.summaries)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_field)
        layout.addWidget(self.filter_error)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)
        self.model.reset_done.connect(self._update_count)
        self.model.error.connect(self._on_error)
        self.model.block_arrived.connect(self._fit_columns_once)
        self._fitted = False

    # -- showing a result ---------------------------------------------------------

    def show_table(self, name: str, table: TableInfo) -> None:
        """Show the table view the kernel opened for result `name` (see RESULT_INFO)."""
        self.model.close()
        self.filter_field.blockSignals(True)
        self.filter_field.clear()
        self.filter_field.blockSignals(False)
        self.filter_error.hide()
        self.summaries.clear()
        self._fitted = False
        self.model.adopt(name, table)
        self.filter_field.setPlaceholderText(filter_hint(table.columns, table.dialect))
        self.table.scrollToTop()
        if self.summaries.isVisible():
            self.load_summaries()

    def _update_count(self) -> None:
        rows = self.model.rowCount()
        total = self.model.total_rows
        shown = f"{rows:,} of {total:,} rows" if rows != total else f"{rows:,} rows"
        self.count_label.setText(f"{shown} × {self.model.columnCount()} columns")

    def _fit_columns_once(self, block: int) -> None:
        if self._fitted or block != 0:
            return
        self._fitted = True
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):
            texts = [self.model.cell(r, column) for r in range(min(50, self.model.rowCount()))]
            name = self.model.columns[column].name
            widest = max([metrics.horizontalAdvance(t) for t in [*texts, name]] + [40])
            header.resizeSection(column, min(320, widest + 24))

    # -- sort, filter, jump -----------------------------------------------------------

    def _on_header_clicked(self, column: int) -> None:
        sorted_by, ascending = self.model.cycle_sort(column)
        if sorted_by is None:
            self.status.emit("original order")
        else:
            direction = "ascending" if ascending else "descending"
            self.status.emit(f"sorted by {self.model.columns[column].name}, {direction}")

    def apply_filter(self) -> None:
        self.filter_error.hide()
        self.model.set_filter(self.filter_field.text())

    def _on_error(self, message: str) -> None:
        if self.filter_field.text().strip():
            self.filter_error.setText(
                f"Filter not applied: {message}. No rows are shown until it is fixed or cleared."
            )
            self.filter_error.show()
        else:
            self.status.emit(message)

    def jump_first(self) -> None:
        self.table.scrollToTop()
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))

    def jump_last(self) -> None:
        rows = self.model.rowCount()
        if rows:
            self.table.scrollToBottom()
            self.table.setCurrentIndex(self.model.index(rows - 1, 0))

    # -- copy, export, summaries ------------------------------------------------------

    def copy_selection(self) -> None:
        ranges: list[QItemSelectionRange] = list(self.table.selectionModel().selection())
        if not ranges:
            return
        top = min(r.top() for r in ranges)
        bottom = max(r.bottom() for r in ranges)
        left = min(r.left() for r in ranges)
        right = max(r.right() for r in ranges)
        if (bottom - top + 1) * (right - left + 1) > COPY_LIMIT:
            self.status.emit(f"Select at most {COPY_LIMIT:,} cells to copy (or use Export).")
            return
        if self.model.is_loaded(top, bottom):
            self._copy(top, bottom, left, right)
            return
        self.status.emit("Fetching the selected rows from the kernel…")
        self.model.fetch_rows(top, bottom)

        def when_loaded(_block: int) -> None:
            if self.model.is_loaded(top, bottom):
                self.model.block_arrived.disconnect(when_loaded)
                self._copy(top, bottom, left, right)

        self.model.block_arrived.connect(when_loaded)

    def _copy(self, top: int, bottom: int, left: int, right: int) -> None:
        selected = self.table.selectionModel()
        lines = []
        for row in range(top, bottom + 1):
            cells = [
                self.model.cell(row, column)
                if selected.isSelected(self.model.index(row, column))
                else ""
                for column in range(left, right + 1)
            ]
            lines.append("\t".join(cells))
        QApplication.clipboard().setText("\n".join(lines))
        self.status.emit(f"Copied {bottom - top + 1:,} rows")

    def toggle_summaries(self, checked: bool | None = None) -> None:
        visible = not self.summaries.isVisible() if checked is None else bool(checked)
        self._buttons["summaries"].setChecked(visible)
        self.summaries.setVisible(visible)
        if visible:
            self.load_summaries()

    def load_summaries(self) -> None:
        if self.model.view_id is None:
            return
        self.summaries.clear("Computing column summaries in the kernel…")
        view = self.model.view_id

        def arrived(reply: Reply) -> None:
            if view != self.model.view_id:
                return
            if reply.ok:
                self.summaries.show_summaries(reply.result)
            else:
                self.summaries.clear(f"Column summaries failed: {reply.message}")

        self.session.request(TableSummariesParams(view), arrived)

    def export(self, path: str | None = None) -> None:
        if self.model.view_id is None:
            return
        if path is None:
            start = f"{self.model.name}.csv"
            path, _ = QFileDialog.getSaveFileName(
                self, "Export Result", start, "CSV (*.csv);;Parquet (*.parquet)"
            )
            if not path:
                return
        fmt = "parquet" if Path(path).suffix == ".parquet" else "csv"
        if Path(path).suffix not in (".csv", ".parquet"):
            path += ".csv"
        self.status.emit(f"Exporting {self.model.rowCount():,} rows…")

        def done(reply: Reply) -> None:
            if reply.ok:
                result: TableExportResult = reply.result
                self.status.emit(f"Exported {result.rows:,} rows to {result.path}")
            else:
                self.status.emit(f"Export failed: {reply.message}")

        self.session.request(TableExportParams(self.model.view_id, path, fmt), done)

    def close_view(self) -> None:
        self.model.close()

    def cells(self, rows: int, columns: int | None = None) -> list[list[str]]:
        """The first `rows` rows as shown (for tests and screenshots)."""
        columns = self.model.columnCount() if columns is None else columns
        return [[self.model.cell(r, c) for c in range(columns)] for r in range(rows)]

    def header_texts(self) -> list[str]:
        return [
            str(self.model.headerData(c, Qt.Orientation.Horizontal))
            for c in range(self.model.columnCount())
        ]


def filter_hint(columns: list[Column], dialect: str = "pandas") -> str:
    """The filter box's hint, written with the table's own columns in its library's dialect:
    a pandas query, a polars expression or a PyArrow compute expression."""

    def numeric(column: Column) -> bool:
        return column.dtype.lower().startswith(("int", "uint", "float", "decimal", "double"))

    def condition(column: Column) -> str:
        if dialect == "polars":
            test = "> 0" if numeric(column) else '== "…"'
            return f'(pl.col("{column.name}") {test})'
        if dialect == "pyarrow":
            test = "> 0" if numeric(column) else '== "…"'
            return f'(pc.field("{column.name}") {test})'
        name = column.name if column.name.isidentifier() else f"`{column.name}`"
        return f"{name} > 0" if numeric(column) else f'{name} == "…"'

    language = {"polars": "polars expression", "pyarrow": "pyarrow expression"}.get(
        dialect, "pandas condition"
    )
    if not columns:
        return f"Filter: a {language} or text to find; Enter"
    joiner = " & " if dialect in ("polars", "pyarrow") else " and "
    example = joiner.join(condition(c) for c in columns[:2])
    return f"Filter: a {language} ({example}) or text to find; Enter"
