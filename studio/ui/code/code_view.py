"""A read-only code view: line numbers in a gutter, syntax colours, a marked line."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from studio.ui.code.highlighter import PygmentsHighlighter


class _Gutter(QWidget):
    def __init__(self, view: CodeView) -> None:
        super().__init__(view)
        self.view = view

    def sizeHint(self) -> QSize:
        return QSize(self.view.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self.view.paint_gutter(event)


class CodeView(QPlainTextEdit):
    def __init__(self, style: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        self.first_line = 1
        self.marked_line: int | None = None
        self._gutter = _Gutter(self)
        self._highlighter = PygmentsHighlighter(self.document(), style)
        self.blockCountChanged.connect(self._update_margins)
        self.updateRequest.connect(self._scroll_gutter)
        self.set_style(style)
        self._update_margins()

    def set_style(self, style: str) -> None:
        self._highlighter.set_style(style)
        background = self._highlighter.background
        self.setStyleSheet(
            f"QPlainTextEdit {{ background: {background.name()};"
            f" color: {self._highlighter.foreground.name()}; }}"
        )
        self._update_mark()
        self._gutter.update()

    def show_code(self, text: str, first_line: int = 1, marked_line: int | None = None) -> None:
        """Show `text`, numbering its lines from `first_line`, and scroll to `marked_line`."""
        self.first_line = first_line
        self.marked_line = marked_line
        self.setPlainText(text)
        self._update_margins()
        self._update_mark()
        if marked_line is not None:
            block = self.document().findBlockByNumber(max(0, marked_line - first_line))
            self.setTextCursor(QTextCursor(block))
            self.centerCursor()

    def gutter_width(self) -> int:
        digits = len(str(self.first_line + max(1, self.blockCount())))
        return 14 + self.fontMetrics().horizontalAdvance("9") * digits

    def _update_margins(self, *_args: object) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _scroll_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        area = self.contentsRect()
        self._gutter.setGeometry(QRect(area.left(), area.top(), self.gutter_width(), area.height()))

    def _update_mark(self) -> None:
        selections = []
        if self.marked_line is not None and self.blockCount() > 1:
            block = self.document().findBlockByNumber(self.marked_line - self.first_line)
            if block.isValid():
                mark = QTextEdit.ExtraSelection()
                colour = QColor(self._highlighter.foreground)
                colour.setAlpha(28)
                mark.format.setBackground(colour)
                mark.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
                mark.cursor = QTextCursor(block)
                selections.append(mark)
        self.setExtraSelections(selections)

    def paint_gutter(self, event: QPaintEvent) -> None:
        painter = QPainter(self._gutter)
        background = QColor(self._highlighter.background)
        painter.fillRect(
            event.rect(),
            background.darker(104) if background.lightness() > 128 else background.lighter(115),
        )
        muted = QColor(self._highlighter.foreground)
        muted.setAlpha(110)
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        height = self.fontMetrics().height()
        while block.isValid() and top <= event.rect().bottom():
            if block.isVisible():
                number = self.first_line + block.blockNumber()
                painter.setPen(
                    muted if number != self.marked_line else self._highlighter.foreground
                )
                painter.drawText(
                    0,
                    top,
                    self._gutter.width() - 6,
                    height,
                    Qt.AlignmentFlag.AlignRight,
                    str(number),
                )
            top += round(self.blockBoundingRect(block).height())
            block = block.next()
        painter.end()
