"""The graph scene: one item per node, edge and module region of a snapshot.

The scene keeps a map from node names to items and updates it in place
when a new snapshot and layout arrive: items of nodes that stay are kept
(with their selection) and glide to their new place, new ones fade in,
removed ones go. Emphasis (selection lineage, search hits, changed code)
is state on the items, recomputed from the selection.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEasingCurve, QPointF, QRectF, QTimer, QVariantAnimation, Signal
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QGraphicsScene, QGraphicsSceneMouseEvent

from studio.core.layout import Direction, EdgeRoute, LayoutNode, LayoutRequest, LayoutResult
from studio.core.lineage import GraphIndex
from studio.core.run_state import NodeState, RunState
from studio.core.snapshot import GraphSnapshot
from studio.ui.canvas.items.edge_item import EdgeItem
from studio.ui.canvas.items.node_item import (
    Emphasis,
    NodeItem,
    name_font,
    node_size,
    type_font,
)
from studio.ui.canvas.items.region_item import LABEL_HEIGHT, RegionItem
from studio.ui.theme import Theme

ANIMATION_MS = 240
_SCENE_MARGIN = 400.0


def _lerp(a: QPointF, b: QPointF, t: float) -> QPointF:
    return a + (b - a) * t


def _lerp_rect(a: QRectF, b: QRectF, t: float) -> QRectF:
    return QRectF(_lerp(a.topLeft(), b.topLeft(), t), _lerp(a.bottomRight(), b.bottomRight(), t))


class GraphScene(QGraphicsScene):
    node_activated = Signal(str)
    """A node was double-clicked."""
    lineage_changed = Signal()
    """The highlighted lineage changed (selection or graph)."""

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self.nodes: dict[str, NodeItem] = {}
        self.edges: dict[tuple[str, str], EdgeItem] = {}
        self.regions: dict[str, RegionItem] = {}
        self.snapshot: GraphSnapshot | None = None
        self.index: GraphIndex | None = None
        self.layout: LayoutResult | None = None
        self.direction = Direction.LEFT_RIGHT
        self._name_metrics = QFontMetricsF(name_font())
        self._type_metrics = QFontMetricsF(type_font())
        self._search_hits: set[str] = set()
        self._animation = QVariantAnimation(self)
        self._animation.setDuration(ANIMATION_MS)
        self._animation.setStartValue(0.0)
        self._animation.setEndValue(1.0)
        self._animation.setEasingCurve(QEasingCurve.Type.InOutCubic)
        self._animation.valueChanged.connect(self._step)
        self._animation.finished.connect(self._finish)
        self._moves: dict[str, tuple[QPointF, QPointF]] = {}
        self._region_moves: dict[str, tuple[QRectF, QRectF]] = {}
        self._fading_in: list[NodeItem] = []
        self._final_routes: dict[tuple[str, str], EdgeRoute] = {}
        self.run_state = RunState()
        self._spinner = QTimer(self)
        self._spinner.setInterval(70)
        self._spinner.timeout.connect(self._spin)
        self.setBackgroundBrush(theme.canvas)
        self.selectionChanged.connect(self.update_emphasis)

    # -- building -------------------------------------------------------------

    def layout_request(self, snapshot: GraphSnapshot, direction: Direction) -> LayoutRequest:
        """What the layout engine needs: every node's drawn size and region, and the edges."""
        nodes = tuple(
            LayoutNode(
                info.name,
                *node_size(info, self._name_metrics, self._type_metrics).toTuple(),
                group=None if info.is_external_input else info.group,
            )
            for info in snapshot.nodes
        )
        return LayoutRequest(
            nodes, tuple(snapshot.edges()), direction, region_label_height=LABEL_HEIGHT
        )

    def show_graph(
        self,
        snapshot: GraphSnapshot,
        layout: LayoutResult,
        changed: Iterable[str] = (),
        anchor: str | None = None,
        animate: bool = True,
    ) -> None:
        """Show `snapshot` placed by `layout`, keeping `anchor` where it is on screen."""
        self._animation.stop()
        self._finish()
        offset = QPointF(0, 0)
        if anchor in self.nodes and anchor in layout.positions:
            offset = self.nodes[anchor].pos() - QPointF(*layout.positions[anchor])
        dx, dy = offset.x(), offset.y()
        self.snapshot = snapshot
        self.index = GraphIndex(snapshot)
        self.layout = layout
        self.direction = layout.direction
        animate = animate and bool(self.nodes)
        names = {info.name for info in snapshot.nodes}
        for name in [n for n in self.nodes if n not in names]:
            self.removeItem(self.nodes.pop(name))
        self._moves = {}
        self._fading_in = []
        for info in snapshot.nodes:
            size = node_size(info, self._name_metrics, self._type_metrics)
            x, y = layout.positions[info.name]
            target = QPointF(x + dx, y + dy)
            item = self.nodes.get(info.name)
            if item is None:
                item = NodeItem(info, size, self.theme)
                item.set_run(self.run_state.get(info.name))
                item.setPos(target)
                self.addItem(item)
                self.nodes[info.name] = item
                if animate:
                    item.setOpacity(0.0)
                    self._fading_in.append(item)
            else:
                item.set_info(info, size)
                if animate:
                    self._moves[info.name] = (item.pos(), target)
                else:
                    item.setPos(target)
        self._sync_edges(snapshot, layout, dx, dy)
        self._sync_regions(layout, dx, dy, animate)
        self.set_changed(changed)
        bounds = QRectF(dx, dy, layout.width, layout.height)
        self.setSceneRect(
            bounds.united(self.itemsBoundingRect()).adjusted(
                -_SCENE_MARGIN, -_SCENE_MARGIN, _SCENE_MARGIN, _SCENE_MARGIN
            )
        )
        self._search_hits &= names
        self.update_emphasis()
        if animate:
            self._animation.start()
        else:
            self._finish()

    def update_graph_info(self, snapshot: GraphSnapshot, changed: Iterable[str] = ()) -> None:
        """Same drawing, new details (docstrings, versions): no layout needed."""
        self.snapshot = snapshot
        self.index = GraphIndex(snapshot)
        for info in snapshot.nodes:
            item = self.nodes.get(info.name)
            if item is not None:
                item.set_info(info, item.size)
        self.set_changed(changed)
        self.update_emphasis()

    def _sync_edges(
        self, snapshot: GraphSnapshot, layout: LayoutResult, dx: float, dy: float
    ) -> None:
        keys = set(snapshot.edges())
        for key in [k for k in self.edges if k not in keys]:
            self.removeItem(self.edges.pop(key))
        self._final_routes = {}
        for key in keys:
            item = self.edges.get(key)
            if item is None:
                item = EdgeItem(*key, self.theme)
                self.addItem(item)
                self.edges[key] = item
            route = layout.routes.get(key)
            if route is not None:
                self._final_routes[key] = EdgeRoute(
                    tuple((x + dx, y + dy) for x, y in route.points),
                    (route.tip[0] + dx, route.tip[1] + dy),
                )
            self._route_straight(item)

    def _sync_regions(self, layout: LayoutResult, dx: float, dy: float, animate: bool) -> None:
        for name in [n for n in self.regions if n not in layout.regions]:
            self.removeItem(self.regions.pop(name))
        self._region_moves = {}
        for name, (x, y, w, h) in layout.regions.items():
            target = QRectF(x + dx, y + dy, w, h)
            item = self.regions.get(name)
            if item is None:
                item = RegionItem(name, self.theme)
                item.set_rect(target)
                self.addItem(item)
                self.regions[name] = item
            elif animate:
                self._region_moves[name] = (item.rect(), target)
            else:
                item.set_rect(target)

    def _route_straight(self, edge: EdgeItem) -> None:
        lr = self.direction is Direction.LEFT_RIGHT
        source, target = self.nodes[edge.source], self.nodes[edge.target]
        edge.set_ends(source.port(True, lr), target.port(False, lr), lr)

    def _step(self, value: float) -> None:
        t = float(value)
        for name, (start, end) in self._moves.items():
            self.nodes[name].setPos(_lerp(start, end, t))
        for item in self._fading_in:
            item.setOpacity(t)
        for name, (start, end) in self._region_moves.items():
            self.regions[name].set_rect(_lerp_rect(start, end, t))
        moving = set(self._moves)
        for edge in self.edges.values():
            if edge.source in moving or edge.target in moving:
                self._route_straight(edge)

    def _finish(self) -> None:
        for name, (_, end) in self._moves.items():
            if name in self.nodes:
                self.nodes[name].setPos(end)
        for item in self._fading_in:
            item.setOpacity(1.0)
        for name, (_, end) in self._region_moves.items():
            if name in self.regions:
                self.regions[name].set_rect(end)
        for key, route in self._final_routes.items():
            if key in self.edges:
                self.edges[key].set_route(route)
        self._moves, self._region_moves, self._fading_in = {}, {}, []

    @property
    def animating(self) -> bool:
        return self._animation.state() == QVariantAnimation.State.Running

    def show_run_states(self, names: Iterable[str] | None = None) -> None:
        """Repaint the run badges of `names` (all nodes when None) from `run_state`."""
        targets = self.nodes if names is None else [n for n in names if n in self.nodes]
        for name in targets:
            self.nodes[name].set_run(self.run_state.get(name))
        running = any(run.state is NodeState.RUNNING for run in self.run_state.nodes.values())
        if running and not self._spinner.isActive():
            self._spinner.start()
        elif not running:
            self._spinner.stop()

    def _spin(self) -> None:
        for name, run in self.run_state.nodes.items():
            if run.state is NodeState.RUNNING and name in self.nodes:
                self.nodes[name].advance_spinner()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.setBackgroundBrush(theme.canvas)
        for item in [*self.nodes.values(), *self.edges.values(), *self.regions.values()]:
            item.set_theme(theme)

    # -- emphasis -------------------------------------------------------------

    def selected_names(self) -> list[str]:
        return [item.name for item in self.selectedItems() if isinstance(item, NodeItem)]

    def select_nodes(self, names: Iterable[str]) -> None:
        wanted = set(names)
        self.blockSignals(True)
        try:
            self.clearSelection()
            for name in wanted:
                if name in self.nodes:
                    self.nodes[name].setSelected(True)
        finally:
            self.blockSignals(False)
        self.selectionChanged.emit()

    def lineage(self) -> tuple[set[str], set[str], set[str]]:
        """(selected, upstream, downstream) node names of the current selection."""
        selected = set(self.selected_names())
        if not selected or self.index is None:
            return selected, set(), set()
        up = self.index.upstream(selected)
        down = self.index.downstream(selected)
        return selected, up - selected, down - selected

    def update_emphasis(self) -> None:
        selected, up, down = self.lineage()
        focus = bool(selected)
        for name, item in self.nodes.items():
            if name in selected:
                item.set_emphasis(Emphasis.SELECTED)
            elif name in up:
                item.set_emphasis(Emphasis.UPSTREAM)
            elif name in down:
                item.set_emphasis(Emphasis.DOWNSTREAM)
            else:
                item.set_emphasis(Emphasis.DIMMED if focus else Emphasis.NORMAL)
            item.set_search_hit(name in self._search_hits)
        on_path_up = up | selected
        on_path_down = down | selected
        for (source, target), edge in self.edges.items():
            if source in on_path_up and target in on_path_up and target not in down:
                edge.set_emphasis(Emphasis.UPSTREAM)
            elif source in on_path_down and target in down:
                edge.set_emphasis(Emphasis.DOWNSTREAM)
            else:
                edge.set_emphasis(Emphasis.DIMMED if focus else Emphasis.NORMAL)
        self.lineage_changed.emit()

    def set_search_hits(self, names: Iterable[str]) -> None:
        self._search_hits = set(names) & set(self.nodes)
        for name, item in self.nodes.items():
            item.set_search_hit(name in self._search_hits)

    def set_changed(self, names: Iterable[str]) -> None:
        changed = set(names)
        for name, item in self.nodes.items():
            item.set_changed(name in changed)

    def graph_rect(self) -> QRectF:
        """The bounding box of everything drawn (not the padded scene rect)."""
        return self.itemsBoundingRect()

    # -- input ----------------------------------------------------------------

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        for item in self.items(event.scenePos()):
            if isinstance(item, NodeItem):
                self.node_activated.emit(item.name)
                event.accept()
                return
        super().mouseDoubleClickEvent(event)
