"""The whole graph in one item, for when a big graph is seen from far away.

Thousands of node and edge items each cost a call into Python per frame,
which at 5,000 nodes makes a frame of the whole graph take a fifth of a
second. Seen from far away nothing of a node but its box shows anyway,
so below a zoom level the canvas hides the items and this one draws the
graph instead: node boxes filled by kind, state and emphasis in a few
batched calls, and the edges from a picture rendered once per layout (in
slices, so rendering never blocks the window; until a new picture is
ready the last one stays up, unless the geometry changed). Zoomed in past that picture's resolution,
the edges in view are drawn as lines once they are indexed. Clicks land
on the node under the pointer, found through a grid, as they would on
the hidden items.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QLineF, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QGraphicsObject,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from studio.ui.canvas.sliced_work import SlicedWork, release_in_slices

IMAGE_LIMIT = 4096
"""Longest side, in pixels, of the pre-rendered edge picture."""
_EDGES_PER_SLICE = 600
_BEND_STRIDE = 3
_CELL = 1200.0
_CLEARED_BYTES = 4 << 20
"""Bytes of the edge picture cleared per slice."""
_MARK_PIXELS = 7.0
"""Selected nodes and search hits never shrink below this many screen pixels."""


Polyline = Sequence[tuple[float, float]]


class _Grid:
    """Which items lie in each cell of a coarse grid over the scene."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[int]] = defaultdict(list)

    def add(self, index: int, rect: QRectF) -> None:
        for cell in _cells(rect):
            self.cells[cell].append(index)

    def query(self, rect: QRectF) -> set[int]:
        found: set[int] = set()
        for cell in _cells(rect):
            found.update(self.cells.get(cell, ()))
        return found


def _clear_rows(image: QImage, top: int, rows: int) -> None:
    """Make `rows` rows of `image` from `top` down transparent."""
    painter = QPainter(image)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
    painter.fillRect(0, top, image.width(), rows, Qt.GlobalColor.transparent)
    painter.end()


