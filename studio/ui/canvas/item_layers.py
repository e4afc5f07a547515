"""The parents of the canvas items: edges below, nodes above, edge counts on top.

Nodes and edges are swapped out in bulk; the count labels of bundled edges
(few: one per bundle between collapsed modules) stay in a layer of their own,
above every box, where a bundle running under a module box still shows its count.

Deleting thousands of items takes a few hundred milliseconds, and so
does moving the ones that stay to fresh layers (each move takes the item
out of a long list of children). When a redraw drops many at once (a
function view's cards all folded: 15,000 items), the dropped ones are
hidden in one quick pass, out of sight and out of reach of clicks, and
leave the scene in small batches between frames.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from PySide6.QtCore import QObject, QRectF
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QStyleOptionGraphicsItem, QWidget

from studio.ui.canvas.sliced_work import SlicedWork

_FREED_PER_TASK = 200


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
