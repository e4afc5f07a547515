"""What the view shows of a big drawing: those items are updated first, the rest later."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF

from studio.core.layout import LayoutResult
from studio.ui.canvas.items.edge_item import EdgeItem
from studio.ui.canvas.items.node_item import NodeItem

if TYPE_CHECKING:
    from studio.ui.canvas.scene import GraphScene


def in_view(
    scene: GraphScene, layout: LayoutResult, offset: QPointF
) -> tuple[set[str], set[tuple[str, str]]]:
    """Nodes and edges the view shows as items, by their new place or their old one.

    Empty when the overview draws the graph: then every item can wait.
    """
    if scene.overview.active or scene.overview.far or not scene.views():
        return set(), set()
    view = scene.views()[0]
    area = view.mapToScene(view.viewport().rect()).boundingRect()
    margin = 0.25 * max(area.width(), area.height())
    area.adjust(-margin, -margin, margin, margin)
    nodes: set[str] = set()
    edges: set[tuple[str, str]] = set()
    for item in scene.items(area):
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
