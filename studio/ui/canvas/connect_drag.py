"""Alt+drag from one node to another: the second then takes the first as a parameter.

While the button is down a dashed line follows the pointer from the source
node; releasing it on another node asks for the edit, anywhere else
cancels. Plain drags still pan the canvas.
"""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QPen
from PySide6.QtWidgets import QGraphicsLineItem

from studio.core.graph.display_graph import module_of_key
from studio.ui.canvas.scene import GraphScene

MODIFIER = Qt.KeyboardModifier.AltModifier


class ConnectDrag:
    def __init__(self, scene: GraphScene) -> None:
        self.scene = scene
        self.source: str | None = None
        self._line: QGraphicsLineItem | None = None

    @property
    def active(self) -> bool:
        return self.source is not None

    def press(self, event: QMouseEvent, at: QPointF) -> bool:
        """Start a drag when Alt+press lands on a node; True when the press was taken."""
        if event.button() != Qt.MouseButton.LeftButton or not event.modifiers() & MODIFIER:
            return False
        key = self.scene.key_at(at)
        if key is None or module_of_key(key) is not None or key not in self.scene.nodes:
            return False
        self.source = key
        start = self.scene.nodes[key].sceneBoundingRect().center()
        pen = QPen(self.scene.theme.selection, 2.0, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        self._line = self.scene.addLine(QLineF(start, at), pen)
        self._line.setZValue(1000)
        return True

    def move(self, at: QPointF) -> bool:
        if self._line is None:
            return False
        line = self._line.line()
        self._line.setLine(QLineF(line.p1(), at))
        return True

    def release(self, at: QPointF) -> tuple[str, str] | None:
        """The (source, target) to connect, or None when released off a node."""
        source, self.source = self.source, None
        if self._line is not None:
            self.scene.removeItem(self._line)
            self._line = None
        target = self.scene.key_at(at)
        if source is None or target is None or target == source:
            return None
        if module_of_key(target) is not None:
            return None
        return source, target
