"""From a change of the graph model's display to the scene: lay out, then draw.

The graph model says the display changed; the scheduler draws it in a turn
of its own (taking a big reply in is a lot of work already), has the
drawing laid out on a worker thread unless only details changed, and hands
the layout to the scene. A layout that takes long is said in the status bar.
A big drawing's layout request (every card measured) is built over a few turns.

    graph.display_changed -> (next turn) request (in turns) -> layout -> scene.show_graph
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from studio.core.graph.display_graph import DisplayGraph, drawing_key
from studio.core.layout import DOT_NODE_LIMIT, Direction, LayoutRequest, LayoutResult
from studio.core.model.graph_model import DisplayChange, DisplayUpdate, GraphModel
from studio.ui.canvas.layout_runner import LayoutRunner
from studio.ui.canvas.scene import GraphScene

_BUSY_LAYOUT_ABOVE = 300
"""Boxes above which the status bar says a layout is being made."""
_LAYOUT_NOTE_AFTER_MS = 300
"""A layout is announced in the status bar only once it has taken this long."""
_FITTED = (DisplayChange.FIRST, DisplayChange.RELAYOUT)
"""Changes drawn as a first drawing: laid out afresh and fitted."""
_ANNOUNCED_LATER_FROM = 2_000
"""Nodes of a drawing from which `drawn` is emitted in a turn of its own: at 20,000
nodes its listeners (status bar, navigation, the graph kept for the next launch) took
15-25 ms after the drawing's own 30-40 ms, in one event."""
_BUILD_TURN_SECONDS = 0.015
"""How long one turn of the event loop builds the layout request (20,000 cards new
to the drawing take a third of a second: a big drawing's request takes a few turns)."""


@dataclass(frozen=True, slots=True)
class _LayoutJob:
    display: DisplayGraph
    change: DisplayChange
    anchor: str | None
    engine: str

    @property
    def first(self) -> bool:
        return self.change in _FITTED


