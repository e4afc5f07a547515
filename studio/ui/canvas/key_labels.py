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

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from studio.core.graph.display_graph import DisplayGraph
from studio.core.graph.emphasis import Emphasis
from studio.core.model import Workspace
from studio.core.runs.run_state import NodeState
from studio.ui.canvas.items.module_item import ModuleItem
from studio.ui.canvas.items.node_item import NodeItem
from studio.ui.theme import Theme

SHOW_BELOW = 0.45
"""Zoom under which the card's own text is too small and the labels show."""
LABEL_PIXELS = 12.0
MOST_LABELS = 80
MOST_TRIED = 400
"""Candidates looked at for a place; the rest would mostly be covered anyway."""
_REPAINT_AFTER_MS = 120
"""Run states arrive node by node: their labels are repainted at most this often."""
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
        self.sinks: tuple[str, ...] = ()
        self._plan: tuple[float, list[tuple[QRectF, str, QColor | None]]] | None = None
        """The labels placed at a zoom: repaints at that zoom only draw them."""
        self._rect = QRectF()
        self._font = QFont()
        self._font.setWeight(QFont.Weight.DemiBold)
        self.setZValue(40)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.showing = False
        """Labels were drawn last time: only then do the models' changes repaint them
        (the layer covers the whole drawing, so a repaint is a repaint of everything)."""
        self._soon = QTimer()
        self._soon.setSingleShot(True)
        self._soon.setInterval(_REPAINT_AFTER_MS)
        self._soon.timeout.connect(self.update)
        workspace.selection.changed.connect(self._changed)
        workspace.selection.search_changed.connect(self._changed)
        workspace.runs.states_changed.connect(lambda _names: self._changed())

    def _changed(self) -> None:
        self._plan = None
        if self.showing and not self._soon.isActive():
            self._soon.start()

    def set_drawing(self, rect: QRectF, display: DisplayGraph) -> None:
        if rect != self._rect:  # a new extent repaints everything under it: only if it moved
            self.prepareGeometryChange()
            self._rect = QRectF(rect)
        elif self.showing:
            self.update()
        self._plan = None
        fed = {source for source, _ in display.edge_counts}
        sinks = {n.name for n in display.nodes if not n.is_external_input} - fed
        self.sinks = tuple(sorted(sinks))

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-400, -80, 400, 80)

    def important(self) -> Iterator[tuple[str, QColor | None]]:
        """Names worth a label, most important first, with the colour that says why (a
        collapsed module by its module name)."""
        theme = self._theme()
        runs = self.workspace.runs.state
        selection = self.workspace.selection
        failed = [n for n, r in runs.nodes.items() if r.state is NodeState.FAILED]
        lineage = (
            [
                n
                for n, item in self.nodes.items()
                if item.emphasis in (Emphasis.UPSTREAM, Emphasis.DOWNSTREAM)
            ]
            if selection.keys
            else []
        )
        groups: list[tuple[list[str], QColor | None]] = [
            (failed, theme.states[NodeState.FAILED]),
            (selection.names(), theme.selection),
            (sorted(selection.search_hits), theme.search),
            (sorted(self.modules), None),
            (lineage, None),
            (list(self.sinks), None),
        ]
        drawn = self.scene().drawn  # type: ignore[attr-defined]  # the graph scene's
        owner = drawn.owner if drawn is not None else {}
        seen: set[str] = set()
        for names, colour in groups:
            for name in (owner.get(n, n) for n in names):  # a folded node: its card
                if name not in seen and (name in self.nodes or name in self.modules):
                    seen.add(name)
                    yield name, colour

    def _theme(self) -> Theme:
        return self.scene().theme  # type: ignore[attr-defined]  # the graph scene's

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        self.showing = 0 < lod < SHOW_BELOW
        if not self.showing:
            return
        if self._plan is None or self._plan[0] != lod:
            self._plan = (lod, self._place(lod))
        font = QFont(self._font)
        font.setPointSizeF(LABEL_PIXELS * 0.75 / lod)
        painter.setFont(font)
        theme = self._theme()
        exposed = option.exposedRect
        for box, name, colour in self._plan[1]:
            if not box.intersects(exposed):
                continue
            painter.setPen(QPen(colour or theme.node_border, 1.5 / lod))
            painter.setBrush(theme.base)
            painter.drawRoundedRect(box, 4 / lod, 4 / lod)
            painter.setPen(theme.node_text)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, name)

    def _place(self, lod: float) -> list[tuple[QRectF, str, QColor | None]]:
        """Where each label goes at this zoom, most important first, none covering another."""
        font = QFont(self._font)
        font.setPointSizeF(LABEL_PIXELS * 0.75 / lod)
        metrics = QFontMetricsF(font)
        pad = _PAD / lod
        placed: list[tuple[QRectF, str, QColor | None]] = []
        for tried, (name, colour) in enumerate(self.important()):
            if len(placed) >= MOST_LABELS or tried >= MOST_TRIED:
                break
            node = self.nodes.get(name)
            key = name if node is not None else self.modules[name].key
            centre = self.scene().key_centre(key)  # type: ignore[attr-defined]  # where it ends
            if centre is None:
                continue
            if node is not None and node.folded:
                name = node.shown  # a function card's function name
            width = metrics.horizontalAdvance(name) + 2 * pad
            height = metrics.height() + pad
            box = QRectF(centre.x() - width / 2, centre.y() - height / 2, width, height)
            if not any(box.intersects(other) for other, _, _ in placed):
                placed.append((box, name, colour))
        return placed
