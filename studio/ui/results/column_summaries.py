"""Column summaries beside a table: nulls, distinct values, range, common values, histogram."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.core.protocol.data_requests import TableSummariesResult

_HISTOGRAM_ROLE = Qt.ItemDataRole.UserRole + 1
_COLUMNS = ["Column", "Nulls", "Distinct", "Min", "Max", "Mean", "Most frequent", "Histogram"]


class _HistogramDelegate(QStyledItemDelegate):
    """Draws a column's histogram as small bars inside its cell."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Any) -> None:
        super().paint(painter, option, index)
        counts = index.data(_HISTOGRAM_ROLE)
        if not counts:
            return
        rect: QRect = option.rect.adjusted(4, 4, -4, -4)
        top = max(counts) or 1
        width = rect.width() / len(counts)
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#3b7ddd"))
        for i, count in enumerate(counts):
            height = rect.height() * count / top
            painter.drawRect(
                int(rect.left() + i * width),
                int(rect.bottom() - height),
                max(1, int(width) - 1),
                int(height),
            )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:
        return QSize(120, 26)


class ColumnSummaries(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._note = QLabel()
        self._table = QTableWidget(0, len(_COLUMNS))
        self._table.setHorizontalHeaderLabels(_COLUMNS)
        self._table.verticalHeader().setVisible(False)
        self._table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self._table.setItemDelegateForColumn(len(_COLUMNS) - 1, _HistogramDelegate(self._table))
        header = self._table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(_COLUMNS) - 1, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(len(_COLUMNS) - 1, 130)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._note)
        layout.addWidget(self._table)

    def clear(self, message: str = "") -> None:
        self._table.setRowCount(0)
        self._note.setText(message)

    def show_summaries(self, result: TableSummariesResult) -> None:
        sampled, total = result.sampled, result.total
        self._note.setText(
            f"Computed on a random sample of {sampled:,} of {total:,} rows."
            if sampled
            else f"Computed on all {total:,} rows."
        )
        columns = result.columns
        self._table.setRowCount(len(columns))
        for row, column in enumerate(columns):
            top = column.top or []
            values = [
                f"{column.name}  ({column.dtype})",
                f"{column.nulls:,}",
                "" if column.distinct is None else f"{column.distinct:,}",
                column.min or "",
                column.max or "",
                column.mean or "",
                ", ".join(f"{value} ({count:,})" for value, count in top),
                "",
            ]
            for position, text in enumerate(values):
                item = QTableWidgetItem(str(text))
                if position == len(values) - 1 and column.histogram is not None:
                    item.setData(_HISTOGRAM_ROLE, column.histogram.counts)
                    edges = column.histogram.edges
                    item.setToolTip(f"{len(edges) - 1} bins from {edges[0]:.4g} to {edges[-1]:.4g}")
                self._table.setItem(row, position, item)

    def row_texts(self) -> list[list[str]]:
        return [
            [self._table.item(r, c).text() for c in range(self._table.columnCount())]
            for r in range(self._table.rowCount())
        ]

    def histogram(self, row: int) -> list[int] | None:
        item = self._table.item(row, len(_COLUMNS) - 1)
        return None if item is None else item.data(_HISTOGRAM_ROLE)

    def note(self) -> str:
        return self._note.text()
