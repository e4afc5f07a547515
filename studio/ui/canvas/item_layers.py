"""The parents of the canvas items: edges below, nodes above, edge counts on top.

Nodes and edges are swapped out in bulk; the count labels of bundled edges
(few: one per bundle between collapsed modules) stay in a layer of their own,
above every box, where a bundle running under a module box still shows its count.

Deleting thousands of items takes a few hundred milliseconds. When a
redraw drops many at once, the items still shown move to fresh layers,
the old layers leave the scene with the rest, and those are freed
between frames.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, QRectF
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QStyleOptionGraphicsItem, QWidget

from studio.ui.canvas.sliced_work import SlicedWork

_FREED_PER_TASK = 200


def _free(items: list[QGraphicsItem]) -> None:
    """Let go of items that are off the canvas (Python deletes them)."""
    for item in items:
        item.setParentItem(None)


class Layer(QGraphicsItem):
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
            node.setParentItem(self.nodes)
        for edge in kept_edges:
            edge.setParentItem(self.edges)
        for layer in old:
            self.scene.removeItem(layer)
            children = layer.childItems()
            for start in range(0, len(children), _FREED_PER_TASK):
                chunk = children[start : start + _FREED_PER_TASK]
                self._freeing.add(lambda chunk=chunk: _free(chunk))
            self._freeing.add(lambda layer=layer: _free([layer]))
