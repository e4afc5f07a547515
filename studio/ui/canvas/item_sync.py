"""Creating, updating, placing and removing the scene's items for one drawing.

The scene keeps the map from display keys to items; this puts each node,
collapsed module, edge and region of a laid-out display graph where the
layout says, gliding the ones that stay (the scene's `transition`), fading
new ones in and dropping the ones that went.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress, repeat
from operator import attrgetter, is_not
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtWidgets import QGraphicsItem

from studio.core.graph.display_graph import DisplayGraph
from studio.core.graph.snapshot import NodeInfo
from studio.core.layout import Direction, EdgeRoute, LayoutResult
from studio.ui.canvas.in_view import in_view
from studio.ui.canvas.items.edge_item import EdgeItem
from studio.ui.canvas.items.module_item import ModuleItem
from studio.ui.canvas.items.node_item import NodeItem
from studio.ui.canvas.items.region_item import RegionItem
from studio.ui.canvas.sliced_work import SlicedWork

if TYPE_CHECKING:
    from studio.ui.canvas.scene import GraphScene

_BULK_REMOVAL = 400
"""Above this many stale items, they are hidden at once and leave the scene in batches."""
_AT_ONCE = 80
"""Most nodes (and twice as many edges) a big drawing makes at once, of those in view; the
rest follow in turns (150 took 30 ms of the layout's delivery at 5,000 nodes)."""


class ItemSync:
    """The scene's items made to match a drawing (one per scene)."""

    def __init__(self, scene: GraphScene) -> None:
        self.scene = scene

    def apply_near_first(
        self,
        infos: Sequence[NodeInfo],
        keys: list[tuple[str, str]],
        layout: LayoutResult,
        offset: QPointF,
        work: SlicedWork,
    ) -> None:
        """A big drawing's items: those in view now, the rest in `work`'s turns."""
        near_nodes, near_edges = in_view(self.scene, layout, offset)
        first_nodes: list[NodeInfo] = []
        if near_nodes:
            first_nodes = [i for i in infos if i.name in near_nodes][:_AT_ONCE]
        first_edges: list[tuple[str, str]] = []
        if near_nodes or near_edges:
            first_edges = [
                k for k in keys if k in near_edges or k[0] in near_nodes or k[1] in near_nodes
            ][: _AT_ONCE * 2]
        self.apply_nodes(first_nodes, False)
        self.apply_edges(first_edges, False)
        # The rest is picked out in the turns: over 20,000 nodes that is 10-20 ms.
        done_nodes, done_edges = {i.name for i in first_nodes}, set(first_edges)
        count = len(infos)

        def make(start: int, stop: int) -> None:
            """Items `start` to `stop` of the nodes and then the edges."""
            if start < count:
                nodes = infos[start : min(stop, count)]
                self.apply_nodes([i for i in nodes if i.name not in done_nodes], False)
            if stop > count:
                edges = keys[max(start, count) - count : stop - count]
                self.apply_edges([k for k in edges if k not in done_edges], False)

        work.add_range(count + len(keys), make)

    def apply_nodes(self, infos: Sequence[NodeInfo], animate: bool) -> None:
        """Create or update the items of the nodes `infos` for the current drawing."""
        scene = self.scene
        layout = scene.geometry.layout
        assert layout is not None
        offset = scene.geometry.offset
        dx, dy = offset.x(), offset.y()
        changed = scene.workspace.graph.changed
        for info in infos:
            name = info.name
            x, y = layout.positions[name]
            target = QPointF(x + dx, y + dy)
            item = scene.nodes.get(name)
            if item is None:
                self._create_node(info, target, animate)
                continue
            sizes = scene.sizes
            item.set_info(info, sizes.node(info), sizes.shown_name(info), sizes.subtitle(info))
            item.set_changed(scene.any_changed(name, changed))
            self._set_card(item)
            if animate:
                scene.transition.moves[name] = (item.pos(), target)
                scene.layers.place_node(item, target)
            else:
                item.setPos(target)
                scene.layers.place_node(item)

    def apply_edges(self, keys: list[tuple[str, str]], animate: bool) -> None:
        """Create or update the items of the edges `keys` for the current drawing."""
        scene = self.scene
        display, layout = scene.drawn, scene.geometry.layout
        assert display is not None and layout is not None
        counts = display.edge_counts
        for key in keys:
            edge = scene.edges.get(key)
            if edge is None:
                edge = EdgeItem(*key, scene.theme, counts[key], None, scene.layers.counts)
                edge.set_emphasis(scene.emphasis.current.of_edge(key))
                scene.edges[key] = edge
                self._place_edge(edge, layout, animate)
                edge.restacked = scene.layers.place_edge
            else:
                edge.set_count(counts[key])
                self._place_edge(edge, layout, animate)

    def _create_node(self, info: NodeInfo, target: QPointF, animate: bool) -> None:
        scene = self.scene
        sizes = scene.sizes
        item = NodeItem(
            info,
            sizes.node(info),
            scene.theme,
            None,
            sizes.shown_name(info),
            sizes.subtitle(info),
        )
        item.setPos(target)
        self._set_card(item)
        scene.layers.place_node(item)  # in the scene from here on
        item.set_run(scene.badges.run_of(info.name))
        item.set_changed(scene.any_changed(info.name, scene.workspace.graph.changed))
        item.set_search_hit(scene.any_hit(info.name, scene.workspace.selection.search_hits))
        item.set_emphasis(scene.emphasis.current.of_key(info.name))
        if info.name in scene.workspace.selection.keys:
            scene.emphasis.select_quietly(item)
        scene.nodes[info.name] = item
        if animate:
            item.setOpacity(0.0)
            scene.transition.fading_in.append(item)

    def _set_card(self, item: NodeItem) -> None:
        drawn = self.scene.drawn
        card = drawn.cards.get(item.name) if drawn is not None else None
        item.set_card(card.members, card.validators) if card else item.set_card((), 0)

    def _place_edge(self, edge: EdgeItem, layout: LayoutResult, animate: bool) -> None:
        scene = self.scene
        route = layout.routes.get(edge.key)
        offset = scene.geometry.offset
        dx, dy = offset.x(), offset.y()
        if route is None or animate:
            moves = scene.transition.moves
            if not animate or (edge.source not in moves and edge.target not in moves):
                self.route_straight(edge)  # otherwise the animation's first step does
            if route is not None:
                scene.transition.final_routes[edge.key] = EdgeRoute(
                    tuple((x + dx, y + dy) for x, y in route.points),
                    (route.tip[0] + dx, route.tip[1] + dy),
                )
        else:
            edge.set_route(route, dx, dy)
        scene.layers.place_edge(edge)

    def remove_stale(self, display: DisplayGraph) -> None:
        scene = self.scene
        modules = {m.module for m in display.modules}
        for name in [m for m in scene.modules if m not in modules]:
            scene.removeItem(scene.modules.pop(name))
        # Set differences: a Python loop over 20,000 items takes 10-20 ms.
        stale_nodes = scene.nodes.keys() - set(map(attrgetter("name"), display.nodes))
        stale_edges = scene.edges.keys() - display.edge_counts.keys()
        if len(stale_nodes) + len(stale_edges) <= _BULK_REMOVAL:
            for name in stale_nodes:
                scene.removeItem(scene.nodes.pop(name))
            for key in stale_edges:
                edge = scene.edges.pop(key)
                edge.drop_label()
                scene.removeItem(edge)
            return
        nodes, edges = scene.nodes, scene.edges
        # C-level loops (`map`): 33,000 items dropped when every card folds back.
        dropped: list[QGraphicsItem] = list(map(nodes.pop, stale_nodes))
        dropped_edges = list(map(edges.pop, stale_edges))
        # Their counts go with them (removed one by one, thousands took 20-40 ms); the
        # few edges with one are found by C-level calls (a loop over 18,000 took 5-6 ms).
        labels = map(attrgetter("count_label"), dropped_edges)
        labelled = compress(dropped_edges, map(is_not, labels, repeat(None)))
        dropped += [edge.take_label() for edge in labelled]
        dropped += dropped_edges
        scene.layers.retire(dropped)

    def sync_modules(self, display: DisplayGraph, layout: LayoutResult, animate: bool) -> None:
        scene = self.scene
        offset = scene.geometry.offset
        for module in display.modules:
            x, y = layout.positions[module.key]
            target = QPointF(x + offset.x(), y + offset.y())
            size = scene.sizes.module(module)
            box = scene.modules.get(module.module)
            if box is None:
                box = ModuleItem(module, size, scene.theme)
                box.setPos(target)
                scene.addItem(box)
                scene.modules[module.module] = box
                if module.key in scene.workspace.selection.keys:
                    scene.emphasis.select_quietly(box)
                if animate:
                    box.setOpacity(0.0)
                    scene.transition.fading_in.append(box)
            else:
                box.set_module(module, size)
                if animate:
                    scene.transition.moves[module.key] = (box.pos(), target)
                else:
                    box.setPos(target)
            box.set_states(scene.badges.module_states(module.members))

    def sync_regions(self, layout: LayoutResult, animate: bool) -> None:
        scene = self.scene
        for name in [n for n in scene.regions if n not in layout.regions]:
            scene.removeItem(scene.regions.pop(name))
        offset = scene.geometry.offset
        for name, (x, y, w, h) in layout.regions.items():
            target = QRectF(x + offset.x(), y + offset.y(), w, h)
            item = scene.regions.get(name)
            if item is None:
                item = RegionItem(name, scene.theme)
                item.set_rect(target)
                scene.addItem(item)
                scene.regions[name] = item
            elif animate:
                scene.transition.region_moves[name] = (item.rect(), target)
            else:
                item.set_rect(target)

    def route_straight(self, edge: EdgeItem) -> None:
        scene = self.scene
        source, target = scene.item_for_key(edge.source), scene.item_for_key(edge.target)
        if source is None or target is None:
            return
        lr = scene.direction is Direction.LEFT_RIGHT
        edge.set_ends(source.port(True, lr), target.port(False, lr), lr)

    def route_moving(self, moving: set[str]) -> None:
        scene = self.scene
        hold = scene.layers.hold
        for edge in scene.edges.values():
            if edge.source in moving or edge.target in moving:
                self.route_straight(edge)
                hold(edge)  # the edge's tile holds it all the way

    def set_region(self, name: str, rect: QRectF) -> None:
        scene = self.scene
        if name in scene.regions:
            scene.regions[name].set_rect(rect)

    def set_route(self, key: tuple[str, str], route: EdgeRoute) -> None:
        scene = self.scene
        edge = scene.edges.get(key)
        if edge is not None:
            edge.set_route(route)
            scene.layers.place_edge(edge)
