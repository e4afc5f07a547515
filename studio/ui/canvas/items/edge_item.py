"""An edge on the canvas: a curve from one node's card to another's, with an arrowhead.

Edges take no mouse input and have a cheap shape, so that thousands of
them cost nothing in hit tests. An edge to or from a collapsed module
may stand for several graph edges: it is drawn thicker, with the count
(a `CountLabel` in a layer above the boxes, which the edge keeps placed).

An edge is a rect item whose rect (with no pen) is its bounds: Qt asks every
edge of the layer for its bounds at each paint, and keeps them itself, where
a `boundingRect` (and `shape`) written in Python cost a call into Python per
edge per frame, 40,000 calls a frame at 20,000 nodes.

An edge of a big graph may run across the whole drawing (tens of thousands
of pixels at 1:1); stroking all of it to show a screenful costs a fraction
of a millisecond per edge, a tenth of a second a frame for a few hundred of
them. Such an edge paints only its pieces near the exposed part of the view:
the same curves, cut where nothing of them shows.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPainterPathStroker, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QStyleOptionGraphicsItem, QWidget

from studio.core.graph.emphasis import Emphasis
from studio.core.layout import EdgeRoute
from studio.ui.canvas.items.count_label import CountLabel
from studio.ui.theme import Theme

_ARROW = 7.0
_BOUNDS_PAD = 4.0
"""Half the widest pen (a highlighted bundle, 5 px) and a pixel of antialiasing."""


class EdgeItem(QGraphicsRectItem):
    def __init__(
        self,
        source: str,
        target: str,
        theme: Theme,
        count: int = 1,
        parent: QGraphicsItem | None = None,
        labels: QGraphicsItem | None = None,
    ) -> None:
        super().__init__(parent)
        self._labels = labels
        """The layer the count label goes in (above the boxes); else the edge itself."""
        self.count_label: CountLabel | None = None
        self.source = source
        self.target = target
        self.theme = theme
        self.count = count
        self.emphasis = Emphasis.NORMAL
        self._path = QPainterPath()
        self._arrow = QPolygonF()
        self._pieces: list[_Piece] | None = None
        """The route cut in its curves (and line to the tip), with their bounds (made at
        the first paint that shows only part of it)."""
        self.setPen(Qt.PenStyle.NoPen)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)  # exposedRect
        self._placed: tuple[EdgeRoute, float, float] | None = None
        self.restacked: Callable[[EdgeItem], None] | None = None
        """Told when the emphasis changes the edge's z (its layer files it by z)."""
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self.setZValue(self._base_z())

    def _base_z(self) -> float:
        """Bundled edges (and their count label) above single ones, which would cross it."""
        return 2 if self.count > 1 else 1

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.target)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self._restyle_label()
        self.update()

    def set_emphasis(self, emphasis: Emphasis) -> None:
        if emphasis is not self.emphasis:
            self.emphasis = emphasis
            self.setZValue(
                {Emphasis.UPSTREAM: 3, Emphasis.DOWNSTREAM: 3, Emphasis.DIMMED: 0}.get(
                    emphasis, self._base_z()
                )
            )
            if self.restacked is not None:
                self.restacked(self)
            self._restyle_label()
            self.update()

    def near(self, point: QPointF, tolerance: float) -> bool:
        """Whether `point` (scene coordinates) is within `tolerance` of the drawn line."""
        stroker = QPainterPathStroker()
        stroker.setWidth(2 * tolerance)
        return stroker.createStroke(self._path).contains(self.mapFromScene(point))

    def set_count(self, count: int) -> None:
        """How many graph edges this one stands for (set before the route)."""
        if count != self.count:
            self.count = count
            self._placed = None
            self._restyle_label()
            if self.emphasis is Emphasis.NORMAL:
                self.setZValue(self._base_z())

    def set_route(self, route: EdgeRoute, dx: float = 0.0, dy: float = 0.0) -> None:
        """Follow a route computed by the layout engine, shifted by (dx, dy)."""
        if self._placed == (route, dx, dy):
            return
        self._placed = (route, dx, dy)
        points = [QPointF(x + dx, y + dy) for x, y in route.points]
        path = QPainterPath(points[0])
        for i in range(1, len(points) - 2, 3):
            path.cubicTo(points[i], points[i + 1], points[i + 2])
        tip = QPointF(route.tip[0] + dx, route.tip[1] + dy)
        if (tip - points[-1]).manhattanLength() > 0.5:
            path.lineTo(tip)
            before = points[-1]
        else:
            before = _before_end(points)
        self._set_path(path, tip, before)

    def set_ends(self, start: QPointF, end: QPointF, left_to_right: bool) -> None:
        """A plain S-curve between two ports (while nodes move)."""
        self._placed = None
        path = QPainterPath(start)
        if left_to_right:
            dx = max(abs(end.x() - start.x()) / 2, 30.0)
            path.cubicTo(QPointF(start.x() + dx, start.y()), QPointF(end.x() - dx, end.y()), end)
        else:
            dy = max(abs(end.y() - start.y()) / 2, 30.0)
            path.cubicTo(QPointF(start.x(), start.y() + dy), QPointF(end.x(), end.y() - dy), end)
        if left_to_right:
            before = QPointF(end.x() - 1.0, end.y())
        else:
            before = QPointF(end.x(), end.y() - 1.0)
        self._set_path(path, end, before)

    def path(self) -> QPainterPath:
        return self._path

    def _set_path(self, path: QPainterPath, tip: QPointF, before_tip: QPointF) -> None:
        self._path = path
        self._pieces = None
        angle = math.atan2(tip.y() - before_tip.y(), tip.x() - before_tip.x())
        back = QPointF(math.cos(angle), math.sin(angle)) * _ARROW
        side = QPointF(-math.sin(angle), math.cos(angle)) * (_ARROW * 0.5)
        self._arrow = QPolygonF([tip, tip - back + side, tip - back - side])
        self.setRect(  # the bounds (Qt's `boundingRect` and `shape`)
            path.controlPointRect()
            .united(self._arrow.boundingRect())
            .adjusted(-_BOUNDS_PAD, -_BOUNDS_PAD, _BOUNDS_PAD, _BOUNDS_PAD)
        )
        self._place_label()

    def _place_label(self) -> None:
        """The count over the middle of the edge (only a bundle has one)."""
        if self.count <= 1 or self._path.isEmpty():
            self.drop_label()
            return
        if self.count_label is None:
            self.count_label = CountLabel(self.count, self.theme, self._labels or self)
            self._restyle_label()
        middle = self._path.pointAtPercent(0.5)
        self.count_label.place(middle.x(), middle.y())

    def _restyle_label(self) -> None:
        if self.count_label is not None:
            colour, _width = self._pen()
            opacity = 0.18 if self.emphasis is Emphasis.DIMMED else 1.0
            self.count_label.set_look(self.count, self.theme, colour, opacity)

    def take_label(self) -> CountLabel | None:
        """The edge leaves the canvas with thousands of others: its count, if any, is
        no longer its own, for the caller to retire with them (see `drop_label`)."""
        label, self.count_label = self.count_label, None
        return label

    def drop_label(self) -> None:
        """The edge leaves the canvas, or stands for one graph edge: its count goes."""
        label = self.take_label()
        if label is not None:
            label.setParentItem(None)
            if label.scene() is not None:
                label.scene().removeItem(label)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        color, width = self._pen()
        if self.emphasis is Emphasis.DIMMED:
            painter.setOpacity(0.18)
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if lod > 0.3:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(color, width))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        exposed = option.exposedRect
        near = exposed.adjusted(
            -width - _BOUNDS_PAD, -width - _BOUNDS_PAD, width + _BOUNDS_PAD, width + _BOUNDS_PAD
        )
        if exposed.isEmpty() or self._placed is None or near.contains(self.rect()):
            painter.drawPath(self._path)  # (a curve between moving nodes is short-lived)
        else:
            for part in self._parts_near(near):
                painter.drawPath(part)
        if lod > 0.2:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawPolygon(self._arrow)

    def _parts_near(self, near: QRectF) -> Iterator[QPainterPath]:
        """The runs of consecutive pieces of the route that reach into `near`: each is
        stroked as the whole path would be there (a run's ends, and their caps, lie
        outside `near`, where the whole path would not show either)."""
        if self._pieces is None:
            self._pieces = _pieces(self._placed) if self._placed is not None else []
        left, top, right, bottom = near.getCoords()
        run: QPainterPath | None = None
        for start, points, x0, y0, x1, y1 in self._pieces:
            if x0 >= right or x1 <= left or y0 >= bottom or y1 <= top:
                if run is not None:
                    yield run
                    run = None
                continue
            if run is None:
                run = QPainterPath(QPointF(*start))
            if len(points) == 3:
                run.cubicTo(*(QPointF(*point) for point in points))
            else:
                run.lineTo(QPointF(*points[0]))
        if run is not None:
            yield run

    def _pen(self) -> tuple[QColor, float]:
        """The line's colour and width, by emphasis and by how many edges it bundles."""
        theme = self.theme
        extra = min(3.0, math.log2(self.count)) if self.count > 1 else 0.0
        if self.emphasis is Emphasis.UPSTREAM:
            return theme.upstream, 2.0 + extra
        if self.emphasis is Emphasis.DOWNSTREAM:
            return theme.downstream, 2.0 + extra
        return theme.edge, 1.2 + extra


