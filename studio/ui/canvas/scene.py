"""The graph scene: one item per node, collapsed module, edge and module region shown.

The scene draws a display graph (`studio.core.display_graph`): the nodes
shown on their own, collapsed modules as boxes, and the edges between
them. It keeps a map from display keys to items and updates it in place
when a new drawing arrives: items that stay are kept (with their
selection) and glide to their new place, new ones fade in, removed ones
go. Emphasis (selection lineage, search hits, changed code) is state on
the items, recomputed from the selection.

Big graphs are handled differently in three ways: their items are
created in slices between which the window stays responsive; they are
not animated; and seen from far away they are drawn by one overview item
instead of thousands of items (see `overview`).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from PySide6.QtCore import (
    QEasingCurve,
    QPointF,
    QRectF,
    QSizeF,
    QTimer,
    QVariantAnimation,
    Signal,
)
from PySide6.QtGui import QColor, QFontMetricsF, QPainter
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from studio.core.display_graph import DisplayGraph, module_key, module_of_key
from studio.core.layout import Direction, EdgeRoute, LayoutNode, LayoutRequest, LayoutResult
from studio.core.lineage import GraphIndex
from studio.core.run_state import NodeState, RunState
from studio.core.snapshot import GraphSnapshot, NodeInfo, NodeKind
from studio.ui.canvas.items.edge_item import EdgeItem
from studio.ui.canvas.items.module_item import ModuleItem, module_size, title_font
from studio.ui.canvas.items.node_item import (
    Emphasis,
    NodeItem,
    name_font,
    node_size,
    type_font,
)
from studio.ui.canvas.items.region_item import LABEL_HEIGHT, RegionItem
from studio.ui.canvas.overview import OverviewItem
from studio.ui.canvas.sliced_work import SlicedWork, release_in_slices
from studio.ui.theme import Theme

ANIMATION_MS = 240
_SCENE_MARGIN = 400.0
OVERVIEW_BELOW = 0.3
"""Zoom under which a big graph is drawn by the overview item."""
BIG_GRAPH = 1500
"""Node and edge items above which a drawing counts as big."""
ANIMATE_UP_TO = 400
_ITEMS_PER_TASK = 50
_BULK_REMOVAL = 400
_AT_ONCE = 150
"""Most items of each kind a big drawing updates at once (the ones in view); the rest follow."""
"""Above this many stale items, old layers are swapped out rather than emptied."""


def _lerp(a: QPointF, b: QPointF, t: float) -> QPointF:
    return a + (b - a) * t


def _lerp_rect(a: QRectF, b: QRectF, t: float) -> QRectF:
    return QRectF(_lerp(a.topLeft(), b.topLeft(), t), _lerp(a.bottomRight(), b.bottomRight(), t))


def _mix(colour: QColor, background: QColor, amount: float) -> QColor:
    """`colour` faded towards `background` (amount 0: unchanged, 1: background)."""
    keep = 1.0 - amount
    return QColor(
        round(colour.red() * keep + background.red() * amount),
        round(colour.green() * keep + background.green() * amount),
        round(colour.blue() * keep + background.blue() * amount),
    )


def _free(items: list[QGraphicsItem]) -> None:
    """Let go of items that are off the canvas (Python deletes them)."""
    for item in items:
        item.setParentItem(None)


class _Layer(QGraphicsItem):
    """A parent holding many items, so that all of them can stop painting in one step."""

    def __init__(self, z: float) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents)
        self.setZValue(z)

    def boundingRect(self) -> QRectF:
        return QRectF()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        return None


class GraphScene(QGraphicsScene):
    node_activated = Signal(str)
    """A node was double-clicked."""
    module_activated = Signal(str)
    """A collapsed module was double-clicked (it asks to be expanded)."""
    lineage_changed = Signal()
    """The highlighted lineage changed (selection or graph)."""
    filled = Signal()
    """Every item of the latest drawing exists (big graphs fill in over a moment)."""

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self.nodes: dict[str, NodeItem] = {}
        self.modules: dict[str, ModuleItem] = {}
        """Collapsed modules by module name."""
        self.edges: dict[tuple[str, str], EdgeItem] = {}
        """By display keys (node names, or module keys for collapsed modules)."""
        self.regions: dict[str, RegionItem] = {}
        self.snapshot: GraphSnapshot | None = None
        self.display: DisplayGraph | None = None
        self._index: GraphIndex | None = None
        self.layout: LayoutResult | None = None
        self.direction = Direction.LEFT_RIGHT
        self.run_state = RunState()
        self._name_metrics = QFontMetricsF(name_font())
        self._type_metrics = QFontMetricsF(type_font())
        self._module_metrics = QFontMetricsF(title_font())
        self._sizes: dict[tuple[str, str], QSizeF] = {}
        self._search_hits: set[str] = set()
        self._changed: set[str] = set()
        self._offset = QPointF(0, 0)
        self._graph_rect = QRectF()
        self._boxes: dict[str, tuple[QRectF, QColor]] = {}
        self._lines: dict[tuple[str, str], Sequence[tuple[float, float]]] = {}
        """Edge routes in layout coordinates, for the overview."""
        self._big = False
        self._view_scale = 1.0
        self._overview_mode = False
        self._node_layer = _Layer(10)
        self._edge_layer = _Layer(1)
        self.addItem(self._node_layer)
        self.addItem(self._edge_layer)
        self.overview = OverviewItem()
        self.overview.setVisible(False)
        self.addItem(self.overview)
        self.overview.node_clicked.connect(self._on_overview_click)
        self.overview.node_double_clicked.connect(self.node_activated)
        self._work = SlicedWork(self)
        self._freeing = SlicedWork(self)
        self._sizing = SlicedWork(self)
        self._work.finished.connect(self._on_filled)
        self._restyle_timer = QTimer(self)
        self._restyle_timer.setSingleShot(True)
        self._restyle_timer.setInterval(40)
        self._restyle_timer.timeout.connect(self._restyle_overview)
        self._animation = QVariantAnimation(self)
        self._animation.setDuration(ANIMATION_MS)
        self._animation.setStartValue(0.0)
        self._animation.setEndValue(1.0)
        self._animation.setEasingCurve(QEasingCurve.Type.InOutCubic)
        self._animation.valueChanged.connect(self._step)
        self._animation.finished.connect(self._finish)
        self._moves: dict[str, tuple[QPointF, QPointF]] = {}
        self._region_moves: dict[str, tuple[QRectF, QRectF]] = {}
        self._fading_in: list[QGraphicsItem] = []
        self._final_routes: dict[tuple[str, str], EdgeRoute] = {}
        self._spinner = QTimer(self)
        self._spinner.setInterval(70)
        self._spinner.timeout.connect(self._spin)
        self._emphasis: dict[str, Emphasis] = {}
        self._lineage_keys: tuple[set[str], set[str], set[str]] = (set(), set(), set())
        self._on_path_up: set[str] = set()
        self._items_focused = False
        self._geometry_pending = False
        """A big drawing is shown but its boxes' geometry is still to be worked out."""
        """Whether the items show a selection's lineage (else all have normal emphasis)."""
        self.setBackgroundBrush(theme.canvas)
        self.selectionChanged.connect(self.update_emphasis)

    # -- building -------------------------------------------------------------

    def node_size(self, info: NodeInfo) -> QSizeF:
        key = (info.name, info.type)
        size = self._sizes.get(key)
        if size is None:
            size = self._sizes[key] = node_size(info, self._name_metrics, self._type_metrics)
        return size

    def layout_request(self, display: DisplayGraph, direction: Direction) -> LayoutRequest:
        """What the layout engine needs: every box's drawn size and region, and the edges."""
        nodes = [
            LayoutNode(
                info.name,
                *self.node_size(info).toTuple(),
                group=None if info.is_external_input else info.group,
            )
            for info in display.nodes
        ]
        nodes += [
            LayoutNode(m.key, *module_size(m, self._module_metrics).toTuple())
            for m in display.modules
        ]
        return LayoutRequest(
            tuple(nodes), tuple(display.edge_counts), direction, region_label_height=LABEL_HEIGHT
        )

    def show_graph(
        self,
        snapshot: GraphSnapshot,
        display: DisplayGraph,
        layout: LayoutResult,
        changed: Iterable[str] = (),
        anchor: str | None = None,
        animate: bool = True,
    ) -> None:
        """Show `display` placed by `layout`, keeping `anchor` where it is on screen."""
        self._work.cancel()
        self._animation.stop()
        self._finish()
        offset = self._anchor_offset(anchor, display, layout)
        dx, dy = offset.x(), offset.y()
        self._offset = offset
        if snapshot is not self.snapshot:
            self._index = None
        self.snapshot, self.display, self.layout = snapshot, display, layout
        self.direction = layout.direction
        self._changed = set(changed)
        self._big = len(display.nodes) + len(display.edge_counts) > BIG_GRAPH
        animate = (
            animate
            and bool(self.nodes or self.modules)
            and not self._big
            and len(display.nodes) <= ANIMATE_UP_TO
        )
        self._remove_stale(display)
        self._moves, self._fading_in, self._final_routes = {}, [], {}
        self._sync_modules(display, layout, dx, dy, animate)
        self._sync_regions(layout, dx, dy, animate)
        self._graph_rect = QRectF(dx, dy, layout.width, layout.height)
        self.setSceneRect(
            self._graph_rect.adjusted(-_SCENE_MARGIN, -_SCENE_MARGIN, _SCENE_MARGIN, _SCENE_MARGIN)
        )
        self._search_hits &= set(display.owner)
        if self._big:  # the overview's geometry waits a turn: its own 30-40 ms
            self._geometry_pending = True
            self._work.add(self._place_geometry)
        else:
            self._geometry_pending = False
            self._update_geometry()
            self._update_overview_geometry()
        self._compute_lineage()
        infos = display.nodes
        keys = list(display.edge_counts)
        if not self._big:
            self._apply_nodes(infos, animate)
            self._apply_edges(keys, animate)
        else:
            near_nodes, near_edges = self._in_view(layout, offset)
            first_nodes = [i for i in infos if i.name in near_nodes][:_AT_ONCE]
            first_edges = [
                k for k in keys if k in near_edges or k[0] in near_nodes or k[1] in near_nodes
            ][: _AT_ONCE * 2]
            self._apply_nodes(first_nodes, False)
            self._apply_edges(first_edges, False)
            done_nodes, done_edges = {i.name for i in first_nodes}, set(first_edges)
            rest_nodes = [i for i in infos if i.name not in done_nodes]
            rest_edges = [k for k in keys if k not in done_edges]
            for start in range(0, len(rest_nodes), _ITEMS_PER_TASK):
                part = rest_nodes[start : start + _ITEMS_PER_TASK]
                self._work.add(lambda part=part: self._apply_nodes(part, False))
            for start in range(0, len(rest_edges), _ITEMS_PER_TASK):
                chunk = rest_edges[start : start + _ITEMS_PER_TASK]
                self._work.add(lambda chunk=chunk: self._apply_edges(chunk, False))
        self._update_mode()
        self.update_emphasis()
        if animate:
            self._animation.start()
        else:
            self._finish()
        if not self._work.pending:
            self.filled.emit()
        self._measure_hidden_nodes()

    def _measure_hidden_nodes(self) -> None:
        """Size the cards hidden in collapsed modules between frames, so expanding is quick."""
        self._sizing.cancel()
        if self.snapshot is None:
            return
        sizes = self._sizes
        missing = [info for info in self.snapshot.nodes if (info.name, info.type) not in sizes]
        for start in range(0, len(missing), _ITEMS_PER_TASK * 4):
            part = missing[start : start + _ITEMS_PER_TASK * 4]
            self._sizing.add(lambda part=part: [self.node_size(info) for info in part])

    def update_graph_info(
        self, snapshot: GraphSnapshot, display: DisplayGraph, changed: Iterable[str] = ()
    ) -> None:
        """Same drawing, new details (docstrings, versions): no layout needed."""
        self.snapshot, self.display = snapshot, display
        self._index = None
        self._changed = set(changed)
        for info in display.nodes:
            item = self.nodes.get(info.name)
            if item is not None:
                item.set_info(info, item.size)
        for module in display.modules:
            box = self.modules.get(module.module)
            if box is not None:
                box.set_module(module, box.size)
        self.set_changed(self._changed)
        self._update_geometry()
        self._compute_lineage()
        self.update_emphasis()

    def _in_view(
        self, layout: LayoutResult, offset: QPointF
    ) -> tuple[set[str], set[tuple[str, str]]]:
        """Nodes and edges the view shows as items, by their new place or their old one.

        Empty when the overview draws the graph: then every item can wait.
        """
        if self._overview_mode or self._view_scale < OVERVIEW_BELOW or not self.views():
            return set(), set()
        view = self.views()[0]
        area = view.mapToScene(view.viewport().rect()).boundingRect()
        margin = 0.25 * max(area.width(), area.height())
        area.adjust(-margin, -margin, margin, margin)
        nodes: set[str] = set()
        edges: set[tuple[str, str]] = set()
        for item in self.items(area):
            if isinstance(item, NodeItem):
                nodes.add(item.name)
            elif isinstance(item, EdgeItem):
                edges.add(item.key)
        left, top = area.left() - offset.x(), area.top() - offset.y()
        right, bottom = area.right() - offset.x(), area.bottom() - offset.y()
        nodes.update(
            name
            for name, (x, y) in layout.positions.items()
            if left <= x <= right and top <= y <= bottom
        )
        for key, route in layout.routes.items():
            (x0, y0), (x1, y1) = route.points[0], route.tip
            across = min(x0, x1) <= right and max(x0, x1) >= left
            if across and min(y0, y1) <= bottom and max(y0, y1) >= top:
                edges.add(key)
        return nodes, edges

    def _apply_nodes(self, infos: Sequence[NodeInfo], animate: bool) -> None:
        """Create or update the items of the nodes `infos` for the current drawing."""
        layout = self.layout
        assert layout is not None
        dx, dy = self._offset.x(), self._offset.y()
        for info in infos:
            name = info.name
            x, y = layout.positions[name]
            target = QPointF(x + dx, y + dy)
            item = self.nodes.get(name)
            if item is None:
                self._create_node(info, target, animate)
                continue
            item.set_info(info, self.node_size(info))
            item.set_changed(name in self._changed)
            if animate:
                self._moves[name] = (item.pos(), target)
            else:
                item.setPos(target)

    def _apply_edges(self, keys: list[tuple[str, str]], animate: bool) -> None:
        """Create or update the items of the edges `keys` for the current drawing."""
        display, layout = self.display, self.layout
        assert display is not None and layout is not None
        counts = display.edge_counts
        dx, dy = self._offset.x(), self._offset.y()
        for key in keys:
            edge = self.edges.get(key)
            if edge is None:
                edge = EdgeItem(*key, self.theme, counts[key], self._edge_layer)
                edge.set_emphasis(self._edge_emphasis(key))
                self.edges[key] = edge
            else:
                edge.set_count(counts[key])
            self._place_edge(edge, layout, dx, dy, animate)

    def _create_node(self, info: NodeInfo, target: QPointF, animate: bool) -> None:
        item = NodeItem(info, self.node_size(info), self.theme, self._node_layer)
        item.setPos(target)
        item.set_run(self.run_state.get(info.name))
        item.set_changed(info.name in self._changed)
        item.set_search_hit(info.name in self._search_hits)
        item.set_emphasis(self._emphasis.get(info.name, Emphasis.NORMAL))
        self.nodes[info.name] = item
        if animate:
            item.setOpacity(0.0)
            self._fading_in.append(item)

    def _place_edge(
        self, edge: EdgeItem, layout: LayoutResult, dx: float, dy: float, animate: bool
    ) -> None:
        route = layout.routes.get(edge.key)
        if route is None or animate:
            self._route_straight(edge)
            if route is not None:
                self._final_routes[edge.key] = EdgeRoute(
                    tuple((x + dx, y + dy) for x, y in route.points),
                    (route.tip[0] + dx, route.tip[1] + dy),
                )
        else:
            edge.set_route(route, dx, dy)

    def _remove_stale(self, display: DisplayGraph) -> None:
        names = {info.name for info in display.nodes}
        modules = {m.module for m in display.modules}
        for name in [m for m in self.modules if m not in modules]:
            self.removeItem(self.modules.pop(name))
        stale_nodes = [n for n in self.nodes if n not in names]
        stale_edges = [k for k in self.edges if k not in display.edge_counts]
        if len(stale_nodes) + len(stale_edges) <= _BULK_REMOVAL:
            for name in stale_nodes:
                self.removeItem(self.nodes.pop(name))
            for key in stale_edges:
                self.removeItem(self.edges.pop(key))
            return
        for name in stale_nodes:
            del self.nodes[name]
        for key in stale_edges:
            del self.edges[key]
        self._retire_layers()

    def _retire_layers(self) -> None:
        """Take the old layers off the canvas at once and free their items bit by bit.

        Deleting thousands of items takes a few hundred milliseconds; the
        items still shown move to fresh layers, the rest leave the scene with
        their old layer and are freed between frames.
        """
        old = (self._node_layer, self._edge_layer)
        self._node_layer, self._edge_layer = _Layer(10), _Layer(1)
        for fresh, stale in zip((self._node_layer, self._edge_layer), old, strict=True):
            fresh.setOpacity(stale.opacity())
            self.addItem(fresh)
        for node in self.nodes.values():
            node.setParentItem(self._node_layer)
        for edge in self.edges.values():
            edge.setParentItem(self._edge_layer)
        for layer in old:
            self.removeItem(layer)
            children = layer.childItems()
            for start in range(0, len(children), _ITEMS_PER_TASK * 4):
                chunk = children[start : start + _ITEMS_PER_TASK * 4]
                self._freeing.add(lambda chunk=chunk: _free(chunk))
            self._freeing.add(lambda layer=layer: _free([layer]))

    def _sync_modules(
        self, display: DisplayGraph, layout: LayoutResult, dx: float, dy: float, animate: bool
    ) -> None:
        for module in display.modules:
            x, y = layout.positions[module.key]
            target = QPointF(x + dx, y + dy)
            size = module_size(module, self._module_metrics)
            box = self.modules.get(module.module)
            if box is None:
                box = ModuleItem(module, size, self.theme)
                box.setPos(target)
                self.addItem(box)
                self.modules[module.module] = box
                if animate:
                    box.setOpacity(0.0)
                    self._fading_in.append(box)
            else:
                box.set_module(module, size)
                if animate:
                    self._moves[module.key] = (box.pos(), target)
                else:
                    box.setPos(target)
            box.set_states(self._module_states(module.members))

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

    def _anchor_offset(
        self, anchor: str | None, display: DisplayGraph, layout: LayoutResult
    ) -> QPointF:
        """How far to shift the new drawing so `anchor` stays where it is on screen."""
        if anchor is None:
            return QPointF(0, 0)
        old = self.key_centre(anchor)
        if old is None:
            return QPointF(0, 0)
        new: tuple[float, float] | None = layout.positions.get(anchor)
        module = module_of_key(anchor)
        if new is None and module is not None and module in layout.regions:
            x, y, w, h = layout.regions[module]
            new = (x + w / 2, y + h / 2)
        if new is None:
            owner = display.key_of(anchor)
            new = layout.positions.get(owner) if owner else None
        if new is None:
            return QPointF(0, 0)
        return old - QPointF(*new)

    def _item_for_key(self, key: str) -> NodeItem | ModuleItem | None:
        module = module_of_key(key)
        if module is not None:
            return self.modules.get(module)
        return self.nodes.get(key)

    def _route_straight(self, edge: EdgeItem) -> None:
        source, target = self._item_for_key(edge.source), self._item_for_key(edge.target)
        if source is None or target is None:
            return
        lr = self.direction is Direction.LEFT_RIGHT
        edge.set_ends(source.port(True, lr), target.port(False, lr), lr)

    def _step(self, value: float) -> None:
        t = float(value)
        for key, (start, end) in self._moves.items():
            item = self._item_for_key(key)
            if item is not None:
                item.setPos(_lerp(start, end, t))
        for item in self._fading_in:
            item.setOpacity(t)
        for name, (start, end) in self._region_moves.items():
            self.regions[name].set_rect(_lerp_rect(start, end, t))
        moving = set(self._moves)
        for edge in self.edges.values():
            if edge.source in moving or edge.target in moving:
                self._route_straight(edge)

    def _finish(self) -> None:
        for key, (_, end) in self._moves.items():
            item = self._item_for_key(key)
            if item is not None:
                item.setPos(end)
        for item in self._fading_in:
            item.setOpacity(1.0)
        for name, (_, end) in self._region_moves.items():
            if name in self.regions:
                self.regions[name].set_rect(end)
        for key, route in self._final_routes.items():
            if key in self.edges:
                self.edges[key].set_route(route)
        self._moves, self._region_moves, self._fading_in, self._final_routes = {}, {}, [], {}

    @property
    def animating(self) -> bool:
        return self._animation.state() == QVariantAnimation.State.Running

    @property
    def filling(self) -> bool:
        """Items of a big drawing are still being created."""
        return self._work.pending > 0

    def finish_filling(self) -> None:
        self._work.flush()

    def _on_filled(self) -> None:
        self._update_mode()
        self.filled.emit()

    # -- far away: the overview -------------------------------------------------

    def set_view_scale(self, scale: float) -> None:
        """The view's zoom: far enough out, a big graph is drawn by the overview."""
        self._view_scale = scale
        self._update_mode()

    @property
    def overview_mode(self) -> bool:
        return self._overview_mode

    def _update_mode(self) -> None:
        far = self._view_scale < OVERVIEW_BELOW
        overview = self._big and (far or (self.filling and self._overview_mode))
        self.overview.setVisible(self._big)
        if overview == self._overview_mode:
            return
        self._overview_mode = overview
        self._node_layer.setOpacity(0.0 if overview else 1.0)
        self._edge_layer.setOpacity(0.0 if overview else 1.0)
        self.overview.setOpacity(1.0 if overview else 0.0)
        if overview:
            self._restyle_overview()

    def _place_geometry(self) -> None:
        self._update_geometry()
        self._update_overview_geometry()
        self._geometry_pending = False
        self._schedule_restyle()

    def _update_geometry(self) -> None:
        """Every shown box's rectangle and edge's polyline in scene coordinates, once per drawing.

        The overview, the minimap and the highlights all read these; computing
        them per use costs a tenth of a second at 5,000 nodes.
        """
        release_in_slices(list(self._boxes.values()))
        self._boxes, self._lines = {}, {}
        if self.layout is None or self.display is None:
            return
        positions, dx, dy = self.layout.positions, self._offset.x(), self._offset.y()
        accents = {kind: self.theme.kind(kind).accent for kind in NodeKind}
        boxes, size_of = self._boxes, self.node_size
        for info in self.display.nodes:
            w, h = size_of(info).toTuple()
            x, y = positions[info.name]
            boxes[info.name] = (QRectF(x + dx - w / 2, y + dy - h / 2, w, h), accents[info.kind])
        for module in self.display.modules:
            w, h = module_size(module, self._module_metrics).toTuple()
            x, y = positions[module.key]
            self._boxes[module.key] = (
                QRectF(x + dx - w / 2, y + dy - h / 2, w, h),
                self.theme.node_subtext,
            )
        if self._big:
            routes = self.layout.routes
            for key in self.display.edge_counts:
                route = routes.get(key)
                if route is not None:
                    self._lines[key] = route.points

    def _update_overview_geometry(self) -> None:
        if not self._big or self.display is None:
            self.overview.set_graph([], [], QPointF(), QRectF(), self.theme.edge)
            return
        boxes = self._boxes
        nodes = [(info.name, boxes[info.name][0]) for info in self.display.nodes]
        self.overview.set_graph(
            nodes, list(self._lines.values()), self._offset, self._graph_rect, self.theme.edge
        )

    def _restyle_overview(self) -> None:
        if not self._big or self.display is None or self._geometry_pending:
            return
        theme = self.theme
        emphasis_colour = {
            Emphasis.SELECTED: theme.selection,
            Emphasis.UPSTREAM: theme.upstream,
            Emphasis.DOWNSTREAM: theme.downstream,
        }
        state_colour = {
            state: theme.states[state]
            for state in (NodeState.FAILED, NodeState.RUNNING, NodeState.QUEUED)
        }
        styles: dict[str, tuple[QColor, QColor | None]] = {}
        marks: dict[str, QColor] = {}
        boxes = self._boxes
        for info in self.display.nodes:
            name = info.name
            emphasis = self._emphasis.get(name, Emphasis.NORMAL)
            fill = emphasis_colour.get(emphasis) or state_colour.get(
                self.run_state.state(name), boxes[name][1]
            )
            if emphasis is Emphasis.DIMMED:
                fill = _mix(fill, theme.canvas, 0.75)
            styles[name] = (fill, None)
            if name in self._search_hits:
                marks[name] = theme.search
            elif emphasis is Emphasis.SELECTED:
                marks[name] = theme.selection
        highlights: dict[Emphasis, list[Sequence[tuple[float, float]]]] = {
            Emphasis.UPSTREAM: [],
            Emphasis.DOWNSTREAM: [],
        }
        if self._lineage_keys[0]:
            for key, line in self._lines.items():
                emphasis = self._edge_emphasis(key)
                if emphasis in highlights:
                    highlights[emphasis].append(line)
        self.overview.set_styles(
            styles,
            marks,
            [(highlights[e], emphasis_colour[e]) for e in highlights],
            dim_edges=any(e is Emphasis.DIMMED for e in self._emphasis.values()),
        )

    def _schedule_restyle(self) -> None:
        if self._big and self._overview_mode:
            self._restyle_timer.start()

    def _on_overview_click(self, name: str, additive: bool) -> None:
        if name not in self.nodes:
            self.finish_filling()
        if additive and name in self.nodes:
            item = self.nodes[name]
            item.setSelected(not item.isSelected())
        else:
            self.select_nodes([name])

    @contextlib.contextmanager
    def all_items_drawn(self) -> Iterator[None]:
        """Every item painted, as at full zoom (for exports of the whole graph)."""
        self.finish_filling()
        was = self._view_scale
        self.set_view_scale(max(was, OVERVIEW_BELOW))
        try:
            yield
        finally:
            self.set_view_scale(was)

    # -- run states -------------------------------------------------------------

    def show_run_states(self, names: Iterable[str] | None = None) -> None:
        """Repaint the run badges of `names` (all nodes when None) from `run_state`."""
        targets = list(self.nodes) if names is None else [n for n in names if n in self.nodes]
        for name in targets:
            self.nodes[name].set_run(self.run_state.get(name))
        owners = self.display.owner if self.display else {}
        touched = (
            set(self.modules)
            if names is None
            else {module_of_key(owners.get(n, "")) for n in names} - {None}
        )
        for module in touched:
            box = self.modules.get(module or "")
            if box is not None:
                box.set_states(self._module_states(box.module.members))
        running = any(run.state is NodeState.RUNNING for run in self.run_state.nodes.values())
        if running and not self._spinner.isActive():
            self._spinner.start()
        elif not running:
            self._spinner.stop()
        self._schedule_restyle()

    def _module_states(self, members: Iterable[str]) -> Counter[NodeState]:
        states = Counter(self.run_state.state(name) for name in members)
        del states[NodeState.NOT_COMPUTED]
        return states

    def _spin(self) -> None:
        for name, run in self.run_state.nodes.items():
            if run.state is NodeState.RUNNING and name in self.nodes:
                self.nodes[name].advance_spinner()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.setBackgroundBrush(theme.canvas)
        items: list[NodeItem | ModuleItem | EdgeItem | RegionItem] = [
            *self.nodes.values(),
            *self.modules.values(),
            *self.edges.values(),
            *self.regions.values(),
        ]
        for item in items:
            item.set_theme(theme)
        self.overview.set_edge_colour(theme.edge)
        self._update_geometry()
        self._restyle_overview()

    # -- emphasis -------------------------------------------------------------

    def selected_names(self) -> list[str]:
        """Graph nodes the selection stands for (a collapsed module: all its members)."""
        names: list[str] = []
        for item in self.selectedItems():
            if isinstance(item, NodeItem):
                names.append(item.name)
            elif isinstance(item, ModuleItem):
                names.extend(item.module.members)
        return names

    def selected_keys(self) -> list[str]:
        keys = []
        for item in self.selectedItems():
            if isinstance(item, NodeItem):
                keys.append(item.name)
            elif isinstance(item, ModuleItem):
                keys.append(item.key)
        return keys

    def select_nodes(self, names: Iterable[str]) -> None:
        """Select the given nodes (or the collapsed modules holding them)."""
        owners = self.display.owner if self.display else {}
        self.blockSignals(True)
        try:
            self.clearSelection()
            for name in names:
                item = self._item_for_key(owners.get(name, name))
                if item is not None:
                    item.setSelected(True)
        finally:
            self.blockSignals(False)
        self.selectionChanged.emit()

    @property
    def index(self) -> GraphIndex | None:
        """Upstream and downstream lookups of the shown graph, built when first asked for."""
        if self._index is None and self.snapshot is not None:
            self._index = GraphIndex(self.snapshot)
        return self._index

    def lineage(self) -> tuple[set[str], set[str], set[str]]:
        """(selected, upstream, downstream) node names of the current selection."""
        selected = set(self.selected_names())
        if not selected or self.index is None:
            return selected, set(), set()  # the index is built only once something is selected
        up = self.index.upstream(selected)
        down = self.index.downstream(selected)
        return selected, up - selected, down - selected

    def _compute_lineage(self) -> None:
        """Emphasis of every shown key from the selection's lineage."""
        selected, up, down = self.lineage()
        owners = self.display.owner if self.display else {}
        selected_keys = set(self.selected_keys())
        up_keys = {owners[n] for n in up if n in owners} - selected_keys
        down_keys = {owners[n] for n in down if n in owners} - selected_keys - up_keys
        self._lineage_keys = (selected_keys, up_keys, down_keys)
        self._on_path_up = up_keys | selected_keys
        focus = bool(selected)
        emphasis: dict[str, Emphasis] = {}
        keys = self.display.keys if self.display else []
        for key in keys:
            if key in selected_keys:
                emphasis[key] = Emphasis.SELECTED
            elif key in up_keys:
                emphasis[key] = Emphasis.UPSTREAM
            elif key in down_keys:
                emphasis[key] = Emphasis.DOWNSTREAM
            else:
                emphasis[key] = Emphasis.DIMMED if focus else Emphasis.NORMAL
        self._emphasis = emphasis

    def _edge_emphasis(self, key: tuple[str, str]) -> Emphasis:
        selected, _, down = self._lineage_keys
        if not selected:
            return Emphasis.NORMAL
        source, target = key
        on_path_up = self._on_path_up
        if source in on_path_up and target in on_path_up and target not in down:
            return Emphasis.UPSTREAM
        if (source in down or source in selected) and target in down:
            return Emphasis.DOWNSTREAM
        return Emphasis.DIMMED

    def update_emphasis(self) -> None:
        """Apply the selection's lineage to every item (nothing to do while none is or was)."""
        was_focused = self._items_focused
        self._compute_lineage()
        self._items_focused = bool(self._lineage_keys[0])
        if not (was_focused or self._items_focused):
            self._schedule_restyle()
            self.lineage_changed.emit()
            return
        for name, item in self.nodes.items():
            item.set_emphasis(self._emphasis.get(name, Emphasis.NORMAL))
            item.set_search_hit(name in self._search_hits)
        for module, box in self.modules.items():
            box.set_emphasis(self._emphasis.get(module_key(module), Emphasis.NORMAL))
        for key, edge in self.edges.items():
            edge.set_emphasis(self._edge_emphasis(key))
        self._schedule_restyle()
        self.lineage_changed.emit()

    def set_search_hits(self, names: Iterable[str]) -> None:
        owners = self.display.owner if self.display else {}
        self._search_hits = set(names) & set(owners)
        for name, item in self.nodes.items():
            item.set_search_hit(name in self._search_hits)
        per_module = Counter(module_of_key(owners[n]) for n in self._search_hits)
        for module, box in self.modules.items():
            box.set_search_hits(per_module.get(module, 0))
        self._schedule_restyle()

    def set_changed(self, names: Iterable[str]) -> None:
        self._changed = set(names)
        for name, item in self.nodes.items():
            item.set_changed(name in self._changed)

    # -- geometry -------------------------------------------------------------

    def graph_rect(self) -> QRectF:
        """The bounding box of the drawing (not the padded scene rect)."""
        if self.layout is None:
            return self.itemsBoundingRect()
        return QRectF(self._graph_rect)

    def key_centre(self, key: str) -> QPointF | None:
        """Where a node or collapsed module is drawn, in scene coordinates (None: not shown)."""
        if self.layout is not None and key in self.layout.positions:
            return QPointF(*self.layout.positions[key]) + self._offset
        item = self._item_for_key(key)
        return item.pos() if item is not None else None

    def region_rects(self) -> Iterator[QRectF]:
        if self.layout is not None:
            for x, y, w, h in self.layout.regions.values():
                yield QRectF(x, y, w, h).translated(self._offset)

    def box_rects(self) -> Iterator[tuple[QRectF, QColor]]:
        """Every shown node and collapsed module as drawn: its box and its kind's colour."""
        yield from self._boxes.values()

    def key_nearest(self, point: QPointF, within: QRectF) -> str | None:
        """The shown node or module closest to `point` among those inside `within`."""
        if self.layout is None:
            return None
        best, best_distance = None, float("inf")
        px, py = point.x() - self._offset.x(), point.y() - self._offset.y()
        area = within.translated(-self._offset)
        for key, (x, y) in self.layout.positions.items():
            if not area.contains(x, y):
                continue
            distance = (x - px) ** 2 + (y - py) ** 2
            if distance < best_distance:
                best, best_distance = key, distance
        return best

    def key_at(self, point: QPointF) -> str | None:
        """The node or collapsed module drawn at `point`, if any."""
        for item in self.items(point):
            if isinstance(item, NodeItem):
                return item.name
            if isinstance(item, ModuleItem):
                return item.key
        if self._overview_mode:
            return self.overview.node_at(point)
        return None

    # -- input ----------------------------------------------------------------

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        for item in self.items(event.scenePos()):
            if isinstance(item, NodeItem):
                self.node_activated.emit(item.name)
                event.accept()
                return
            if isinstance(item, ModuleItem):
                self.module_activated.emit(item.name)
                event.accept()
                return
        super().mouseDoubleClickEvent(event)
