"""Names that stay readable when the view is zoomed far out: the nodes that matter.

Zoomed out on a big graph, cards are too small to carry text. Rather than
blank shapes, this layer writes, at a fixed size on screen, the names of
the nodes a user is looking for: failures first, then the selection,
search hits, collapsed modules, the selection's lineage and the graph's
sinks. A label that
would cover one already written is left out, so what shows stays legible.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from studio.core.display_graph import DisplayGraph
from studio.core.emphasis import Emphasis
from studio.core.model import Workspace
from studio.core.run_state import NodeState
from studio.ui.canvas.items.module_item import ModuleItem
from studio.ui.canvas.items.node_item import NodeItem
from studio.ui.theme import Theme

SHOW_BELOW = 0.45
"""Zoom under which the card's own text is too small and the labels show."""
LABEL_PIXELS = 12.0
MOST_LABELS = 80
_PAD = 3.0


class KeyLabels(QGraphicsItem):
    def __init__(
        self,
        nodes: dict[str, NodeItem],
        modules: dict[str, ModuleItem],
        workspace: Workspace,
    ) -> None:
        super().__init__()
        self.nodes = nodes
        self.modules = modules
        self.workspace = workspace
        self.sinks: frozenset[str] = frozenset()
        self._rect = QRectF()
        self._font = QFont()
        self._font.setWeight(QFont.Weight.DemiBold)
        self.setZValue(40)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        workspace.selection.changed.connect(self.update)
        workspace.selection.search_changed.connect(self.update)
        workspace.runs.states_changed.connect(lambda _names: self.update())

    def set_drawing(self, rect: QRectF, display: DisplayGraph) -> None:
        self.prepareGeometryChange()
        self._rect = QRectF(rect)
        fed = {source for source, _ in display.edge_counts}
        self.sinks = frozenset(n.name for n in display.nodes if not n.is_external_input) - fed

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-400, -80, 400, 80)

    def important(self) -> Iterator[tuple[str, QColor | None]]:
        """Names worth a label, most important first, with the colour that says why (a
        collapsed module by its module name)."""
        theme = self._theme()
        runs = self.workspace.runs.state
        selection = self.workspace.selection
        failed = [n for n, r in runs.nodes.items() if r.state is NodeState.FAILED]
        lineage = [
            n
            for n, item in self.nodes.items()
            if item.emphasis in (Emphasis.UPSTREAM, Emphasis.DOWNSTREAM)
        ]
        groups: list[tuple[list[str], QColor | None]] = [
            (failed, theme.states[NodeState.FAILED]),
            (selection.names(), theme.selection),
            (sorted(selection.search_hits), theme.search),
            (sorted(self.modules), None),
            (lineage, None),
            (sorted(self.sinks), None),
        ]
        seen: set[str] = set()
        for names, colour in groups:
            for name in names:
                if name not in seen and (name in self.nodes or name in self.modules):
                    seen.add(name)
                    yield name, colour

    def _theme(self) -> Theme:
        return self.scene().theme  # type: ignore[attr-defined]  # the graph scene's

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if lod >= SHOW_BELOW or lod <= 0:
            return
        font = QFont(self._font)
        font.setPointSizeF(LABEL_PIXELS * 0.75 / lod)
        metrics = QFontMetricsF(font)
        pad = _PAD / lod
        painter.setFont(font)
        taken: list[QRectF] = []
        for name, colour in self.important():
            if len(taken) >= MOST_LABELS:
                break
            item = self.nodes.get(name) or self.modules[name]
            card = item.sceneBoundingRect()
            width = metrics.horizontalAdvance(name) + 2 * pad
            height = metrics.height() + pad
            box = QRectF(
                card.center().x() - width / 2, card.center().y() - height / 2, width, height
            )
            if any(box.intersects(other) for other in taken):
                continue
            taken.append(box)
            theme = self._theme()
            painter.setPen(QPen(colour or theme.node_border, 1.5 / lod))
            painter.setBrush(theme.base)
            painter.drawRoundedRect(box, 4 / lod, 4 / lod)
            painter.setPen(theme.node_text)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, name)