def _cells(rect: QRectF) -> Iterable[tuple[int, int]]:
    x0, x1 = int(rect.left() // _CELL), int(rect.right() // _CELL)
    y0, y1 = int(rect.top() // _CELL), int(rect.bottom() // _CELL)
    for x in range(x0, x1 + 1):
        for y in range(y0, y1 + 1):
            yield (x, y)


class OverviewItem(QGraphicsObject):
    node_clicked = Signal(str, bool)
    """(node name, add to selection) for a click on a node's box."""
    node_double_clicked = Signal(str)
    picture_ready = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(2)
        self.setAcceptHoverEvents(False)
        self._bounds = QRectF()
        self._names: list[str] = []
        self._rects: list[QRectF] = []
        self._node_grid: _Grid | None = None
        self._offset = (0.0, 0.0)
        self._edges: list[Polyline] = []
        self._edge_lines: list[list[QLineF] | None] = []
        self._line_grid = _Grid()
        self._edges_indexed = 0
        self._indexing = SlicedWork(self)
        self._index: dict[str, int] | None = None
        """Each node's place in `_names` (made at the first restyle of a geometry)."""
        self._base_groups: tuple[Sequence[QColor], dict[int, tuple[QColor, list[int]]]] | None = (
            None
        )
        """The nodes by their base fill, for the last base given (kept while it stays)."""
        self._groups: dict[tuple[int, int], list[QRectF]] = {}
        self._colours: dict[tuple[int, int], tuple[QColor, QColor | None]] = {}
        self._marks: list[tuple[QRectF, QColor]] = []
        self._highlights: list[tuple[list[QLineF], QColor]] = []
        self.dim_edges = False
        self.edge_colour = QColor("#8a97a8")
        self._picture: QImage | None = None
        self._picture_scale = 1.0
        self._picture_bounds = QRectF()
        self._pending: QImage | None = None
        self._scaled: tuple[float, QPixmap] | None = None
        self.work = SlicedWork(self)
        self._wanted_lod = 1.0
        self._resample_timer = QTimer(self)
        self._resample_timer.setSingleShot(True)
        self._resample_timer.setInterval(120)
        self._resample_timer.timeout.connect(self._resample)

    # -- content --------------------------------------------------------------

    def set_graph(
        self,
        nodes: list[tuple[str, QRectF]],
        edges: list[Polyline],
        offset: QPointF,
        bounds: QRectF,
        edge_colour: QColor,
    ) -> None:
        """New geometry: node boxes in scene coordinates, edge polylines in layout ones.

        Edge segments are made and indexed lazily, between frames, and the
        node grid on the first click: at 10,000 edges building them all at
        once would hold the window up.
        """
        self.prepareGeometryChange()
        self._bounds = QRectF(bounds)
        self._offset = (offset.x(), offset.y())
        release_in_slices(self._rects)  # freeing 20,000 rectangles at once takes 20 ms
        names, rects = zip(*nodes, strict=True) if nodes else ((), ())
        self._names, self._rects = list(names), list(rects)
        self._node_grid = None
        self._index, self._base_groups = None, None
        self._edges = edges
        release_in_slices(self._edge_lines)
        self._edge_lines = [None] * len(edges)
        self._line_grid = _Grid()
        self._edges_indexed = 0
        self._indexing.cancel()
        for _ in range(0, len(edges), _EDGES_PER_SLICE):
            self._indexing.add(self._index_edges)
        self.edge_colour = QColor(edge_colour)
        # Nothing of the last geometry is painted again: its boxes and edge picture lie
        # where the new bounds may not reach, and would stay on screen as a ghost of the
        # last layout (a repaint of the item covers its new bounds only). The boxes
        # come back with the next `set_styles`, the edges as they are indexed and drawn.
        self._groups, self._colours, self._marks, self._highlights = {}, {}, [], []
        self._picture, self._scaled = None, None
        self._render_picture()

    def _lines_of(self, index: int) -> list[QLineF]:
        """One edge as segments in scene coordinates, every third bend kept."""
        lines = self._edge_lines[index]
        if lines is None:
            points = self._edges[index]
            kept = list(points[::_BEND_STRIDE])
            if (len(points) - 1) % _BEND_STRIDE:
                kept.append(points[-1])
            dx, dy = self._offset
            lines = [
                QLineF(x1 + dx, y1 + dy, x2 + dx, y2 + dy)
                for (x1, y1), (x2, y2) in itertools.pairwise(kept)
            ]
            self._edge_lines[index] = lines
        return lines

    def _index_edges(self) -> None:
        """Grid the next edges; only needed once zoomed in past the picture."""
        end = min(len(self._edges), self._edges_indexed + _EDGES_PER_SLICE)
        for i in range(self._edges_indexed, end):
            for line in self._lines_of(i):
                self._line_grid.add(i, QRectF(line.p1(), line.p2()).normalized())
        self._edges_indexed = end

    def _lines_in(self, rect: QRectF) -> list[QLineF]:
        """Edges crossing `rect` among those indexed so far (all, a moment after a change)."""
        return [line for i in self._line_grid.query(rect) for line in self._lines_of(i)]

    def set_styles(
        self,
        styles: dict[str, tuple[QColor, QColor | None]],
        marks: dict[str, QColor],
        highlights: list[tuple[list[Polyline], QColor]],
        dim_edges: bool,
        base: Sequence[QColor] | None = None,
    ) -> None:
        """Fill and outline per node, nodes marked to stay visible, highlighted edges.

        With `base` (a fill per node, in the order of `set_graph`), `styles` need only
        name the nodes styled otherwise: at 20,000 nodes a restyle then costs what
        changed (the nodes grouped by base fill are kept while `base` is the same).
        """
        index = self._node_index()
        members: dict[tuple[int, int], list[int]] = {}
        colours: dict[tuple[int, int], tuple[QColor, QColor | None]] = {}
        restyled = (
            range(len(self._names))
            if base is None
            else sorted(index[n] for n in styles if n in index)
        )
        if base is not None:
            skipped = set(restyled)
            for rgba, (fill, kept) in self._groups_of(base).items():
                if skipped:
                    kept = [i for i in kept if i not in skipped]
                if kept:
                    members[(rgba, 0)], colours[(rgba, 0)] = kept, (fill, None)
        apart: dict[tuple[int, int], list[int]] = {}
        for i in restyled:
            fill, outline = styles[self._names[i]]
            key = (fill.rgba(), outline.rgba() if outline is not None else 0)
            apart.setdefault(key, []).append(i)
            colours.setdefault(key, (fill, outline))
        for key, more in apart.items():  # (a fill also a base fill: both, in node order)
            members[key] = sorted([*members[key], *more]) if key in members else more
        rects = self._rects
        # Boxes drawn in the order of the nodes, group by group by first node: where
        # boxes a pixel apart at a far zoom share a pixel, the same one paints it.
        first = sorted(members, key=lambda key: members[key][0])
        self._groups = {key: [rects[i] for i in members[key]] for key in first}
        self._colours = colours
        marked = sorted((index[n], c) for n, c in marks.items() if n in index)
        self._marks = [(rects[i], c) for i, c in marked]
        dx, dy = self._offset
        self._highlights = [
            (
                [
                    QLineF(x1 + dx, y1 + dy, x2 + dx, y2 + dy)
                    for line in lines
                    for (x1, y1), (x2, y2) in itertools.pairwise(line)
                ],
                colour,
            )
            for lines, colour in highlights
        ]
        self.dim_edges = dim_edges
        self.update()

    def _node_index(self) -> dict[str, int]:
        if self._index is None:
            self._index = {name: i for i, name in enumerate(self._names)}
        return self._index

    def _groups_of(self, base: Sequence[QColor]) -> dict[int, tuple[QColor, list[int]]]:
        """The nodes (by place) grouped by their fill in `base`, in order of first use."""
        if self._base_groups is None or self._base_groups[0] is not base:
            # By colour object first (the kinds share theirs: no Qt call per node),
            # then by fill, keeping node order within a fill.
            by_object: dict[int, list[int]] = {}
            for i, fill in enumerate(base):
                members = by_object.get(id(fill))
                if members is None:
                    by_object[id(fill)] = [i]
                else:
                    members.append(i)
            groups: dict[int, tuple[QColor, list[int]]] = {}
            for members in by_object.values():
                fill = base[members[0]]
                group = groups.get(fill.rgba())
                if group is None:
                    groups[fill.rgba()] = (fill, members)
                else:
                    groups[fill.rgba()] = (group[0], sorted([*group[1], *members]))
            self._base_groups = (base, groups)
        return self._base_groups[1]

    def set_edge_colour(self, colour: QColor) -> None:
        if colour != self.edge_colour:
            self.edge_colour = QColor(colour)
            self._render_picture()

    def node_at(self, point: QPointF) -> str | None:
        if self._node_grid is None:
            self._node_grid = _Grid()
            for i, rect in enumerate(self._rects):
                self._node_grid.add(i, rect)
        probe = QRectF(point, QSize(1, 1))
        for i in self._node_grid.query(probe):
            if self._rects[i].contains(point):
                return self._names[i]
        return None

    # -- the edge picture -----------------------------------------------------

    def _render_picture(self) -> None:
        self.work.cancel()
        self._pending = None
        if self._bounds.isEmpty():
            self._picture, self._scaled = None, None
            return
        scale = min(1.0, IMAGE_LIMIT / max(self._bounds.width(), self._bounds.height()))
        size = QSize(
            max(1, int(self._bounds.width() * scale)), max(1, int(self._bounds.height() * scale))
        )
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        self._pending = image
        # Clearing a 4096-pixel picture takes 25-100 ms (its memory is touched for the
        # first time): a band of it per slice.
        rows = max(1, _CLEARED_BYTES // image.bytesPerLine())
        for top in range(0, size.height(), rows):
            self.work.add(lambda top=top: _clear_rows(image, top, rows))
        for start in range(0, len(self._edges), _EDGES_PER_SLICE):
            chunk = range(start, min(len(self._edges), start + _EDGES_PER_SLICE))
            self.work.add(lambda chunk=chunk, scale=scale: self._draw_lines(chunk, scale))
        self.work.add(lambda scale=scale: self._finish_picture(scale))

    def _draw_lines(self, edges: range, scale: float) -> None:
        if self._pending is None:
            return
        lines = [line for i in edges for line in self._lines_of(i)]
        painter = QPainter(self._pending)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(scale, scale)
        painter.translate(-self._bounds.topLeft())
        painter.setPen(QPen(self.edge_colour, 0))
        painter.drawLines(lines)
        painter.end()

    def _finish_picture(self, scale: float) -> None:
        self._picture, self._pending = self._pending, None
        self._picture_scale = scale
        self._picture_bounds = QRectF(self._bounds)
        self._scaled = None
        self.update()
        self.picture_ready.emit()

    def _picture_at(self, lod: float) -> QPixmap | None:
        """The edge picture resampled for this zoom level, once the zoom has settled.

        While the zoom changes the picture is drawn scaled on the fly
        (cheap, a little rough); shortly after, it is resampled properly
        and panning only copies pixels.
        """
        if self._scaled is not None and abs(self._scaled[0] - lod) < 1e-9:
            return self._scaled[1]
        self._wanted_lod = lod
        self._resample_timer.start()
        return None

    def _resample(self) -> None:
        if self._picture is None:
            return
        lod = self._wanted_lod
        bounds = self._picture_bounds
        size = QSize(max(1, round(bounds.width() * lod)), max(1, round(bounds.height() * lod)))
        scaled = self._picture.scaled(
            size, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        self._scaled = (lod, QPixmap.fromImage(scaled))
        self.update()

    # -- QGraphicsItem --------------------------------------------------------

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        exposed = option.exposedRect
        painter.setClipRect(self._bounds)  # what lies outside is never erased
        if self.dim_edges:
            painter.setOpacity(0.25)
        sharp_enough = lod <= self._picture_scale * 1.5
        indexed = self._edges_indexed >= len(self._edges)
        if self._picture is not None and (sharp_enough or not indexed):
            picture = self._picture_at(lod) if sharp_enough else None
            painter.save()
            painter.translate(self._picture_bounds.topLeft())
            if picture is not None:
                painter.scale(1 / lod, 1 / lod)
                painter.drawPixmap(0, 0, picture)
            else:
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
                painter.drawImage(QRectF(QPointF(0, 0), self._picture_bounds.size()), self._picture)
            painter.restore()
        else:
            painter.setPen(QPen(self.edge_colour, 0))
            painter.drawLines(self._lines_in(exposed))
        painter.setOpacity(1.0)
        for lines, colour in self._highlights:
            painter.setPen(QPen(colour, 1.6 / lod))
            painter.drawLines(lines)
        painter.setPen(Qt.PenStyle.NoPen)
        for key, rects in self._groups.items():
            fill, outline = self._colours[key]
            painter.setBrush(fill)
            if outline is not None:
                painter.setPen(QPen(outline, 0))
            painter.drawRects(rects)
            if outline is not None:
                painter.setPen(Qt.PenStyle.NoPen)
        least = _MARK_PIXELS / lod
        for rect, colour in self._marks:
            mark = QRectF(rect)
            if rect.width() < least or rect.height() < least:
                grow_x = max(0.0, (least - rect.width()) / 2)
                grow_y = max(0.0, (least - rect.height()) / 2)
                mark = rect.adjusted(-grow_x, -grow_y, grow_x, grow_y)
            painter.setPen(QPen(colour, 2.0 / lod))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(mark)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        name = self.node_at(event.scenePos())
        if name is None or event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        additive = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        self.node_clicked.emit(name, additive)
        event.accept()

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        name = self.node_at(event.scenePos())
        if name is None:
            event.ignore()
            return
        self.node_double_clicked.emit(name)
        event.accept()
