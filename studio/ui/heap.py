"""Keep Python's cycle collector from freezing the window.

A full collection walks every live object: with a 5,000-node graph on the
canvas that takes 100-150 ms, during which Qt neither paints nor reacts.
Objects that outlive a drawing are frozen (`gc.freeze`), so later full
collections skip them; they are thawed when another project opens, so
cycles among them are still freed then.

While a big graph is loaded, laid out and drawn, the collector is held off
altogether (`hold`): the worker threads and the scene make hundreds of
thousands of objects that live as long as the drawing, and each younger
collection walked all of those made since the last one (at 20,000 nodes a
single one took 106-151 ms, on whichever thread it fell, holding the
interpreter). `settle`, when the drawing is shown, freezes what was made and
lets the collector run again: cycles that became garbage meanwhile stay until
the next project opens (at 20,000 nodes, over five saves, the window's memory
grew as much with holds as without, 581 -> 705 against 579 -> 703 MB). A hold
ends by itself after `HOLD_LIMIT_MS` (a load that never ends in a drawing), and
when the window closes.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

if TYPE_CHECKING:
    from studio.ui.canvas.scene import GraphScene
    from studio.ui.project.graph_controller import GraphController

YOUNG_THRESHOLD = 20_000
"""Allocations between young collections (Python's default, 700, runs them constantly)."""
HOLD_LIMIT_MS = 30_000
"""A hold longer than this ends by itself: the drawing it waited for is not coming."""
BIG_GRAPH = 1_500
"""Nodes above which a graph's load or drawing holds the collector off (below, no
collection on the way takes long enough to notice)."""

_limit: QTimer | None = None
"""Ends a hold that lasted `HOLD_LIMIT_MS` (made with the first hold: it needs Qt's
application)."""
_holding = False
_holds = 0
"""Holds begun so far: a settle queued for one drawing is not for a later hold."""


def tune() -> None:
    gc.set_threshold(YOUNG_THRESHOLD, 20, 20)


def hold() -> None:
    """A big graph is on its way to the canvas: no collection until it is shown
    (`settle`), or for `HOLD_LIMIT_MS` at most."""
    global _limit, _holding, _holds
    if _limit is None:
        _limit = QTimer(singleShot=True)
        _limit.timeout.connect(settle)
    gc.disable()
    _holding = True
    _holds += 1
    _limit.start(HOLD_LIMIT_MS)


def held() -> bool:
    """The collector is held off for a drawing."""
    return _holding


def settle() -> None:
    """What is alive now is long-lived: leave it out of full collections. Ends a hold:
    what it kept from the collector is frozen, so no collection walks it now."""
    global _holding
    gc.freeze()
    if _holding:
        _holding = False
        if _limit is not None:
            _limit.stop()
        gc.enable()


def thaw() -> None:
    """Let full collections see everything again (a project is closing)."""
    settle()
    gc.unfreeze()


class DrawingHold(QObject):
    """A window's holds: from a big graph's load request or display change until the
    scene has made every item of its drawing (or the layout or load failed)."""

    def __init__(self, controller: GraphController, scene: GraphScene) -> None:
        super().__init__(controller)
        self.graph = controller.graph
        self.scene = scene
        controller.load_requested.connect(self._hold_if_big)
        self.graph.display_changed.connect(self._hold_if_big)
        self._drawn_in = -1
        """The hold a drawing was last shown in (its settle waits for a turn of its own)."""
        controller.drawing.drawn.connect(self._on_drawn)
        controller.drawing.failed.connect(lambda _why: settle())
        controller.load_finished.connect(self._on_load_finished)
        scene.filled.connect(settle)

    def _hold_if_big(self, *_: object) -> None:
        snapshot = self.graph.snapshot
        if snapshot is not None and len(snapshot.nodes) > BIG_GRAPH:
            hold()

    def _on_drawn(self, *_: object) -> None:
        self._drawn_in = _holds
        QTimer.singleShot(0, self._settle)

    def _settle(self) -> None:
        """A drawing is shown: settled now, or once its items are all made (`filled`).
        Not if a new hold began meanwhile: that drawing's items are still to be made."""
        if self._drawn_in == _holds and not self.scene.filling:
            settle()

    def _on_load_finished(self, good: bool) -> None:
        if not good:  # no drawing follows
            settle()
