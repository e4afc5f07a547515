"""Keeps the canvas in step with the project: load through the kernel, lay out, draw.

The controller owns the flow from "something changed" to "the canvas
shows it": file saves and user choices ask for a load; loads go to the
kernel one at a time (a change during a load is remembered and loaded
next); a snapshot that needs a new drawing goes to the layout worker;
the result is applied to the scene in place. A graph that fails to load
never replaces the last good one.

What is drawn is the display graph: the snapshot with the modules the
user collapsed folded into boxes and, when the user focuses on some
nodes, only their lineage. Both choices survive reloads.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from studio.core import protocol
from studio.core.display_graph import (
    DisplayGraph,
    Focus,
    collapsible_modules,
    default_collapsed,
    derive_display,
    drawing_key,
)
from studio.core.graph_document import GraphDocument, Outcome
from studio.core.layout import Direction, LayoutResult
from studio.core.notices import Notice, NoticeKind, load_failed
from studio.core.project import Dataflow
from studio.core.protocol import ErrorCode
from studio.core.snapshot import GraphSnapshot
from studio.ui.canvas.layout_runner import LayoutRunner
from studio.ui.canvas.scene import GraphScene
from studio.ui.file_watcher import FolderWatcher
from studio.ui.kernel.session import KernelSession, Reply


class GraphController(QObject):
    project_loaded = Signal(dict)
    """A load finished: the project summary (dataflows, problems, chosen dataflow)."""
    graph_shown = Signal(object, bool)
    """The canvas shows a new snapshot: (snapshot, first drawing of this graph)."""
    banner = Signal(object)
    """A `Notice`: something the user must know."""
    banner_cleared = Signal()
    busy_changed = Signal(bool, str)
    """Loading or laying out: (busy, what)."""
    load_finished = Signal(bool)
    """A load reply was handled (True when it produced a graph)."""
    load_requested = Signal()
    """A load was sent to the current kernel: requests sent after it see its graph."""
    display_changed = Signal()
    """Collapsed modules or focus changed (the drawing follows once laid out)."""

    def __init__(
        self,
        session: KernelSession,
        scene: GraphScene,
        anchor: Callable[[], str | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.scene = scene
        self.anchor = anchor
        self.document = GraphDocument()
        self.watcher = FolderWatcher(self)
        self.layouts = LayoutRunner(self)
        self.root: Path | None = None
        self.dataflow: str | None = None
        self.dataflows: list[Dataflow] = []
        self.config_overrides: dict[str, dict[str, Any]] = {}
        self.direction = Direction.LEFT_RIGHT
        self.engine = "auto"
        self.cache_dir: Path | None = None
        self.problems: list[str] = []
        self.timings: dict[str, float] = {}
        self._loading = False
        self._reload_pending = False
        self._in_flight: dict[str, Any] | None = None
        self._crashed_on_load = False
        self._folder_missing = False
        self._pending_snapshot: GraphSnapshot | None = None
        self._pending_display: DisplayGraph | None = None
        self._pending_first = False
        self._pending_anchor: str | None = None
        self._pending_key: tuple[object, ...] | None = None
        self._accepted_first = False
        self._show_accepted_soon = QTimer(self)
        self._show_accepted_soon.setSingleShot(True)
        self._show_accepted_soon.setInterval(0)
        self._show_accepted_soon.timeout.connect(self._show_accepted)
        self.collapsed: set[str] = set()
        self._known_modules: set[str] = set()
        self.focus: Focus | None = None
        self.display: DisplayGraph | None = None
        self._drawn_key: tuple[object, ...] | None = None
        self._change_started: float | None = None
        self._error_banner = False
        self.load_requested_on_kernel = False
        session.state_changed.connect(self._on_kernel_state)
        session.ready.connect(self._on_kernel_ready)
        session.died.connect(self._on_kernel_died)
        self.watcher.changed.connect(self._on_files_changed)
        self.watcher.folder_missing.connect(self._on_folder_missing)
        self.watcher.folder_back.connect(self._on_folder_back)
        self.layouts.finished.connect(self._on_layout)
        self.layouts.failed.connect(self._on_layout_failed)

    # -- user actions -------------------------------------------------------

    def open_project(
        self,
        root: Path,
        dataflow: str | None = None,
        overrides: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self.root = root.resolve()
        self.dataflow = dataflow
        self.config_overrides = dict(overrides or {})
        self.dataflows = []
        self.problems = []
        self._forget_drawing()
        self._folder_missing = False
        self._crashed_on_load = False
        self._clear_banner()
        self.watcher.watch(self.root)
        self.session.start(self.root)

    def choose_dataflow(self, name: str) -> None:
        if name != self.dataflow:
            self.dataflow = name
            self._forget_drawing()
            self.reload()

    def set_config_overrides(self, overrides: dict[str, Any]) -> None:
        if self.dataflow is not None:
            self.config_overrides[self.dataflow] = dict(overrides)
        self._forget_drawing()
        self.reload()

    def set_direction(self, direction: Direction) -> None:
        if direction is not self.direction:
            self.direction = direction
            self.relayout(first=True)

    def current_dataflow(self) -> Dataflow | None:
        for flow in self.dataflows:
            if flow.name == self.dataflow:
                return flow
        return None

    def reload(self) -> None:
        """Load the graph again (after a save, a new choice, a restart)."""
        if self.root is None or self._folder_missing:
            return
        if self._loading:
            self._reload_pending = True
            return
        self._loading = True
        self._reload_pending = False
        self._in_flight = self._load_params()
        self.busy_changed.emit(True, "Loading the graph…")
        self.timings["load_started"] = time.perf_counter()
        self.session.request(protocol.Method.LOAD, self._in_flight, self._on_load_reply)
        self.load_requested_on_kernel = True
        self.load_requested.emit()

    def _load_params(self) -> dict[str, Any]:
        return {
            "root": str(self.root),
            "dataflow": self.dataflow,
            "config": self.config_overrides.get(self.dataflow or "", {}),
            "cache_dir": str(self.cache_dir) if self.cache_dir else None,
        }

    def relayout(self, first: bool = False) -> None:
        snapshot = self.document.snapshot
        if snapshot is None:
            return
        self._request_layout(snapshot, self._derive(snapshot), first)

    # -- what is shown --------------------------------------------------------

    def modules(self) -> dict[str, int]:
        """Modules that can be collapsed, with their node counts."""
        snapshot = self.document.snapshot
        return collapsible_modules(snapshot) if snapshot is not None else {}

    def set_collapsed(self, modules: set[str], anchor: str | None = None) -> None:
        """Show exactly `modules` collapsed; `anchor` (a node or module key) stays put."""
        modules = modules & set(self.modules())
        if modules != self.collapsed:
            self.collapsed = modules
            self._redisplay(anchor)

    def collapse(self, module: str, anchor: str | None = None) -> None:
        self.set_collapsed(self.collapsed | {module}, anchor)

    def expand(self, module: str, anchor: str | None = None) -> None:
        self.set_collapsed(self.collapsed - {module}, anchor)

    def set_focus(self, focus: Focus | None, anchor: str | None = None) -> None:
        if focus is not None and not focus.roots:
            focus = None
        if focus != self.focus:
            self.focus = focus
            self._redisplay(anchor)

    def _derive(self, snapshot: GraphSnapshot) -> DisplayGraph:
        return derive_display(snapshot, self.collapsed, self.focus)

    def _redisplay(self, anchor: str | None) -> None:
        self.display_changed.emit()
        snapshot = self.document.snapshot
        if snapshot is not None:
            self._show(snapshot, first=False, anchor=anchor)

    def _forget_drawing(self) -> None:
        """A new folder, dataflow or configuration: the next graph is drawn afresh."""
        self.document.reset()
        self._show_accepted_soon.stop()
        self._accepted_first = False
        self.collapsed = set()
        self._known_modules = set()
        self.focus = None
        self._drawn_key = None
        self.display_changed.emit()

    def _update_collapsed(self, snapshot: GraphSnapshot) -> None:
        """Modules seen for the first time start collapsed when the graph is big."""
        modules = set(collapsible_modules(snapshot))
        new = modules - self._known_modules
        if new:
            self.collapsed |= default_collapsed(snapshot) & new
        self.collapsed &= modules
        self._known_modules |= modules
        if self.focus is not None:
            names = {n.name for n in snapshot.nodes}
            roots = self.focus.roots & names
            if roots != self.focus.roots:
                self.focus = Focus(roots, self.focus.direction, self.focus.depth) if roots else None

    def _show(self, snapshot: GraphSnapshot, first: bool, anchor: str | None = None) -> None:
        display = self._derive(snapshot)
        key = drawing_key(display)
        if not first and key == self._drawn_key:
            self.display = display
            self.scene.update_graph_info(snapshot, display, self.document.changed)
            self._mark_shown()
            self.graph_shown.emit(snapshot, False)
            return
        self._request_layout(snapshot, display, first, anchor, key)

    def shutdown(self) -> None:
        self.watcher.stop()
        self.layouts.shutdown()

    # -- kernel -------------------------------------------------------------

    def _on_kernel_state(self, state: str) -> None:
        if state in ("starting", "dead", "stopped"):
            self.load_requested_on_kernel = False

    def _on_kernel_ready(self, _info: dict) -> None:
        self._loading = False
        if not self._crashed_on_load:
            self.reload()

    def _on_kernel_died(self, reason: str) -> None:
        if self._crashed_on_load:
            self._show_error(
                f"The kernel died while loading the graph ({reason}). A module may end the "
                "process when it is imported (os._exit, a crash in a C extension). A new "
                "kernel is ready; fix the module and save, and the graph reloads."
            )
        elif not self.session.requests_lost_at_death:  # otherwise their callers report it
            self.banner.emit(
                Notice(
                    NoticeKind.INFO,
                    f"The kernel stopped ({reason}). A new kernel was started and the graph "
                    "reloaded; results it held are gone.",
                )
            )

    def _on_load_reply(self, reply: Reply) -> None:
        self._loading = False
        self.busy_changed.emit(False, "")
        if not reply.ok:
            if reply.code is ErrorCode.KERNEL_DIED:
                self._crashed_on_load = True
            elif reply.code is not ErrorCode.KERNEL_SHUT_DOWN:
                self._show_error(f"Could not load the project: {reply.message}")
            self.load_finished.emit(False)
            self._continue_pending()
            return
        sent = self._in_flight or {}
        self.timings["load"] = time.perf_counter() - self.timings.get("load_started", 0.0)
        project = reply.result["project"]
        self.dataflows = [Dataflow.from_dict(d) for d in project["dataflows"]]
        self.problems = list(project["problems"])
        if self.dataflow is None:
            self.dataflow = project.get("dataflow")
        self.project_loaded.emit(project)
        stale = sent.get("dataflow") is not None and sent != self._load_params()
        if stale:
            self.load_finished.emit(False)
            self.reload()
            return
        self._apply_snapshot(GraphSnapshot.from_dict(reply.result["snapshot"]))
        self._continue_pending()

    def _continue_pending(self) -> None:
        if self._reload_pending:
            self.reload()

    def _apply_snapshot(self, snapshot: GraphSnapshot) -> None:
        self._crashed_on_load = False
        update = self.document.accept(snapshot)
        if update.outcome is Outcome.FAILED:
            self._error_banner = True
            self.banner.emit(load_failed(snapshot.errors, self.document.snapshot is not None))
            self.load_finished.emit(False)
            return
        self._clear_banner()
        first = update.outcome is Outcome.FIRST
        before = (set(self.collapsed), self.focus)
        self._update_collapsed(snapshot)
        if before != (self.collapsed, self.focus):
            self.display_changed.emit()
        self._accepted_first = self._accepted_first or first
        self._show_accepted_soon.start()  # a turn of its own: a big reply is a lot of work
        self.load_finished.emit(True)

    def _show_accepted(self) -> None:
        first, self._accepted_first = self._accepted_first, False
        snapshot = self.document.snapshot
        if snapshot is not None:
            self._show(snapshot, first)

    def _show_error(self, text: str, location: tuple[str, int] | None = None) -> None:
        """An error banner that the next good load clears."""
        self._error_banner = True
        self.banner.emit(Notice(NoticeKind.ERROR, text, location))

    def _clear_banner(self) -> None:
        if self._error_banner:
            self._error_banner = False
            self.banner_cleared.emit()

    # -- layout -------------------------------------------------------------

    def _request_layout(
        self,
        snapshot: GraphSnapshot,
        display: DisplayGraph,
        first: bool,
        anchor: str | None = None,
        key: tuple[object, ...] | None = None,
    ) -> None:
        self._pending_snapshot = snapshot
        self._pending_display = display
        self._pending_key = key if key is not None else drawing_key(display)
        self._pending_first = first or self._pending_first
        self._pending_anchor = anchor
        boxes = len(display.nodes) + len(display.modules)
        if boxes > 300:
            self.busy_changed.emit(True, f"Laying out {boxes:,} boxes…")
        self.timings["layout_started"] = time.perf_counter()
        self.layouts.request(self.scene.layout_request(display, self.direction), self.engine)

    def _on_layout(self, _ticket: int, result: LayoutResult) -> None:
        snapshot, display = self._pending_snapshot, self._pending_display
        if snapshot is None or display is None:
            return
        first, self._pending_first = self._pending_first, False
        self.busy_changed.emit(False, "")
        self.timings["layout"] = result.seconds
        self.timings["layout_engine"] = result.engine  # type: ignore[assignment]
        anchor = None if first else (self._pending_anchor or self.anchor())
        self._pending_anchor = None
        self.display = display
        self._drawn_key = self._pending_key
        self.scene.show_graph(
            snapshot, display, result, self.document.changed, anchor, animate=not first
        )
        self._mark_shown()
        self.graph_shown.emit(snapshot, first)

    def _on_layout_failed(self, _ticket: int, error: str) -> None:
        self.busy_changed.emit(False, "")
        last_line = error.strip().splitlines()[-1] if error.strip() else "unknown error"
        self._show_error(f"Laying out the graph failed: {last_line}")

    def _mark_shown(self) -> None:
        if self._change_started is not None:
            self.timings["save_to_canvas"] = time.perf_counter() - self._change_started
            self._change_started = None

    # -- files --------------------------------------------------------------

    def _on_files_changed(self, _paths: list[str]) -> None:
        if self._change_started is None:
            self._change_started = time.perf_counter()
        self._crashed_on_load = False
        self.reload()

    def _on_folder_missing(self, root: str) -> None:
        self._folder_missing = True
        self._show_error(
            f"The project folder {root} was deleted or moved. The last graph stays on "
            "screen; it reloads if the folder comes back, or open another folder."
        )

    def _on_folder_back(self, _root: str) -> None:
        self._folder_missing = False
        self._clear_banner()
        self.reload()
