"""The parents of the canvas items: edges below, nodes above, edge counts on top.

Nodes and edges are swapped out in bulk; the count labels of bundled edges
(few: one per bundle between collapsed modules) stay in a layer of their own,
above every box, where a bundle running under a module box still shows its count.

Inside the node and edge layers every item sits in a tile: the square of the
scene its centre falls in. A tile's rect holds the bounds of all its items
(`ItemContainsChildrenInShape`), so Qt's paint and its hit tests skip a tile
out of the exposed area with everything in it: a layer without tiles was
walked item by item on every paint (about 95 ms at 20,000 nodes, whatever was
in view). Membership is decided where an item is placed; a tile only grows,
until its layer is retired. Edges raised by the selection's emphasis (z 3) go
to tiles stacked above the others, so that they still cross over every other
edge, whichever tile those are in.

Deleting thousands of items takes a few hundred milliseconds. When a
redraw drops many at once, the items still shown move to fresh layers,
the old layers leave the scene with the rest, and those are freed
between frames.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from PySide6.QtCore import QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QStyleOptionGraphicsItem,
    QWidget,
)

from studio.ui.canvas.sliced_work import SlicedWork

_FREED_PER_TASK = 200
TILE_SIZE = 1024.0
"""The side of a tile, in scene units (a window at 1:1 shows a few)."""
RAISED_Z = 3
"""Items at or above this z (emphasised edges) go to the raised tiles."""


def _free(items: list[QGraphicsItem]) -> None:
    """Let go of items that are off the canvas (Python deletes them)."""
    for item in items:
        item.setParentItem(None)


class Tile(QGraphicsRectItem):
    """One square's share of a layer; its rect holds every child's bounds, and Qt keeps
    it, as it does the cards' and edges' own. It draws nothing (Qt asks only the tiles
    in view to paint)."""

    def __init__(self, parent: QGraphicsItem, raised: bool) -> None:
        super().__init__(parent)
        self.setPen(Qt.PenStyle.NoPen)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemContainsChildrenInShape)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self.setZValue(1 if raised else 0)

    def hold(self, bounds: QRectF) -> None:
        """Grow to hold `bounds` (scene coordinates: a tile sits at the origin)."""
        rect = self.rect()
        if rect.contains(bounds):
            return
        self.setRect(bounds if rect.isNull() else rect.united(bounds))

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        """Nothing (not even an empty rect in an SVG export)."""
        return None


class Layer(QGraphicsItem):
    """A parent holding many items, so that all of them can stop painting in one step."""

    def __init__(self, z: float) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents)
        self.setZValue(z)
        self.tiles: dict[tuple[bool, int, int], Tile] = {}

    def boundingRect(self) -> QRectF:
        return QRectF()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        return None

    def file(self, item: QGraphicsItem, centre: QPointF, bounds: QRectF, raised: bool) -> None:
        """Put `item` in the tile `centre` falls in, that tile holding `bounds`."""
        key = (raised, math.floor(centre.x() / TILE_SIZE), math.floor(centre.y() / TILE_SIZE))
        tile = self.tiles.get(key)
        if tile is None:
            tile = self.tiles[key] = Tile(self, raised)
        if item.parentItem() is not tile:
            item.setParentItem(tile)
        tile.hold(bounds)

    def items(self) -> list[QGraphicsItem]:
        """Every item in the layer's tiles."""
        return [item for tile in self.tiles.values() for item in tile.childItems()]


class ItemLayers(QObject):
    def __init__(self, scene: QGraphicsScene) -> None:
        super().__init__(scene)
        self.scene = scene
        self.nodes = Layer(10)
        self.edges = Layer(1)
        self.counts = Layer(20)
        """Above the nodes and the module boxes (z 10)."""
        scene.addItem(self.nodes)
        scene.addItem(self.edges)
        scene.addItem(self.counts)
        self._freeing = SlicedWork(self)

    def every(self) -> tuple[Layer, Layer, Layer]:
        """The layers hidden together while the overview draws the graph."""
        return self.nodes, self.edges, self.counts

    def place_node(self, item: QGraphicsItem, at: QPointF | None = None) -> None:
        """File a card by where it goes (`at`, else where it is): its tile holds it there
        and where it is now (a glide passes between the two)."""
        bounds = item.sceneBoundingRect()
        if at is None:
            self.nodes.file(item, bounds.center(), bounds, False)
            return
        target = item.boundingRect().translated(at)
        self.nodes.file(item, target.center(), bounds.united(target), False)

    def place_edge(self, edge: QGraphicsItem) -> None:
        """File an edge by its bounds as they are (also when its emphasis raises it)."""
        bounds = edge.sceneBoundingRect()
        self.edges.file(edge, bounds.center(), bounds, edge.zValue() >= RAISED_Z)

    def hold(self, item: QGraphicsItem) -> None:
        """The item's tile grows to hold it where it is now (while it moves)."""
        tile = item.parentItem()
        if isinstance(tile, Tile):
            tile.hold(item.sceneBoundingRect())

    def retire(
        self, kept_nodes: Iterable[QGraphicsItem], kept_edges: Iterable[QGraphicsItem]
    ) -> None:
        """New layers for the kept items; the old ones, with the rest, are freed bit by bit."""
        old = (self.nodes, self.edges)
        self.nodes, self.edges = Layer(10), Layer(1)
        for fresh, stale in zip((self.nodes, self.edges), old, strict=True):
            fresh.setOpacity(stale.opacity())
            self.scene.addItem(fresh)
        for node in kept_nodes:
            self.place_node(node)
        for edge in kept_edges:
            self.place_edge(edge)
        for layer in old:
            self.scene.removeItem(layer)
            children = layer.items()
            for start in range(0, len(children), _FREED_PER_TASK):
                chunk = children[start : start + _FREED_PER_TASK]
                self._freeing.add(lambda chunk=chunk: _free(chunk))
            tiles: list[QGraphicsItem] = list(layer.tiles.values())
            layer.tiles.clear()
            self._freeing.add(lambda layer=layer, tiles=tiles: _free([*tiles, layer]))
