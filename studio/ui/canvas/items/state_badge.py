"""The run-state badge at a card's right edge, and in the legend: one shape and colour per
state (queued, running, computed, reused, given, failed, interrupted, stale)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from studio.core.runs.run_state import NodeState
from studio.ui.theme import Theme


def paint_state_badge(
    painter: QPainter, centre: QPointF, state: NodeState, theme: Theme, spin: int = 0
) -> None:
    if state is NodeState.NOT_COMPUTED:
        return
    colour = theme.states[state]
    radius = 6.0
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if state is NodeState.QUEUED:
        painter.setPen(QPen(colour, 1.6, Qt.PenStyle.DotLine))
        painter.drawEllipse(centre, radius, radius)
    elif state is NodeState.RUNNING:
        painter.setPen(QPen(colour, 2.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        arc = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
        painter.drawArc(arc, -spin * 16, 270 * 16)
    elif state is NodeState.REUSED:
        painter.setPen(QPen(colour, 1.6))
        painter.drawEllipse(centre, radius, radius)
        painter.setBrush(colour)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(centre, 2.5, 2.5)
    elif state is NodeState.GIVEN:
        _paint_given(painter, centre, colour, radius)
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(centre, radius, radius)
        pen = QPen(QColor("#ffffff"), 1.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        x, y = centre.x(), centre.y()
        if state is NodeState.DONE:
            painter.drawPolyline(
                [QPointF(x - 3, y), QPointF(x - 0.8, y + 2.4), QPointF(x + 3.2, y - 2.6)]
            )
        elif state is NodeState.FAILED:
            painter.drawLine(QPointF(x, y - 3.2), QPointF(x, y + 0.8))
            painter.drawPoint(QPointF(x, y + 3))
        elif state is NodeState.STALE:
            painter.drawLine(QPointF(x - 3, y), QPointF(x + 3, y))
        elif state is NodeState.INTERRUPTED:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#ffffff"))
            painter.drawRect(QRectF(x - 2.6, y - 2.6, 5.2, 5.2))
    painter.restore()


def _paint_given(painter: QPainter, centre: QPointF, colour: QColor, radius: float) -> None:
    """A filled disc with an arrow pointing into it: the value was handed in, not computed."""
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(centre, radius, radius)
    pen = QPen(QColor("#ffffff"), 1.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    x, y = centre.x(), centre.y()
    painter.drawLine(QPointF(x, y - 3.4), QPointF(x, y + 2.6))
    painter.drawPolyline([QPointF(x - 2.8, y), QPointF(x, y + 2.8), QPointF(x + 2.8, y)])