class DrawScheduler(QObject):
    drawn = Signal(object, bool)
    """The scene shows the model's snapshot: (snapshot, first drawing of this graph)."""
    busy_changed = Signal(bool, str)
    """A long layout: (busy, what)."""
    failed = Signal(str)
    """The layout failed: the text of an error notice."""

    def __init__(
        self,
        graph: GraphModel,
        scene: GraphScene,
        anchor: Callable[[], str | None],
        timings: dict[str, float],
        frame: Callable[[], tuple[float, float]] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.graph = graph
        self.scene = scene
        self.anchor = anchor
        self.frame = frame
        """The free area of the view a first drawing is fitted into (AUTO direction)."""
        self.timings = timings
        self.layouts = LayoutRunner(self)
        self._change_started: float | None = None
        self._job: _LayoutJob | None = None
        """The drawing being laid out (the runner delivers only the newest)."""
        self._steps: Iterator[LayoutRequest | None] | None = None
        """The job's layout request while it is being built, in turns of its own."""
        self._build_soon = QTimer(self)
        self._build_soon.setSingleShot(True)
        self._build_soon.setInterval(0)
        self._build_soon.timeout.connect(self._build)
        self._update: DisplayUpdate | None = None
        self._draw_soon = QTimer(self)
        self._draw_soon.setSingleShot(True)
        self._draw_soon.setInterval(0)
        self._draw_soon.timeout.connect(self._draw)
        self._layout_note = ""
        self._note_layout_soon = QTimer(self)
        self._note_layout_soon.setSingleShot(True)
        self._note_layout_soon.setInterval(_LAYOUT_NOTE_AFTER_MS)
        self._note_layout_soon.timeout.connect(self._note_layout)
        self._layout_noted = False
        self._announced: list[tuple[object, bool]] = []
        """Drawings shown whose `drawn` waits for a turn of its own, in order."""
        self._announce_soon = QTimer(self)
        self._announce_soon.setSingleShot(True)
        self._announce_soon.setInterval(0)
        self._announce_soon.timeout.connect(self._announce_now)
        graph.display_changed.connect(self._on_display_changed)
        self.layouts.finished.connect(self._on_layout)
        self.layouts.failed.connect(self._on_layout_failed)

    def forget(self) -> None:
        """Another folder: a drawing asked for in the last one is not made, nor one whose
        layout is still on its way."""
        self._update = None
        self._job = None
        self._steps = None
        self._announced = []

    def change_started(self) -> None:
        """A file changed: the time to its drawing is measured (`save_to_canvas`)."""
        if self._change_started is None:
            self._change_started = time.perf_counter()

    def shutdown(self) -> None:
        self.layouts.shutdown()

    def _on_display_changed(self, update: DisplayUpdate) -> None:
        """Drawn in a turn of its own: taking a big reply in is a lot of work already."""
        pending = self._update
        if pending is not None and pending.change in _FITTED:
            update = DisplayUpdate(pending.change, update.anchor or pending.anchor)
        elif self._job is not None and self._job.first and update.change not in _FITTED:
            # A first drawing is still being laid out (the source's graph when the kernel's
            # comes early, on a busy machine): its layout is dropped for this one, which is
            # then the first shown, and the one fitted.
            update = DisplayUpdate(self._job.change, update.anchor)
        self._update = update
        self._draw_soon.start()

    def _draw(self) -> None:
        waiting = self._update is not None and not self.graph.display_derived
        if waiting and self.graph.display is not None:  # derived in a turn of its own
            self._draw_soon.start()  # (40-60 ms at 20,000 nodes)
            return
        update, self._update = self._update, None
        display, snapshot = self.graph.display, self.graph.snapshot
        if update is None or display is None or snapshot is None:
            return
        first = update.change in _FITTED
        drawn = self.scene.drawn
        if (
            not first
            and drawn is not None
            and _same_counts(display, drawn)  # else no need for the keys (15-20 ms each)
            and drawing_key(display) == drawing_key(drawn)
        ):
            self.scene.update_details(display)
            self._mark_shown()
            self._announce(snapshot, False, len(display.nodes))
            return
        boxes = len(display.nodes) + len(display.modules)
        if boxes > _BUSY_LAYOUT_ABOVE:  # said only if it takes long enough to notice
            self._layout_note = f"Laying out {boxes:,} boxes…"
            self._note_layout_soon.start()
        self.timings["layout_started"] = time.perf_counter()
        direction = self.graph.direction
        if direction is Direction.AUTO and not first and self.scene.drawn is not None:
            direction = self.scene.direction  # a save never turns the drawing
        frame = self.frame() if self.frame is not None else None
        engine = self.graph.engine
        nest = engine == "dot" or (engine == "auto" and boxes <= DOT_NODE_LIMIT)
        # A request still being built is an older drawing's: this one replaces it.
        self._steps = self.scene.sizes.request_steps(display, direction, frame, nest)
        # Before the request: a layout found in the cache can be delivered at once.
        self._job = _LayoutJob(display, update.change, update.anchor, engine)
        self._build_soon.start()  # in a turn of its own: drawing_key took 20-40 ms here

    def _build(self) -> None:
        """Build the job's request for a turn; laid out once it is whole."""
        steps, job = self._steps, self._job
        if steps is None or job is None:
            return
        deadline = time.perf_counter() + _BUILD_TURN_SECONDS
        for request in steps:
            if request is not None:
                self._steps = None
                self.layouts.request(request, job.engine)
                return
            if time.perf_counter() > deadline:
                self._build_soon.start()
                return

    def _on_layout(self, _ticket: int, result: LayoutResult) -> None:
        if self._steps is not None:
            return  # an older drawing's: the newest one's request is still being built
        job, self._job = self._job, None
        snapshot = self.graph.snapshot
        if job is None or snapshot is None:
            return
        self._end_layout_note()
        self.timings["layout"] = result.seconds
        self.timings["layout_engine"] = result.engine  # type: ignore[assignment]
        anchor = None if job.first else (job.anchor or self.anchor())
        self.scene.show_graph(job.display, result, anchor, animate=not job.first)
        self._mark_shown()
        self._announce(snapshot, job.first, len(job.display.nodes))

    def _announce(self, snapshot: object, first: bool, nodes: int) -> None:
        """`drawn`, now, or for a big drawing in a turn of its own (after any still due)."""
        if nodes < _ANNOUNCED_LATER_FROM and not self._announced:
            self.drawn.emit(snapshot, first)
            return
        self._announced.append((snapshot, first))
        self._announce_soon.start()

    def _announce_now(self) -> None:
        announced, self._announced = self._announced, []
        for snapshot, first in announced:
            self.drawn.emit(snapshot, first)

    def _on_layout_failed(self, _ticket: int, error: str) -> None:
        if self._steps is not None:
            return  # an older drawing's layout: the newest one's request is being built
        self._job = None
        self._end_layout_note()
        last_line = error.strip().splitlines()[-1] if error.strip() else "unknown error"
        self.failed.emit(f"Laying out the graph failed: {last_line}")

    def _note_layout(self) -> None:
        self._layout_noted = True
        self.busy_changed.emit(True, self._layout_note)

    def _end_layout_note(self) -> None:
        self._note_layout_soon.stop()
        if self._layout_noted:
            self._layout_noted = False
            self.busy_changed.emit(False, "")

    def _mark_shown(self) -> None:
        if self._change_started is not None:
            self.timings["save_to_canvas"] = time.perf_counter() - self._change_started
            self._change_started = None


def _same_counts(display: DisplayGraph, drawn: DisplayGraph) -> bool:
    """As many nodes, modules and edges: the drawings may be the same."""
    return (
        len(display.nodes) == len(drawn.nodes)
        and len(display.modules) == len(drawn.modules)
        and len(display.edge_counts) == len(drawn.edge_counts)
    )
