"""How many graph edges a bundled edge stands for ("×12"), written over its middle.

The label is an item of its own, in a layer above the boxes: drawn by the
edge, below every box, it was hidden wherever a bundle ran under a module
box. It follows its edge (placed, coloured and faded by it).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from studio.ui.theme import Theme

SHOW_ABOVE = 0.35
"""Zoom under which the count is too small to read and is left out."""
_WIDTH, _HEIGHT = 60.0, 14.0
_PILL_INSET = 14.0


class CountLabel(QGraphicsItem):
    def __init__(self, count: int, theme: Theme, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self.count = count
        self.theme = theme
        self.colour = QColor(theme.edge)
        self._rect = QRectF()
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)

    def place(self, middle_x: float, middle_y: float) -> None:
        """Centre the label just above the point (the middle of the edge)."""
        rect = QRectF(middle_x - _WIDTH / 2, middle_y - 16.0, _WIDTH, _HEIGHT)
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = rect

    def set_look(self, count: int, theme: Theme, colour: QColor, opacity: float) -> None:
        self.count, self.theme, self.colour = count, theme, QColor(colour)
        self.setOpacity(opacity)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if lod <= SHOW_ABOVE or self._rect.isEmpty():
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.theme.canvas)  # lines and boxes under it do not cut the count
        painter.drawRoundedRect(self._rect.adjusted(_PILL_INSET, 0, -_PILL_INSET, 0), 5, 5)
        painter.setPen(self.colour)
        painter.setFont(_count_font())
        painter.drawText(self._rect, Qt.AlignmentFlag.AlignCenter, f"×{self.count}")


_FONT: list[QFont] = []


def _count_font() -> QFont:
    if not _FONT:
        font = QFont()
        font.setPointSizeF(8.0)
        font.setWeight(QFont.Weight.DemiBold)
        _FONT.append(font)
    return _FONT[0]
