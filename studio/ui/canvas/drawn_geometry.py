"""Where the drawing is: every box and edge line in scene coordinates, worked out once.

The overview, the minimap, the anchor that keeps a node still on a
redraw, and clicks on the overview all ask where things are; computing
it per question costs a tenth of a second at 5,000 nodes, so it is done
once per drawing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor

from studio.core.graph.display_graph import DisplayGraph, module_of_key
from studio.core.graph.snapshot import NodeKind
from studio.core.layout import LayoutResult
from studio.ui.canvas.box_sizes import BoxSizes
from studio.ui.canvas.sliced_work import release_in_slices
from studio.ui.theme import Theme

BOXES_PER_STEP = 1000
"""Boxes measured per step of `measure_steps` (a few milliseconds)."""
LINES_PER_STEP = 10000
"""Edge lines gathered per step of `measure_steps`."""


class DrawnGeometry:
    def __init__(self) -> None:
        self.layout: LayoutResult | None = None
        self.offset = QPointF(0, 0)
        """Added to layout coordinates: a redraw keeps the anchor still on screen."""
        self.graph_rect = QRectF()
        self.boxes: dict[str, tuple[QRectF, QColor]] = {}
        """Every shown key's box as drawn, with its kind's colour."""
        self.lines: dict[tuple[str, str], Sequence[tuple[float, float]]] = {}
        """Edge routes in layout coordinates (for big drawings only)."""
        self.node_boxes: list[tuple[str, QRectF]] = []
        """The shown nodes' boxes in the display's order (what the overview draws)."""

    def place(self, layout: LayoutResult, offset: QPointF) -> None:
        self.layout, self.offset = layout, offset
        self.graph_rect = QRectF(offset.x(), offset.y(), layout.width, layout.height)

    def measure(
        self, display: DisplayGraph, sizes: BoxSizes, theme: Theme, with_lines: bool
    ) -> None:
        """Every shown box's rectangle (and each edge's polyline when `with_lines`)."""
        for _ in self.measure_steps(display, sizes, theme, with_lines):
            pass

    def measure_steps(
        self, display: DisplayGraph, sizes: BoxSizes, theme: Theme, with_lines: bool
    ) -> Iterator[None]:
        """`measure` in steps of a few milliseconds (20,000 boxes take a tenth of a
        second): the last step puts the new boxes and lines in place of the old."""
        layout = self.layout
        if layout is None:
            release_in_slices(list(self.boxes.values()))
            self.boxes, self.lines, self.node_boxes = {}, {}, []
            return
        positions, dx, dy = layout.positions, self.offset.x(), self.offset.y()
        accents = {kind: theme.kind(kind).accent for kind in NodeKind}
        boxes: dict[str, tuple[QRectF, QColor]] = {}
        node_boxes: list[tuple[str, QRectF]] = []
        nodes = display.nodes
        for start in range(0, len(nodes), BOXES_PER_STEP):
            for info in nodes[start : start + BOXES_PER_STEP]:
                w, h = sizes.node(info).toTuple()
                x, y = positions[info.name]
                rect = QRectF(x + dx - w / 2, y + dy - h / 2, w, h)
                boxes[info.name] = (rect, accents[info.kind])
                node_boxes.append((info.name, rect))
            yield
        for module in display.modules:
            w, h = sizes.module(module).toTuple()
            x, y = positions[module.key]
            boxes[module.key] = (QRectF(x + dx - w / 2, y + dy - h / 2, w, h), theme.node_subtext)
        lines: dict[tuple[str, str], Sequence[tuple[float, float]]] = {}
        if with_lines:
            routes, keys = layout.routes, list(display.edge_counts)
            for start in range(0, len(keys), LINES_PER_STEP):
                for key in keys[start : start + LINES_PER_STEP]:
                    route = routes.get(key)
                    if route is not None:
                        lines[key] = route.points
                yield
        release_in_slices(list(self.boxes.values()))
        self.boxes, self.lines, self.node_boxes = boxes, lines, node_boxes

    @staticmethod
    def steps_for(display: DisplayGraph) -> int:
        """How many steps `measure_steps` takes for `display` with lines (for queuing them)."""
        boxes = -(-len(display.nodes) // BOXES_PER_STEP)
        return boxes + -(-len(display.edge_counts) // LINES_PER_STEP) + 1

    @staticmethod
    def anchor_offset(
        anchor: str | None, old: QPointF | None, display: DisplayGraph, layout: LayoutResult
    ) -> QPointF:
        """How far to shift a new drawing so that `anchor`, now at `old`, stays there."""
        if anchor is None or old is None:
            return QPointF(0, 0)
        new: tuple[float, float] | None = layout.positions.get(anchor)
        module = module_of_key(anchor)
        if new is None and module is not None and module in layout.regions:
            x, y, w, h = layout.regions[module]
            new = (x + w / 2, y + h / 2)
        if new is None:
            owner = display.key_of(anchor)
            new = layout.positions.get(owner) if owner else None
        if new is None:
            return QPointF(0, 0)
        return old - QPointF(*new)

    def centre(self, key: str) -> QPointF | None:
        if self.layout is not None and key in self.layout.positions:
            return QPointF(*self.layout.positions[key]) + self.offset
        return None

    def region_rects(self) -> Iterator[QRectF]:
        if self.layout is not None:
            for x, y, w, h in self.layout.regions.values():
                yield QRectF(x, y, w, h).translated(self.offset)

    def nearest(self, point: QPointF, within: QRectF) -> str | None:
        """The shown node or module closest to `point` among those inside `within`."""
        if self.layout is None:
            return None
        best, best_distance = None, float("inf")
        px, py = point.x() - self.offset.x(), point.y() - self.offset.y()
        left, top, right, bottom = within.translated(-self.offset).normalized().getCoords()
        for key, (x, y) in self.layout.positions.items():
            if not (left <= x <= right and top <= y <= bottom):  # (no Qt call per node)
                continue
            distance = (x - px) ** 2 + (y - py) ** 2
            if distance < best_distance:
                best, best_distance = key, distance
        return best
