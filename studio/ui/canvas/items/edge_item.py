"""An edge on the canvas: a curve from one node's card to another's, with an arrowhead.

Edges take no mouse input and have a cheap shape, so that thousands of
them cost nothing in hit tests.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from studio.core.layout import EdgeRoute
from studio.ui.canvas.items.node_item import Emphasis
from studio.ui.theme import Theme

_ARROW = 7.0


class EdgeItem(QGraphicsItem):
    def __init__(self, source: str, target: str, theme: Theme) -> None:
        super().__init__()
        self.source = source
        self.target = target
        self.theme = theme
        self.emphasis = Emphasis.NORMAL
        self._path = QPainterPath()
        self._tip = QPointF()
        self._arrow = QPolygonF()
        self._bounds = QRectF()
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self.setZValue(1)

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.target)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.update()

    def set_emphasis(self, emphasis: Emphasis) -> None:
        if emphasis is not self.emphasis:
            self.emphasis = emphasis
            self.setZValue(
                {Emphasis.UPSTREAM: 3, Emphasis.DOWNSTREAM: 3, Emphasis.DIMMED: 0}.get(emphasis, 1)
            )
            self.update()

    def set_route(self, route: EdgeRoute) -> None:
        """Follow a route computed by the layout engine."""
        points = [QPointF(*p) for p in route.points]
        path = QPainterPath(points[0])
        for i in range(1, len(points) - 2, 3):
            path.cubicTo(points[i], points[i + 1], points[i + 2])
        tip = QPointF(*route.tip)
        if (tip - points[-1]).manhattanLength() > 0.5:
            path.lineTo(tip)
        self._set_path(path, tip, path.pointAtPercent(0.985) if tip == points[-1] else points[-1])

    def set_ends(self, start: QPointF, end: QPointF, left_to_right: bool) -> None:
        """A plain S-curve between two ports (while nodes move)."""
        path = QPainterPath(start)
        if left_to_right:
            dx = max(abs(end.x() - start.x()) / 2, 30.0)
            path.cubicTo(QPointF(start.x() + dx, start.y()), QPointF(end.x() - dx, end.y()), end)
        else:
            dy = max(abs(end.y() - start.y()) / 2, 30.0)
            path.cubicTo(QPointF(start.x(), start.y() + dy), QPointF(end.x(), end.y() - dy), end)
        self._set_path(path, end, path.pointAtPercent(0.97))

    def path(self) -> QPainterPath:
        return self._path

    def _set_path(self, path: QPainterPath, tip: QPointF, before_tip: QPointF) -> None:
        self.prepareGeometryChange()
        self._path = path
        self._tip = tip
        angle = math.atan2(tip.y() - before_tip.y(), tip.x() - before_tip.x())
        back = QPointF(math.cos(angle), math.sin(angle)) * _ARROW
        side = QPointF(-math.sin(angle), math.cos(angle)) * (_ARROW * 0.5)
        self._arrow = QPolygonF([tip, tip - back + side, tip - back - side])
        self._bounds = (
            path.controlPointRect().united(self._arrow.boundingRect()).adjusted(-2, -2, 2, 2)
        )

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        shape = QPainterPath()
        shape.addRect(self._bounds)
        return shape

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        theme = self.theme
        color, width = theme.edge, 1.2
        if self.emphasis is Emphasis.UPSTREAM:
            color, width = theme.upstream, 2.0
        elif self.emphasis is Emphasis.DOWNSTREAM:
            color, width = theme.downstream, 2.0
        elif self.emphasis is Emphasis.DIMMED:
            painter.setOpacity(0.18)
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if lod > 0.3:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(color, width))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._path)
        if lod > 0.2:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawPolygon(self._arrow)
