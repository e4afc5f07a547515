"""The animated move from one drawing to the next: boxes glide, new ones fade in.

Only small drawings are animated (a big one is redrawn in place): edges
of moving boxes are drawn straight while they move and take their routed
shape when the move ends.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEasingCurve, QObject, QPointF, QRectF, QVariantAnimation
from PySide6.QtWidgets import QGraphicsItem

from studio.core.layout import EdgeRoute

ANIMATION_MS = 240


def _lerp(a: QPointF, b: QPointF, t: float) -> QPointF:
    return a + (b - a) * t


def _lerp_rect(a: QRectF, b: QRectF, t: float) -> QRectF:
    return QRectF(_lerp(a.topLeft(), b.topLeft(), t), _lerp(a.bottomRight(), b.bottomRight(), t))


class Transition(QObject):
    """Moves, fades and region changes of one redraw, played over a quarter second."""

    def __init__(
        self,
        item_for_key: Callable[[str], QGraphicsItem | None],
        set_region: Callable[[str, QRectF], None],
        route_straight: Callable[[set[str]], None],
        set_route: Callable[[tuple[str, str], EdgeRoute], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._item_for_key = item_for_key
        self._set_region = set_region
        self._route_straight = route_straight
        self._set_route = set_route
        self.moves: dict[str, tuple[QPointF, QPointF]] = {}
        self.region_moves: dict[str, tuple[QRectF, QRectF]] = {}
        self.fading_in: list[QGraphicsItem] = []
        self.final_routes: dict[tuple[str, str], EdgeRoute] = {}
        self._animation = QVariantAnimation(self)
        self._animation.setDuration(ANIMATION_MS)
        self._animation.setStartValue(0.0)
        self._animation.setEndValue(1.0)
        self._animation.setEasingCurve(QEasingCurve.Type.InOutCubic)
        self._animation.valueChanged.connect(self._step)
        self._animation.finished.connect(self.finish)

    @property
    def running(self) -> bool:
        return self._animation.state() == QVariantAnimation.State.Running

    def play(self) -> None:
        self._animation.start()

    def stop(self) -> None:
        self._animation.stop()
        self.finish()

    def _step(self, value: float) -> None:
        t = float(value)
        for key, (start, end) in self.moves.items():
            item = self._item_for_key(key)
            if item is not None:
                item.setPos(_lerp(start, end, t))
        for item in self.fading_in:
            item.setOpacity(t)
        for name, (start, end) in self.region_moves.items():
            self._set_region(name, _lerp_rect(start, end, t))
        self._route_straight(set(self.moves))

    def finish(self) -> None:
        """Everything at its final place and shape (also when the animation is cut short)."""
        for key, (_, end) in self.moves.items():
            item = self._item_for_key(key)
            if item is not None:
                item.setPos(end)
        for item in self.fading_in:
            item.setOpacity(1.0)
        for name, (_, end) in self.region_moves.items():
            self._set_region(name, end)
        for key, route in self.final_routes.items():
            self._set_route(key, route)
        self.moves, self.region_moves, self.fading_in, self.final_routes = {}, {}, [], {}