Point = tuple[float, float]
_Piece = tuple[Point, tuple[Point, ...], float, float, float, float]
"""One curve or line of a route: where it starts, its other points, its bounds
(left, top, right, bottom, a pixel out: a level line has a height)."""


def _pieces(placed: tuple[EdgeRoute, float, float]) -> list[_Piece]:
    """The curves (and the line to the tip) `set_route` makes of a route, in floats:
    worked out without a call into Qt, for the edges in view at the first paint."""
    route, dx, dy = placed
    points = [(x + dx, y + dy) for x, y in route.points]
    pieces: list[_Piece] = []
    start = points[0]
    for i in range(1, len(points) - 2, 3):
        curve = (points[i], points[i + 1], points[i + 2])
        xs, ys = (start[0], *(p[0] for p in curve)), (start[1], *(p[1] for p in curve))
        pieces.append((start, curve, min(xs) - 1, min(ys) - 1, max(xs) + 1, max(ys) + 1))
        start = curve[2]
    tip = (route.tip[0] + dx, route.tip[1] + dy)
    end = points[-1]
    if abs(tip[0] - end[0]) + abs(tip[1] - end[1]) > 0.5:  # as `set_route` draws it
        xs, ys = (start[0], tip[0]), (start[1], tip[1])
        pieces.append((start, (tip,), min(xs) - 1, min(ys) - 1, max(xs) + 1, max(ys) + 1))
    return pieces


def _before_end(points: list[QPointF]) -> QPointF:
    """A point the curve arrives from: the last control point unlike the end."""
    end = points[-1]
    for point in reversed(points[:-1]):
        if (point - end).manhattanLength() > 0.5:
            return point
    return QPointF(end.x() - 1.0, end.y())
