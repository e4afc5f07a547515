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

Deleting thousands of items takes a few hundred milliseconds. When a redraw
drops many at once (a function view's cards all folded: 15,000 items), the
dropped ones are hidden in one quick pass, out of sight and out of reach of
clicks, and leave the scene in small batches between frames.
"""

from __future__ import annotations

import math
from collections import deque
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
        self._unhidden: deque[list[QGraphicsItem]] = deque()
        """Dropped items not hidden yet (the overview draws): hidden before items show."""

    def show_items(self, shown: bool) -> None:
        """Show the items, or make them transparent while the overview draws the graph
        (dropped items still waiting to be hidden are hidden before the others show)."""
        if shown:
            for chunk in self._unhidden:
                for item in chunk:
                    item.hide()
            self._unhidden.clear()
        for layer in (self.nodes, self.edges, self.counts):
            layer.setOpacity(1.0 if shown else 0.0)

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

    def retire(self, stale: Iterable[QGraphicsItem]) -> None:
        """The `stale` items leave the scene, and are freed, bit by bit between frames.
        They are hidden at once (about 1.5 microseconds each: 50 ms for the 33,000 items
        of a function view folded back at 20,000 nodes), unless the overview draws the
        graph: then nothing of them shows, and each is hidden as it leaves."""
        dropped = list(stale)
        later = self.nodes.opacity() == 0.0
        if not later:
            for item in dropped:
                item.hide()
        for start in range(0, len(dropped), _FREED_PER_TASK):
            chunk = dropped[start : start + _FREED_PER_TASK]
            if later:
                self._unhidden.append(chunk)
            self._freeing.add(lambda chunk=chunk: self._remove(chunk))

    def _remove(self, items: list[QGraphicsItem]) -> None:
        """Take dropped items off the canvas (Python then deletes them)."""
        if self._unhidden and self._unhidden[0] is items:
            self._unhidden.popleft()
        for item in items:
            item.setParentItem(None)
            if item.scene() is self.scene:
                self.scene.removeItem(item)

    def flush(self) -> None:
        """Free every retired item now (for scripts and tests that count the canvas's items)."""
        self._freeing.flush()
        self._unhidden.clear()
