"""The graph scene: one item per shown node, collapsed module, edge and module region.

The scene draws what the graph model displays, once laid out, keeping a
map from display keys to items: items that stay glide to their new
place (`transition`), new ones fade in, removed ones go. It follows the
models by itself: selection and emphasis (`selection_painter`), run
states (`run_badges`). Big drawings fill in by slices, and far away are
drawn by one overview item (`overview_mode`). Making the items match a
drawing is `item_sync`'s job.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtWidgets import QGraphicsScene, QGraphicsSceneMouseEvent

from studio.core.graph.display_graph import DisplayGraph, module_of_key
from studio.core.layout import Direction, LayoutResult
from studio.core.model import Workspace
from studio.ui.canvas.box_sizes import BoxSizes
from studio.ui.canvas.drawn_geometry import DrawnGeometry
from studio.ui.canvas.item_layers import ItemLayers
from studio.ui.canvas.item_sync import ItemSync
from studio.ui.canvas.items.edge_item import EdgeItem
from studio.ui.canvas.items.module_item import ModuleItem
from studio.ui.canvas.items.node_item import FULL_TEXT_ZOOM, NodeItem
from studio.ui.canvas.items.region_item import RegionItem
from studio.ui.canvas.key_labels import KeyLabels
from studio.ui.canvas.overview import OverviewItem
from studio.ui.canvas.overview_mode import OVERVIEW_BELOW, OverviewMode
from studio.ui.canvas.run_badges import RunBadges
from studio.ui.canvas.selection_painter import SelectionPainter
from studio.ui.canvas.sliced_work import SlicedWork
from studio.ui.canvas.transition import Transition
from studio.ui.theme import Theme

_SCENE_MARGIN = 400.0
BIG_GRAPH = 1500
"""Node and edge items above which a drawing counts as big."""
ANIMATE_UP_TO = 400


class GraphScene(QGraphicsScene):
    node_activated = Signal(str)
    function_expand_requested = Signal(str)
    """A function card's node count was clicked (it asks to show the card's nodes)."""
    """A node was double-clicked."""
    module_activated = Signal(str)
    """A collapsed module was double-clicked (it asks to be expanded)."""
    filled = Signal()
    """Every item of the latest drawing exists (big graphs fill in over a moment)."""

    def __init__(self, theme: Theme, workspace: Workspace) -> None:
        super().__init__()
        self.theme = theme
        self.workspace = workspace
        self.nodes: dict[str, NodeItem] = {}
        self.modules: dict[str, ModuleItem] = {}
        """Collapsed modules by module name."""
        self.edges: dict[tuple[str, str], EdgeItem] = {}
        """By display keys (node names, or module keys for collapsed modules)."""
        self.regions: dict[str, RegionItem] = {}
        self.drawn: DisplayGraph | None = None
        """The display graph the items show (the model's may be newer, awaiting layout)."""
        self.sizes = BoxSizes(self)
        self.geometry = DrawnGeometry()
        self.direction = Direction.LEFT_RIGHT
        self.layers = ItemLayers(self)
        overview = OverviewItem()
        overview.setVisible(False)
        self.addItem(overview)
        overview.node_clicked.connect(self._on_overview_click)
        overview.node_double_clicked.connect(self.node_activated)
        self.overview = OverviewMode(overview, self.layers.show_items, self)
        self.overview.set_style_source(self._restyle_overview)
        self._work = SlicedWork(self)
        self._work.finished.connect(self._on_filled)
        self.items_sync = ItemSync(self)
        sync = self.items_sync
        self.transition = Transition(
            self.item_for_key, sync.set_region, sync.route_moving, sync.set_route, self
        )
        self.key_labels = KeyLabels(self.nodes, self.modules, workspace)
        self.key_labels.pressed = self._on_label_pressed
        self.addItem(self.key_labels)
        self.badges = RunBadges(self, workspace.runs, self.overview.schedule_restyle)
        self.emphasis = SelectionPainter(self, workspace)
        self.setBackgroundBrush(theme.canvas)
        workspace.graph.cleared.connect(self.clear_graph)

    # -- drawing ----------------------------------------------------------------------

    def show_graph(
        self,
        display: DisplayGraph,
        layout: LayoutResult,
        anchor: str | None = None,
        animate: bool = True,
    ) -> None:
        """Show `display` placed by `layout`, keeping `anchor` where it is on screen."""
        self._work.cancel()
        self.transition.stop()
        old = self.key_centre(anchor) if anchor is not None else None
        offset = DrawnGeometry.anchor_offset(anchor, old, display, layout)
        self.drawn = display
        self.direction = layout.direction
        self.geometry.place(layout, offset)
        big = len(display.nodes) + len(display.edge_counts) > BIG_GRAPH
        self.overview.big = big
        animate = (
            animate
            and bool(self.nodes or self.modules)
            and not big
            and len(display.nodes) <= ANIMATE_UP_TO
        )
        self.emphasis.applying = True
        try:
            self.items_sync.remove_stale(display)
            self.items_sync.sync_modules(display, layout, animate)
            self.items_sync.sync_regions(layout, animate)
        finally:
            self.emphasis.applying = False
        graph_rect = self.geometry.graph_rect
        self.key_labels.set_drawing(graph_rect, display)
        self.setSceneRect(
            graph_rect.adjusted(-_SCENE_MARGIN, -_SCENE_MARGIN, _SCENE_MARGIN, _SCENE_MARGIN)
        )
        self._measure_geometry()  # a big drawing's in steps, before its items are made
        self.emphasis.compute()
        infos = display.nodes
        keys = list(display.edge_counts)
        if not big:
            self.items_sync.apply_nodes(infos, animate)
            self.items_sync.apply_edges(keys, animate)
        else:
            self.items_sync.apply_near_first(infos, keys, layout, offset, self._work)
        self.overview.update(self.filling)
        self.emphasis.apply()
        if animate:
            self.transition.play()
        else:
            self.transition.finish()
        if not self._work.pending:
            self.filled.emit()
        snapshot = self.workspace.graph.snapshot
        if snapshot is not None:
            self.sizes.measure_later(snapshot.nodes)

    def clear_graph(self) -> None:
        """Another project, dataflow or config: nothing of the last drawing stays."""
        if self.drawn is None:
            return
        empty = LayoutResult({}, {}, {}, 0.0, 0.0, "none", direction=self.direction)
        self.show_graph(DisplayGraph(()), empty, animate=False)
        self.drawn = None

    def update_details(self, display: DisplayGraph) -> None:
        """Same drawing, new details (docstrings, versions, change marks): no layout."""
        self.drawn = display
        for info in display.nodes:
            item = self.nodes.get(info.name)
            if item is not None:
                sizes = self.sizes
                item.set_info(info, item.size, sizes.shown_name(info), sizes.subtitle(info))
        for module in display.modules:
            box = self.modules.get(module.module)
            if box is not None:
                box.set_module(module, box.size)
        self.set_changed(self.workspace.graph.changed)
        self._measure_geometry()
        self.emphasis.compute()
        self.emphasis.apply()

    def item_for_key(self, key: str) -> NodeItem | ModuleItem | None:
        module = module_of_key(key)
        if module is not None:
            return self.modules.get(module)
        return self.nodes.get(key)

    @property
    def animating(self) -> bool:
        return self.transition.running

    @property
    def filling(self) -> bool:
        """Items of a big drawing are still being created."""
        return self._work.pending > 0

    def finish_filling(self) -> None:
        self._work.flush()

    def _on_filled(self) -> None:
        self.overview.update(self.filling)
        self.filled.emit()

    # -- far away: the overview -------------------------------------------------------

    def set_view_scale(self, scale: float) -> None:
        """The view's zoom: far enough out, a big graph is drawn by the overview."""
        self.overview.view_scale = scale
        self.overview.update(self.filling)

    def view_moved(self) -> None:
        """The view panned or zoomed: far-out labels are placed for what it shows."""
        self.key_labels.view_moved()

    def _place_geometry(self, steps: Iterator[None]) -> None:
        for _ in steps:  # the steps not run yet (none, unless the work was flushed)
            pass
        self._geometry_measured()
        self.overview.geometry_pending = False
        self.overview.schedule_restyle()

    def _measure_geometry(self) -> None:
        """Where every box is drawn; for a big drawing (20,000 boxes take a tenth of a
        second) in steps between frames, the overview waiting for the last."""
        display = self.drawn
        if display is None:
            return
        if not self.overview.big:
            self.overview.geometry_pending = False
            self.geometry.measure(display, self.sizes, self.theme, with_lines=False)
            self._geometry_measured()
            return
        self.overview.geometry_pending = True
        steps = self.geometry.measure_steps(display, self.sizes, self.theme, with_lines=True)
        for _ in range(DrawnGeometry.steps_for(display)):
            self._work.add(lambda: next(steps, None))
        self._work.add(lambda: self._place_geometry(steps))

    def _geometry_measured(self) -> None:
        if self.drawn is None:
            return
        self.overview.set_geometry(self.drawn, self.geometry, self.theme)
        self.key_labels.geometry_changed()

    def _restyle_overview(self) -> None:
        self.overview.restyle(
            self.drawn,
            self.geometry,
            self.emphasis.current,
            self.workspace.runs.state,
            self.workspace.selection.search_hits,
            self.theme,
        )

    def _on_overview_click(self, name: str, additive: bool) -> None:
        if name not in self.nodes:
            self.finish_filling()
        selection = self.workspace.selection
        if additive and name in self.nodes:
            keys = list(selection.keys)
            selection.set_keys([k for k in keys if k != name] if name in keys else [*keys, name])
        else:
            selection.select_nodes([name])

    @contextlib.contextmanager
    def all_items_drawn(self) -> Iterator[None]:
        """Every item painted, as at full zoom (for exports of the whole graph)."""
        self.finish_filling()
        was = self.overview.view_scale
        self.set_view_scale(max(was, OVERVIEW_BELOW))
        try:
            yield
        finally:
            self.set_view_scale(was)

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
        self.overview.item.set_edge_colour(theme.edge)
        self._measure_geometry()
        self._restyle_overview()

    # -- selection, emphasis, marks ------------------------------------------------------

    def selected_keys(self) -> list[str]:
        """Keys of the selected items (the selection model's keys that are drawn)."""
        return [k for k in self.workspace.selection.keys if self.item_for_key(k) is not None]

    def set_changed(self, names: Iterable[str]) -> None:
        changed = set(names)
        for name, item in self.nodes.items():
            item.set_changed(self.any_changed(name, changed))

    def members(self, key: str) -> tuple[str, ...]:
        """The graph nodes a drawn key stands for (a function card's: all its nodes)."""
        return self.drawn.members(key) if self.drawn is not None else (key,)

    def any_changed(self, key: str, changed: set[str] | frozenset[str]) -> bool:
        """Whether the code of the node, or of any node of its function card, changed."""
        card = self.drawn.cards.get(key) if self.drawn is not None else None
        if card is None:
            return key in changed
        return any(m in changed for m in card.members)

    def any_hit(self, key: str, hits: frozenset[str]) -> bool:
        """Whether the search found the node, or any node of its function card."""
        card = self.drawn.cards.get(key) if self.drawn is not None else None
        if card is None:
            return key in hits
        return any(m in hits for m in card.members)

    # -- geometry ---------------------------------------------------------------------

    def graph_rect(self) -> QRectF:
        """The bounding box of the drawing (not the padded scene rect)."""
        if self.geometry.layout is None:
            return self.itemsBoundingRect()
        return QRectF(self.geometry.graph_rect)

    def key_centre(self, key: str) -> QPointF | None:
        """Where a node or collapsed module is drawn, in scene coordinates (None: not shown)."""
        centre = self.geometry.centre(key)
        if centre is not None:
            return centre
        item = self.item_for_key(key)
        return item.pos() if item is not None else None

    def key_at(self, point: QPointF) -> str | None:
        """The node or collapsed module drawn at `point`, if any (or whose far-out label
        is written there: a label stands for its card)."""
        labelled = self.key_labels.label_at(point.x(), point.y())
        if labelled is not None:
            return labelled
        for item in self.items(point):
            if isinstance(item, NodeItem):
                return item.name
            if isinstance(item, ModuleItem):
                return item.key
        if self.overview.active:
            return self.overview.item.node_at(point)
        return None

    # -- input ------------------------------------------------------------------------

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() is Qt.MouseButton.LeftButton and self._on_count(event.scenePos()):
            event.accept()
            return
        super().mousePressEvent(event)

    def _on_count(self, point: QPointF) -> bool:
        """A click on a function card's node count (drawn when its text is): show its nodes."""
        if self.overview.view_scale < FULL_TEXT_ZOOM:
            return False
        for item in self.items(point):
            if isinstance(item, NodeItem):
                pill = item.count_rect()
                if pill is None or not pill.contains(item.mapFromScene(point)):
                    return False
                self.function_expand_requested.emit(item.name)
                return True
        return False

    def _on_label_pressed(self, key: str, additive: bool) -> None:
        """A click on a far-out label: its card is selected, as by a click on the card."""
        selection = self.workspace.selection
        keys = list(selection.keys)
        if additive:
            selection.set_keys([k for k in keys if k != key] if key in keys else [*keys, key])
        else:
            selection.set_keys([key])

    def _on_label_activated(self, key: str) -> None:
        """A double-click on a label: the card's own double-click (run, or open a module)."""
        module = module_of_key(key)
        if module is not None:
            self.module_activated.emit(module)
        else:
            self.node_activated.emit(key)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        at = event.scenePos()
        labelled = self.key_labels.label_at(at.x(), at.y())  # written over every card
        if labelled is not None:
            self._on_label_activated(labelled)
            event.accept()
            return
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
