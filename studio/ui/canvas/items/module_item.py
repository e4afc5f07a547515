"""A collapsed module: one box standing for all its nodes.

It shows the module's name, how many nodes it holds, and a summary of
their run states; double-clicking it opens the module again.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from studio.core.graph.display_graph import CollapsedModule
from studio.core.graph.emphasis import Emphasis
from studio.core.runs.run_state import NodeState
from studio.ui.canvas.items.node_item import CardItem
from studio.ui.canvas.items.state_badge import paint_state_badge
from studio.ui.theme import Theme

_HEIGHT = 64.0
_MIN_WIDTH = 170.0
_PAD = 14.0
_RADIUS = 10.0
_SHOWN_STATES = (
    NodeState.FAILED,
    NodeState.RUNNING,
    NodeState.DONE,
    NodeState.GIVEN,
    NodeState.STALE,
    NodeState.INTERRUPTED,
)


def title_font() -> QFont:
    font = QFont()
    font.setPointSizeF(10.5)
    font.setWeight(QFont.Weight.DemiBold)
    return font


def detail_font() -> QFont:
    font = QFont()
    font.setPointSizeF(8.5)
    return font


def module_size(module: CollapsedModule, metrics: QFontMetricsF) -> QSizeF:
    text = metrics.horizontalAdvance(module.module) + 2 * _PAD + 28
    return QSizeF(max(_MIN_WIDTH, text), _HEIGHT)


class ModuleItem(CardItem):
    def __init__(self, module: CollapsedModule, size: QSizeF, theme: Theme) -> None:
        super().__init__()
        self.module = module
        self.theme = theme
        self.size = size
        self.set_bounds(self.card_rect().adjusted(-6, -6, 6, 6))
        self.emphasis = Emphasis.NORMAL
        self.search_hits = 0
        self.states: Counter[NodeState] = Counter()
        self._title_font = title_font()
        self._detail_font = detail_font()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(10)
        self._update_tooltip()

    @property
    def name(self) -> str:
        return self.module.module

    @property
    def key(self) -> str:
        return self.module.key

    def set_module(self, module: CollapsedModule, size: QSizeF) -> None:
        if size != self.size:
            self.size = size
            self.set_bounds(self.card_rect().adjusted(-6, -6, 6, 6))
        self.module = module
        self._update_tooltip()
        self.update()

    def set_search_hits(self, hits: int) -> None:
        if hits != self.search_hits:
            self.search_hits = hits
            self.update()

    def set_states(self, states: Counter[NodeState]) -> None:
        if states != self.states:
            self.states = states
            self._update_tooltip()
            self.update()

    def _update_tooltip(self) -> None:
        count = len(self.module.members)
        lines = [f"<b>module {self.name}</b>: {count} node{'s' * (count != 1)}"]
        summary = self._summary()
        if summary:
            lines.append(summary)
        lines.append("<i>double-click to expand</i>")
        self.setToolTip("<br>".join(lines))

    def _summary(self) -> str:
        return " · ".join(
            f"{self.states[state]} {state.value}" for state in _SHOWN_STATES if self.states[state]
        )

    def card_rect(self) -> QRectF:
        return QRectF(-self.size.width() / 2, -self.size.height() / 2, *self.size.toTuple())

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        theme = self.theme
        rect = self.card_rect()
        if self.emphasis is Emphasis.DIMMED:
            painter.setOpacity(0.35)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        border, width = theme.region_border, 1.4
        if self.emphasis is Emphasis.SELECTED:
            border, width = theme.selection, 2.6
        elif self.emphasis is Emphasis.UPSTREAM:
            border, width = theme.upstream, 2.0
        elif self.emphasis is Emphasis.DOWNSTREAM:
            border, width = theme.downstream, 2.0
        elif self.search_hits:
            border, width = theme.search, 2.6
        elif self.states[NodeState.FAILED]:
            border, width = theme.states[NodeState.FAILED], 2.0
        # A second card peeking out behind: this box holds many.
        painter.setPen(QPen(theme.region_border, 1.0))
        painter.setBrush(theme.region_fill)
        painter.drawRoundedRect(rect.translated(4, 4), _RADIUS, _RADIUS)
        painter.setPen(QPen(border, width))
        painter.drawRoundedRect(rect, _RADIUS, _RADIUS)
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if lod < 0.3:
            return
        left = rect.left() + _PAD
        painter.setPen(theme.node_text)
        painter.setFont(self._title_font)
        painter.drawText(
            QRectF(left, rect.top() + 8, rect.width() - 2 * _PAD - 22, 22),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self.name,
        )
        painter.setPen(theme.node_subtext)
        painter.setFont(self._detail_font)
        count = len(self.module.members)
        detail = f"{count} node{'s' * (count != 1)}"
        if self.search_hits:
            detail += f" · {self.search_hits} match{'es' * (self.search_hits != 1)}"
        elif self.states:
            detail += " · " + self._summary()
        painter.drawText(
            QRectF(left, rect.top() + 32, rect.width() - 2 * _PAD, 18),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            detail,
        )
        self._paint_expand_glyph(painter, rect)
        state = next((s for s in _SHOWN_STATES[:2] if self.states[s]), None)
        if state is not None:
            paint_state_badge(painter, QPointF(rect.right() - 16, rect.bottom() - 16), state, theme)

    def _paint_expand_glyph(self, painter: QPainter, rect: QRectF) -> None:
        """A small plus in a square at the top right: this box opens."""
        box = QRectF(rect.right() - 26, rect.top() + 10, 14, 14)
        painter.setPen(QPen(self.theme.node_subtext, 1.2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(box, 3, 3)
        centre = box.center()
        painter.drawLine(QPointF(centre.x() - 4, centre.y()), QPointF(centre.x() + 4, centre.y()))
        painter.drawLine(QPointF(centre.x(), centre.y() - 4), QPointF(centre.x(), centre.y() + 4))
