"""The legend in the canvas's corner: one swatch per kind of node, one badge per run state.

Folded into a small "Legend" tab so it never hides nodes; it unfolds while
the pointer is over it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QEnterEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from studio.core.graph.snapshot import NodeKind
from studio.core.runs.run_state import NodeState
from studio.ui.canvas.items.node_item import paint_check_badge, paint_folded_corner, paint_stack
from studio.ui.canvas.items.state_badge import paint_state_badge
from studio.ui.theme import KIND_LABELS, Theme

MARK_LABELS = ("code changed", "one function's nodes", "validated result")
"""The marks after the kinds: the change dot, a function card's stack, its check badge."""

STATE_LABELS = {
    NodeState.QUEUED: "queued",
    NodeState.RUNNING: "running",
    NodeState.DONE: "computed",
    NodeState.REUSED: "reused",
    NodeState.GIVEN: "given (--overrides)",
    NodeState.FAILED: "failed",
    NodeState.INTERRUPTED: "interrupted",
    NodeState.STALE: "stale",
}

_ROW = 18
_PAD = 10
_SWATCH = 14


class Legend(QWidget):
    resized = Signal()

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        rows = len(KIND_LABELS) + len(MARK_LABELS)
        labels = [*KIND_LABELS.values(), *STATE_LABELS.values(), *MARK_LABELS]
        width = max(self.fontMetrics().horizontalAdvance(t) for t in labels)
        self._column = width + _SWATCH + 3 * _PAD
        self._full = QSize(2 * self._column + 4, rows * _ROW + 2 * _PAD)
        self._folded = QSize(self.fontMetrics().horizontalAdvance("Legend ▴") + 2 * _PAD, _ROW + 8)
        self.expanded = False
        self.setToolTip("")
        self.setFixedSize(self._folded)

    def set_expanded(self, expanded: bool) -> None:
        if expanded != self.expanded:
            self.expanded = expanded
            self.setFixedSize(self._full if expanded else self._folded)
            self.resized.emit()
            self.update()

    def enterEvent(self, event: QEnterEvent) -> None:
        self.set_expanded(True)
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self.set_expanded(False)
        super().leaveEvent(event)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        theme = self.theme
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        background = QColor(theme.region_fill)
        background.setAlpha(235)
        painter.setPen(QPen(theme.region_border))
        painter.setBrush(background)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)
        if not self.expanded:
            painter.setPen(theme.node_subtext)
            painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, "Legend ▴")
            painter.end()
            return
        y = _PAD
        for kind, label in KIND_LABELS.items():
            style = theme.kind(kind)
            swatch = QRectF(_PAD, y + 2, _SWATCH, _SWATCH - 2)
            pen = QPen(
                style.accent, 1.4, Qt.PenStyle.DashLine if style.dashed else Qt.PenStyle.SolidLine
            )
            painter.setPen(pen)
            painter.setBrush(style.fill if style.dashed else style.accent)
            painter.drawRoundedRect(swatch, 3, 3)
            if style.folded:
                painter.setBrush(style.fill)
                painter.drawRoundedRect(swatch, 3, 3)
                paint_folded_corner(painter, swatch, style.accent, 6)
            painter.setPen(theme.node_text)
            painter.drawText(
                QRectF(_PAD * 2 + _SWATCH, y, self.width(), _ROW),
                Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            y += _ROW
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.changed)
        painter.drawEllipse(QRectF(_PAD + 3.5, y + 5, 7, 7))
        stack = QRectF(_PAD - 1, y + _ROW + 2, _SWATCH - 4, _SWATCH - 6)
        paint_stack(painter, stack, theme.kind(NodeKind.FUNCTION).fill, theme.node_border, 2, 2)
        painter.setPen(QPen(theme.node_border, 1.0))
        painter.setBrush(theme.kind(NodeKind.FUNCTION).fill)
        painter.drawRoundedRect(stack, 2, 2)
        paint_check_badge(painter, QPointF(_PAD + _SWATCH / 2, y + 2 * _ROW + _ROW / 2), theme)
        painter.setPen(theme.node_text)
        for row, label in enumerate(MARK_LABELS):
            painter.drawText(
                QRectF(_PAD * 2 + _SWATCH, y + row * _ROW, self.width(), _ROW),
                Qt.AlignmentFlag.AlignVCenter,
                label,
            )
        y = _PAD
        for state, label in STATE_LABELS.items():
            centre = QPointF(self._column + _PAD + _SWATCH / 2, y + _ROW / 2)
            paint_state_badge(painter, centre, state, theme, spin=90)
            painter.setPen(theme.node_text)
            painter.drawText(
                QRectF(self._column + _PAD * 2 + _SWATCH, y, self._column, _ROW),
                Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            y += _ROW
        painter.end()
