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
        show_items: Callable[[bool], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.item = item
        self._show_items = show_items
        """Shows the items (True) or makes them transparent (False: the overview draws)."""
        self.big = False
        self.active = False
        self.view_scale = 1.0
        self.geometry_pending = False
        """A big drawing is shown but its boxes' geometry is still to be worked out."""
        self._restyle_timer = QTimer(self)
        self._restyle_timer.setSingleShot(True)
        self._restyle_timer.setInterval(40)
        self._style_source: Callable[[], None] | None = None
        self._bases: dict[bool, tuple[tuple[object, object, Theme], list[QColor]]] = {}
        """The base fills of the nodes, plain and faded, for a geometry and theme."""

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
        self._show_items(not overview)
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
        """Colour every box of the overview from emphasis, run state and search hits.

        Only the boxes set apart (the selection and its lineage, failed, running and
        queued nodes) are coloured here; the rest take their base fill, worked out
        once per geometry: at 20,000 nodes a restyle looked up each node's emphasis
        and state, 80 ms profiled."""
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
        lit = emphasis.selected | emphasis.upstream | emphasis.downstream
        boxes = geometry.boxes
        dimmed = emphasis.active and sum(1 for key in lit if key in boxes) < len(boxes)
        base = self._base_fills(display, geometry, theme, emphasis.active)
        styles: dict[str, tuple[QColor, QColor | None]] = {}
        for name in lit:  # the selection and its lineage: by emphasis, over any state
            styles[name] = (emphasis_colour[emphasis.of_key(name)], None)
        for name, run in runs.nodes.items():  # failed, running, queued: by state
            fill = state_colour.get(run.state)
            if fill is not None and name not in lit:
                styles[name] = (mix(fill, theme.canvas, 0.75) if emphasis.active else fill, None)
        marks: dict[str, QColor] = {name: theme.selection for name in emphasis.selected}
        marks.update((name, theme.search) for name in search_hits)
        highlights: dict[Emphasis, list[Sequence[tuple[float, float]]]] = {
            Emphasis.UPSTREAM: [],
            Emphasis.DOWNSTREAM: [],
        }
        if emphasis.active:
            ends = emphasis.upstream | emphasis.downstream | emphasis.selected
            for key, line in geometry.lines.items():
                if key[1] in ends:  # an edge is lit only towards a lit box
                    chosen = emphasis.of_edge(key)
                    if chosen in highlights:
                        highlights[chosen].append(line)
        self.item.set_styles(
            styles,
            marks,
            [(highlights[e], emphasis_colour[e]) for e in highlights],
            dim_edges=dimmed,
            base=base,
        )

    def _base_fills(
        self, display: DisplayGraph, geometry: DrawnGeometry, theme: Theme, dimmed: bool
    ) -> list[QColor]:
        """Each node's fill when nothing sets it apart (its kind's colour; faded while
        something else is selected), made once per geometry and theme: a restyle then
        works only on the nodes set apart, not on all 20,000."""
        boxes = geometry.boxes
        made = self._bases.get(dimmed)
        if made is not None and all(
            a is b for a, b in zip(made[0], (display, boxes, theme), strict=True)
        ):
            return made[1]
        fills = [boxes[info.name][1] for info in display.nodes]
        if dimmed:  # one faded colour per colour object (the kinds share theirs)
            faded = {id(c): c for c in fills}
            for key, colour in faded.items():
                faded[key] = mix(colour, theme.canvas, 0.75)
            fills = [faded[id(colour)] for colour in fills]
        self._bases[dimmed] = ((display, boxes, theme), fills)
        return fills
