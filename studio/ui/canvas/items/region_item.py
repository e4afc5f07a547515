"""A module's region: a labelled rounded box behind the module's nodes."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from studio.core.graph.namespaces import region_title
from studio.ui.theme import Theme

LABEL_HEIGHT = 22.0
_READABLE_AT = 0.8
_MOST_GROWTH = 1.6
TITLE_PIXELS = 11.0
"""Far out, the title keeps at least this height on screen, growing up out of its band."""
_MOST_RISE = 60.0
"""How far (scene pixels) the title may rise above the region, into the gap above it."""


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
        return self._rect.adjusted(-1, -1 - _MOST_RISE, 1, 1)

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
        label = self._rect.adjusted(12, 4, -12, 0)
        label.setHeight(LABEL_HEIGHT)
        align = Qt.AlignmentFlag.AlignVCenter
        if lod < _READABLE_AT:  # zoomed out: the title grows, up out of its band if need be
            font = QFont(font)
            grown = font.pointSizeF() * min(_READABLE_AT / lod, _MOST_GROWTH)
            font.setPointSizeF(max(grown, TITLE_PIXELS * 0.75 / lod))
            height = QFontMetricsF(font).height()
            if height > LABEL_HEIGHT:
                room = LABEL_HEIGHT + _MOST_RISE
                if height > room:
                    font.setPointSizeF(font.pointSizeF() * room / height)
                label.setTop(label.bottom() - min(height, room))
                align = Qt.AlignmentFlag.AlignBottom
        painter.setFont(font)
        text = QFontMetricsF(font).elidedText(
            self.title, Qt.TextElideMode.ElideRight, label.width()
        )
        painter.drawText(label, Qt.AlignmentFlag.AlignLeft | align, text)
