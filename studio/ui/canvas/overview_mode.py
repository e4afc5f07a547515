"""When a big graph is drawn by one overview item instead of its thousands of items.

Far enough out (below `OVERVIEW_BELOW` zoom) a big drawing hides its
node and edge layers and shows the `OverviewItem`, whose boxes are
coloured here from the emphasis, the run states and the search hits.
While a big drawing is still being filled in at that zoom the overview
stays up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QPointF, QRectF, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem

from studio.core.graph.display_graph import DisplayGraph
from studio.core.graph.emphasis import Emphasis, LineageEmphasis
from studio.core.runs.run_state import NodeState, RunState
from studio.ui.canvas.drawn_geometry import DrawnGeometry
from studio.ui.canvas.overview import OverviewItem
from studio.ui.theme import Theme

OVERVIEW_BELOW = 0.3
"""Zoom under which a big graph is drawn by the overview item."""


def mix(colour: QColor, background: QColor, amount: float) -> QColor:
    """`colour` faded towards `background` (amount 0: unchanged, 1: background)."""
    keep = 1.0 - amount
    return QColor(
        round(colour.red() * keep + background.red() * amount),
        round(colour.green() * keep + background.green() * amount),
        round(colour.blue() * keep + background.blue() * amount),
    )


class OverviewMode(QObject):
    def __init__(
        self,
        item: OverviewItem,
        layers: Callable[[], Sequence[QGraphicsItem]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.item = item
        self._layers = layers
        self.big = False
        self.active = False
        self.view_scale = 1.0
        self.geometry_pending = False
        """A big drawing is shown but its boxes' geometry is still to be worked out."""
        self._restyle_timer = QTimer(self)
        self._restyle_timer.setSingleShot(True)
        self._restyle_timer.setInterval(40)
        self._style_source: Callable[[], None] | None = None

    def set_style_source(self, restyle: Callable[[], None]) -> None:
        """What the restyle timer calls (the scene, which knows emphasis and states)."""
        self._style_source = restyle
        self._restyle_timer.timeout.connect(restyle)

    @property
    def far(self) -> bool:
        return self.view_scale < OVERVIEW_BELOW

    def update(self, filling: bool) -> None:
        """Show the overview or the items, by size, zoom and whether items are still coming."""
        overview = self.big and (self.far or (filling and self.active))
        self.item.setVisible(self.big)
        if overview == self.active:
            return
        self.active = overview
        for layer in self._layers():
            layer.setOpacity(0.0 if overview else 1.0)
        self.item.setOpacity(1.0 if overview else 0.0)
        if overview and self._style_source is not None:
            self._style_source()

    def set_geometry(
        self, display: DisplayGraph | None, geometry: DrawnGeometry, theme: Theme
    ) -> None:
        if not self.big or display is None:
            self.item.set_graph([], [], QPointF(), QRectF(), theme.edge)
            return
        self.item.set_graph(
            geometry.node_boxes,
            list(geometry.lines.values()),
            geometry.offset,
            geometry.graph_rect,
            theme.edge,
        )

    def schedule_restyle(self) -> None:
        if self.big and self.active:
            self._restyle_timer.start()

    def restyle(
        self,
        display: DisplayGraph | None,
        geometry: DrawnGeometry,
        emphasis: LineageEmphasis,
        runs: RunState,
        search_hits: frozenset[str],
        theme: Theme,
    ) -> None:
        """Colour every box of the overview from emphasis, run state and search hits."""
        if not self.big or display is None or self.geometry_pending:
            return
        emphasis_colour = {
            Emphasis.SELECTED: theme.selection,
            Emphasis.UPSTREAM: theme.upstream,
            Emphasis.DOWNSTREAM: theme.downstream,
        }
        state_colour = {
            state: theme.states[state]
            for state in (NodeState.FAILED, NodeState.RUNNING, NodeState.QUEUED)
        }
        styles: dict[str, tuple[QColor, QColor | None]] = {}
        marks: dict[str, QColor] = {}
        boxes = geometry.boxes
        dimmed = any(emphasis.of_key(m.key) is Emphasis.DIMMED for m in display.modules)
        for info in display.nodes:
            name = info.name
            chosen = emphasis.of_key(name)
            dimmed = dimmed or chosen is Emphasis.DIMMED
            fill = emphasis_colour.get(chosen) or state_colour.get(runs.state(name), boxes[name][1])
            if chosen is Emphasis.DIMMED:
                fill = mix(fill, theme.canvas, 0.75)
            styles[name] = (fill, None)
            if name in search_hits:
                marks[name] = theme.search
            elif chosen is Emphasis.SELECTED:
                marks[name] = theme.selection
        highlights: dict[Emphasis, list[Sequence[tuple[float, float]]]] = {
            Emphasis.UPSTREAM: [],
            Emphasis.DOWNSTREAM: [],
        }
        if emphasis.active:
            for key, line in geometry.lines.items():
                chosen = emphasis.of_edge(key)
                if chosen in highlights:
                    highlights[chosen].append(line)
        self.item.set_styles(
            styles,
            marks,
            [(highlights[e], emphasis_colour[e]) for e in highlights],
            dim_edges=dimmed,
        )
