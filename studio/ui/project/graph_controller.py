"""From the project's choices to a graph on the canvas: load in the kernel, then lay out.

The controller asks the kernel's agent to load the chosen dataflow (one
load at a time; saves during a load make one more load follow it), puts
the reply into the workspace (the project model learns the dataflows, the
graph model takes the snapshot) and, when the graph model says the
display changed, lays it out on a worker thread and has the scene draw
it. The graph lives in the graph model; the controller keeps only marks on
the model's snapshot for its loads (`_preview`: it is the source's graph;
`_versionless`: its code versions are on their way; `_received`: the
kernel's token and nodes the next reply is relative to).

    save -> watcher -> reload() -> kernel `load` -> graph.accept(snapshot)
         -> graph.display_changed -> (next turn) layout -> scene.show_graph
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from studio.core import protocol
from studio.core.discovery.discover import ProjectFolderError, discover
from studio.core.discovery.project import Dataflow, Project
from studio.core.discovery.static_graph import static_snapshot
from studio.core.graph.display_graph import DisplayGraph, drawing_key
from studio.core.graph.snapshot import GraphSnapshot, LoadError, NodeInfo
from studio.core.layout import DOT_NODE_LIMIT, Direction, LayoutResult
from studio.core.model import Workspace
from studio.core.model.graph_model import DisplayChange, DisplayUpdate
from studio.core.notices import Notice, NoticeKind, load_failed
from studio.core.protocol import ErrorCode
from studio.ui.canvas.layout_runner import LayoutRunner
from studio.ui.canvas.scene import GraphScene
from studio.ui.kernel.session import KernelSession, KernelState, Reply
from studio.ui.project.file_watcher import FolderWatcher
from studio.ui.project.source_preview import SourcePreview

_BUSY_LAYOUT_ABOVE = 300
_LAYOUT_NOTE_AFTER_MS = 300
"""A layout is announced in the status bar only once it has taken this long."""
"""Boxes above which the status bar says a layout is being made."""


@dataclass(frozen=True, slots=True)
class _LayoutJob:
    display: DisplayGraph
    first: bool
    anchor: str | None


class GraphController(QObject):
    graph_shown = Signal(object, bool)
    """The canvas shows a new snapshot: (snapshot, first drawing of this graph)."""
    notice = Signal(object)
    """A `Notice` for the message bar."""
    notice_cleared = Signal()
    """The cause of the last error notice is gone (a good load)."""
    busy_changed = Signal(bool, str)
    """Loading or laying out: (busy, what)."""
    preview_shown = Signal(object)
    """(snapshot): the graph as the source reads is drawn, while Hamilton's is built."""
    load_finished = Signal(bool)
    """A load reply was handled (True when it produced a graph)."""
    load_requested = Signal()
    """A load was sent to the current kernel: requests sent after it see its graph."""

    def __init__(
        self,
        session: KernelSession,
        workspace: Workspace,
        scene: GraphScene,
        anchor: Callable[[], str | None],
        parent: QObject | None = None,
        frame: Callable[[], tuple[float, float]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.workspace = workspace
        self.project = workspace.project
        self.graph = workspace.graph
        self.scene = scene
        self.anchor = anchor
        self.frame = frame
        """The free area of the view a first drawing is fitted into (AUTO direction)."""
        self.watcher = FolderWatcher(self)
        self.layouts = LayoutRunner(self)
        self.preview = SourcePreview(self)
        self.preview.ready.connect(self._on_preview)
        self._preview: GraphSnapshot | None = None
        """The source's graph while it is the one in the model (see `source_preview`)."""
        self._preview_drawn = False
        self.timings: dict[str, float] = {}
        self.load_requested_on_kernel = False
        self._loading = False
        self._reload_pending = False
        self._in_flight: dict[str, Any] | None = None
        self._received: tuple[str | None, dict[str, NodeInfo]] = (None, {})
        """The kernel's token for the last snapshot taken in, and its nodes (see
        `protocol`: load, known)."""
        self._versionless: GraphSnapshot | None = None
        """The graph on screen while its code versions are on their way (`versions`)."""
        self._crashed_on_load = False
        self._folder_missing = False
        self._error_shown = False
        self._change_started: float | None = None
        self._job: _LayoutJob | None = None
        """The drawing being laid out (the runner delivers only the newest)."""
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
        self.graph.display_changed.connect(self._on_display_changed)
        self.graph.load_failed.connect(self._on_load_failed)
        session.state_changed.connect(self._on_kernel_state)
        session.ready.connect(self._on_kernel_ready)
        session.died.connect(self._on_kernel_died)
        session.start_failed.connect(self._on_start_failed)
        session.event_received.connect(self._on_event)
        self.watcher.changed.connect(self._on_files_changed)
        self.watcher.folder_missing.connect(self._on_folder_missing)
        self.watcher.folder_back.connect(self._on_folder_back)
        self.layouts.finished.connect(self._on_layout)
        self.layouts.failed.connect(self._on_layout_failed)

    # -- the user's choices ---------------------------------------------------------

    def open_project(
        self, root: Path, state: dict[str, Any] | None = None, trusted: bool = True
    ) -> None:
        """Another folder: the workspace forgets the last one, a kernel starts in this one
        (when the folder is trusted; otherwise its graph is read from the source alone)."""
        self.workspace.open(root.resolve(), state or {}, trusted)
        self._folder_missing = False
        self._crashed_on_load = False
        self._update = None
        self._clear_error()
        self.watcher.watch(self.project.root)
        self._preview, self._preview_drawn = None, False
        self.timings["opened"] = time.perf_counter()
        if trusted:
            self.session.start(self.project.root)
            self.preview.read(self.project.root, self.project.dataflow)
        else:
            self.session.shutdown()
            self.reload()

    def _on_preview(self, root: Path, found: Project, snapshot: GraphSnapshot) -> None:
        """The source's graph, unless Hamilton's came first or another folder opened."""
        if root != self.project.root or not self.project.trusted or self.graph.snapshot is not None:
            return
        if self.graph.errors:
            return
        flow = found.dataflow(self.project.dataflow)
        self.project.set_discovered(list(found.dataflows), flow.name, [])
        self._preview = snapshot
        self.graph.accept(snapshot)

    def _load_static(self) -> None:
        """The graph as the source reads, nothing run (an untrusted folder)."""
        root = self.project.root
        assert root is not None
        try:
            found = discover(root)
            flow = found.dataflow(self.project.dataflow)
        except (ProjectFolderError, LookupError) as error:
            self._show_error(f"Could not read the project: {str(error).strip(chr(39))}")
            self.load_finished.emit(False)
            return
        self.project.set_discovered(
            list(found.dataflows), flow.name, [str(p) for p in found.problems]
        )
        self.graph.accept(static_snapshot(found, flow))
        self.load_finished.emit(True)

    def choose_dataflow(self, name: str) -> None:
        if self.project.choose(name):
            self.graph.clear()
            self.reload()

    def set_config_overrides(self, overrides: dict[str, Any]) -> None:
        self.project.set_overrides(overrides)
        self.graph.clear()
        self.reload()

    def set_direction(self, direction: Direction) -> None:
        self.graph.set_direction(direction)

    def set_engine(self, engine: str) -> None:
        self.graph.set_engine(engine)

    @property
    def root(self) -> Path | None:
        return self.project.root

    def reload(self) -> None:
        """Load the graph again (after a save, a new choice, a restart)."""
        if self.project.root is None or self._folder_missing:
            return
        if not self.project.trusted:
            self._load_static()
            return
        if self._loading:
            self._reload_pending = True
            return
        self._loading = True
        self._reload_pending = False
        self._in_flight = self._load_params()
        self.busy_changed.emit(True, "Loading the graph…")
        self.timings["load_started"] = time.perf_counter()
        params = {**self._in_flight, "known": self._received[0]}
        self.session.request(protocol.Method.LOAD, params, self._on_load_reply)
        self.load_requested_on_kernel = True
        self.load_requested.emit()

    def _load_params(self) -> dict[str, Any]:
        return {
            "root": str(self.project.root),
            "dataflow": self.project.dataflow,
            "config": self.project.overrides,
            "cache_dir": str(self.project.cache_dir) if self.project.cache_dir else None,
        }

    def shutdown(self) -> None:
        self.watcher.stop()
        self.layouts.shutdown()

    # -- the kernel -------------------------------------------------------------------

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
        elif self.project.root is not None and not self.project.root.is_dir():
            pass  # no kernel can start there: `_on_start_failed` says so
        elif not self.session.requests_lost_at_death:  # otherwise their callers report it
            self.notice.emit(
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
        self.project.set_discovered(
            [Dataflow.from_dict(d) for d in project["dataflows"]],
            project.get("dataflow"),
            list(project["problems"]),
        )
        if sent.get("dataflow") is not None and sent != self._load_params():
            self.load_finished.emit(False)  # the choice changed meanwhile: load again
            self.reload()
            return
        self._crashed_on_load = False
        try:
            snapshot = GraphSnapshot.from_dict(reply.result["snapshot"], self._received[1])
        except KeyError:  # names a node this window never took in: ask for all of them
            self._received = (None, {})
            self.load_finished.emit(False)
            self.reload()
            return
        self._received = (reply.result.get("token"), {n.name: n for n in snapshot.nodes})
        self._versionless = snapshot if reply.result.get("versions_follow") else None
        if snapshot.ok:
            self._clear_error()
        if self._preview is not None:
            self._preview = None
            if not snapshot.ok:
                self.graph.clear()  # the source's graph was never one Hamilton built
            self.graph.accept(snapshot, marks=False)
        else:
            self.graph.accept(snapshot)
        self.load_finished.emit(snapshot.ok)
        self._continue_pending()

    def _on_event(self, name: str, data: dict[str, Any]) -> None:
        if name != protocol.EventName.VERSIONS:
            return
        token, _ = self._received
        snapshot, self._versionless = self._versionless, None
        if data.get("token") != token or snapshot is None or snapshot is not self.graph.snapshot:
            self._received = (None, {})  # the next load sends every node again
            return
        completed = self.graph.take_versions(data.get("versions") or {})
        if completed is not None:
            self._received = (token, {n.name: n for n in completed.nodes})

    def _continue_pending(self) -> None:
        if self._reload_pending:
            self.reload()

    def _on_load_failed(self, errors: tuple[LoadError, ...], graph_kept: bool) -> None:
        self._error_shown = True
        self.notice.emit(load_failed(errors, graph_kept))

    # -- drawing ------------------------------------------------------------------------

    def _on_display_changed(self, update: DisplayUpdate) -> None:
        """Drawn in a turn of its own: taking a big reply in is a lot of work already."""
        pending = self._update
        if pending is not None and pending.change in (DisplayChange.FIRST, DisplayChange.RELAYOUT):
            update = DisplayUpdate(pending.change, update.anchor or pending.anchor)
        self._update = update
        self._draw_soon.start()

    def _draw(self) -> None:
        update, self._update = self._update, None
        display, snapshot = self.graph.display, self.graph.snapshot
        if update is None or display is None or snapshot is None:
            return
        first = update.change in (DisplayChange.FIRST, DisplayChange.RELAYOUT)
        drawn = self.scene.drawn
        if not first and drawn is not None and drawing_key(display) == drawing_key(drawn):
            self.scene.update_details(display)
            self._mark_shown()
            self._shown(snapshot, False)
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
        request = self.scene.sizes.layout_request(display, direction, frame, nest)
        # Before the request: a layout found in the cache can be delivered at once.
        self._job = _LayoutJob(display, first, update.anchor)
        self.layouts.request(request, self.graph.engine)

    def _on_layout(self, _ticket: int, result: LayoutResult) -> None:
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
        self._shown(snapshot, job.first)

    def _shown(self, snapshot: GraphSnapshot, first: bool) -> None:
        """`graph_shown` for Hamilton's graphs; the first after a preview counts as first."""
        if snapshot is self._preview:
            self._preview_drawn = True
            self.timings["preview"] = time.perf_counter() - self.timings.get("opened", 0.0)
            self.preview_shown.emit(snapshot)
            return
        first, self._preview_drawn = first or self._preview_drawn, False
        self.graph_shown.emit(snapshot, first)

    def _on_layout_failed(self, _ticket: int, error: str) -> None:
        self._job = None
        self._end_layout_note()
        last_line = error.strip().splitlines()[-1] if error.strip() else "unknown error"
        self._show_error(f"Laying out the graph failed: {last_line}")

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

    # -- notices ------------------------------------------------------------------------

    def _show_error(self, text: str) -> None:
        """An error notice that the next good load clears."""
        self._error_shown = True
        self.notice.emit(Notice(NoticeKind.ERROR, text))

    def _clear_error(self) -> None:
        if self._error_shown:
            self._error_shown = False
            self.notice_cleared.emit()

    # -- files ----------------------------------------------------------------------

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
        self._clear_error()
        if self.session.state in (KernelState.STOPPED, KernelState.DEAD) and self.root:
            self.session.start(self.root)  # its `ready` reloads the graph
            return
        self.reload()

    def _on_start_failed(self, reason: str) -> None:
        self._loading = False
        self.busy_changed.emit(False, "")
        root = self.project.root
        if root is not None and not root.is_dir():
            self._folder_missing = True
            self._show_error(
                f"No kernel is running: the project folder {root} was deleted or moved. "
                "It starts by itself when the folder is back; or open another folder."
            )
            return
        self._show_error(f"No kernel is running: {reason}. Kernel ▸ Restart Kernel tries again.")
