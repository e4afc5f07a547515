"""A load that does not finish: named, timed, and stoppable.

The kernel says which module it is importing; when a load goes on for
long, the window says which module holds it and for how long, with a way
out (interrupt it, or restart the kernel). A save while a load hangs
interrupts it, so the saved code loads instead of waiting behind it.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from studio.core.notices import Cause, Notice, NoticeKind
from studio.core.protocol.events import Importing
from studio.ui.kernel.session import KernelSession
from studio.ui.project.graph_controller import GraphController

SLOW_LOAD_SECONDS = 8.0
"""A load taking longer is reported, with a way to stop it."""
SUPERSEDE_AFTER_SECONDS = 2.0
"""A save interrupts a load that has taken longer than this (a quicker one finishes first)."""


class LoadWatch(QObject):
    notice = Signal(object)
    """A load is slow: what holds it (a `Notice` whose cause is SLOW_LOAD)."""

    def __init__(self, controller: GraphController, session: KernelSession) -> None:
        super().__init__(controller)
        self.controller = controller
        self.session = session
        self.module: str | None = None
        self._started: float | None = None
        self._said = False
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)
        controller.load_requested.connect(self._on_started)
        controller.load_finished.connect(self._on_ended)
        session.listen(self)
        session.died.connect(lambda _reason: self._on_ended(False))
        controller.watcher.changed.connect(self._on_saved)

    @property
    def seconds(self) -> float:
        return 0.0 if self._started is None else time.monotonic() - self._started

    def interrupt(self) -> bool:
        """Interrupt the load going on; False when there is none."""
        if self._started is None:
            return False
        self.session.interrupt()
        return True

    def _on_started(self) -> None:
        self._started = time.monotonic()
        self.module = None
        self._said = False
        self._ticker.start()

    def _on_ended(self, ok: bool) -> None:
        self._started = None
        self._ticker.stop()
        if self._said and ok:  # slow, not stuck: the notice no longer holds
            self._said = False
            self.controller.notice_cleared.emit()

    def _on_importing(self, event: Importing) -> None:
        if self._started is not None:
            self.module = event.module
            self._tick()

    def _on_saved(self, _paths: list[str]) -> None:
        if self.seconds > SUPERSEDE_AFTER_SECONDS:
            self.interrupt()  # the reload the save asked for follows

    def _tick(self) -> None:
        if self._started is None:
            return
        seconds = self.seconds
        what = f"Importing {self.module}…" if self.module else "Loading the graph…"
        self.controller.busy_changed.emit(True, what)
        if seconds >= SLOW_LOAD_SECONDS and not self._said:
            self._said = True
            held = f"importing {self.module}" if self.module else "loading the graph"
            self.notice.emit(
                Notice(
                    NoticeKind.ERROR,
                    f"The kernel has been {held} for {seconds:.0f} s: the module may be stuck "
                    "(a loop, or a wait on the network). Esc interrupts it; saving the module "
                    "loads it again; Kernel ▸ Restart Kernel starts a fresh kernel.",
                    cause=Cause.SLOW_LOAD,
                )
            )
