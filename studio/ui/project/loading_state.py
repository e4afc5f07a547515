"""What the canvas says between opening a folder and its first drawing.

The previous project's drawing is gone the moment another folder opens;
until the new graph is drawn the canvas says what is happening and for
how long, a folder that fails to load says so where the graph would be,
and a kernel that stays silent is reported rather than waited on forever.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from studio.core.model.workspace import Workspace
from studio.ui.canvas.canvas_message import CanvasMessage
from studio.ui.kernel.session import KernelSession, KernelState
from studio.ui.project.graph_controller import GraphController

PATIENCE_SECONDS = 45
"""A load quiet for this long is reported as possibly stuck."""


class LoadingState(QObject):
    def __init__(
        self,
        message: CanvasMessage,
        workspace: Workspace,
        session: KernelSession,
        controller: GraphController,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.workspace = workspace
        self.session = session
        self._started: float | None = None
        self._what = ""
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)
        workspace.project.opened.connect(self._on_opened)
        workspace.graph.cleared.connect(self._on_cleared)
        session.state_changed.connect(self._on_kernel_state)
        controller.busy_changed.connect(self._on_busy)
        controller.graph_shown.connect(lambda _snapshot, _first: self._stop())
        controller.preview_shown.connect(lambda _snapshot: self._stop())
        controller.load_finished.connect(self._on_load_finished)

    @property
    def waiting(self) -> bool:
        return self._started is not None

    def _on_opened(self, root: Path) -> None:
        self._start(f"Opening {root.name}…")

    def _on_cleared(self) -> None:
        if not self.waiting and self.workspace.project.root is not None:
            self._start("Loading the graph…")

    def _on_kernel_state(self, state: KernelState) -> None:
        if not self.waiting:
            return
        if state is KernelState.STARTING:
            python = self.workspace.project.interpreter or "the studio's Python"
            self._what = f"Starting a kernel in {python}…"
            self._tick()
        elif state is KernelState.DEAD:
            self._what = "The kernel stopped while loading; a new one is starting…"
            self._tick()

    def _on_busy(self, busy: bool, what: str) -> None:
        if busy and what and self.waiting:
            self._what = what
            self._tick()

    def _on_load_finished(self, ok: bool) -> None:
        if ok or self.workspace.graph.snapshot is not None or not self.waiting:
            return
        self._stop()
        root = self.workspace.project.root
        name = root.name if root is not None else "The folder"
        self.message.say(
            f"{name} did not load",
            "Nothing to draw yet: the errors are listed above. Fix them and save; "
            "the graph draws itself.",
        )

    def _start(self, what: str) -> None:
        self._started = time.monotonic()
        self._what = what
        self._ticker.start()
        self._tick()

    def _stop(self) -> None:
        self._started = None
        self._ticker.stop()
        self.message.hide()

    def _tick(self) -> None:
        if self._started is None:
            return
        seconds = time.monotonic() - self._started
        details = f"{seconds:.0f} s" if seconds >= 1 else ""
        if seconds >= PATIENCE_SECONDS:
            details = (
                f"The kernel has not answered for {seconds:.0f} s. A module may import "
                "something slow, or be stuck: Kernel ▸ Restart Kernel starts a fresh one."
            )
        self.message.say(self._what, details)
