"""A module's region: a labelled rounded box behind the module's nodes."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from studio.core.graph.namespaces import region_title
from studio.ui.theme import Theme

LABEL_HEIGHT = 22.0
_READABLE_AT = 0.8
_MOST_GROWTH = 1.6


class RegionItem(QGraphicsItem):
    def __init__(self, module: str, theme: Theme) -> None:
        super().__init__()
        self.module = module
        self.theme = theme
        self._rect = QRectF()
        self._font = QFont()
        self._font.setPointSizeF(9.0)
        self._font.setWeight(QFont.Weight.Medium)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        group, namespace = region_title(module)
        self.title = namespace or group
        self.setZValue(-10 if namespace is None else -9)
        self.setToolTip(
            f"module {group}" if namespace is None else f"namespace {namespace} in module {group}"
        )

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.update()

    def rect(self) -> QRectF:
        return QRectF(self._rect)

    def set_rect(self, rect: QRectF) -> None:
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = QRectF(rect)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-1, -1, 1, 1)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        theme = self.theme
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(theme.region_border, 1.0))
        painter.setBrush(theme.region_fill)
        painter.drawRoundedRect(self._rect, 10, 10)
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if lod < 0.25:
            return
        painter.setPen(theme.region_text)
        font = self._font
        if lod < _READABLE_AT:  # zoomed out: the title grows as far as its band allows
            font = QFont(font)
            font.setPointSizeF(font.pointSizeF() * min(_READABLE_AT / lod, _MOST_GROWTH))
        painter.setFont(font)
        label = self._rect.adjusted(12, 4, -12, 0)
        label.setHeight(LABEL_HEIGHT)
        painter.drawText(
            label, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.title
        )
