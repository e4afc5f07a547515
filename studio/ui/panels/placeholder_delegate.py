"""Grey hint text in empty table cells (what the driver script computes there, say)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

PLACEHOLDER_ROLE = Qt.ItemDataRole.UserRole + 40
"""Item data: the text to show, greyed, while the cell is empty."""


class PlaceholderDelegate(QStyledItemDelegate):
    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().paint(painter, option, index)
        hint = index.data(PLACEHOLDER_ROLE)
        if not hint or index.data(Qt.ItemDataRole.DisplayRole):
            return
        painter.save()
        font = option.font  # type: ignore[attr-defined]
        font.setItalic(True)
        painter.setFont(font)
        color = option.palette.placeholderText().color()  # type: ignore[attr-defined]
        if option.state & QStyle.StateFlag.State_Selected:  # type: ignore[attr-defined]
            color = option.palette.highlightedText().color()  # type: ignore[attr-defined]
        painter.setPen(color)
        rect = option.rect.adjusted(4, 0, -4, 0)  # type: ignore[attr-defined]
        elided = option.fontMetrics.elidedText(  # type: ignore[attr-defined]
            str(hint), Qt.TextElideMode.ElideRight, rect.width()
        )
        painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, elided)
        painter.restore()
