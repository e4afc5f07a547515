"""From the project's choices to a graph on the canvas: load in the kernel, then lay out.

The controller coordinates: the load client (`load_client`) asks the
kernel's agent to load the chosen dataflow and puts the reply into the
workspace (the project model learns the dataflows, the graph model takes
the snapshot); the draw scheduler (`draw_scheduler`) lays the graph model's
display out and has the scene draw it. The controller follows the user's
choices, the folder's files and the kernel's life, and says what went wrong.
It keeps no graph of its own: the load client keeps only its marks on the
graph model's snapshot (the source's graph, versions on their way, the
kernel's token the next reply is relative to).

    save -> watcher -> reload() -> kernel `load` -> graph.accept(snapshot)
         -> graph.display_changed -> (next turn) layout -> scene.show_graph
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from studio.core.discovery.project import Project
from studio.core.graph.snapshot import GraphSnapshot, LoadError
from studio.core.layout import Direction
from studio.core.model import Workspace
from studio.core.notices import Notice, NoticeKind, files_skipped, load_failed, skipped_files
from studio.core.protocol.requests import HelloResult
from studio.ui.canvas.layout_runner import LayoutRunner
from studio.ui.canvas.scene import GraphScene
from studio.ui.kernel.session import KernelSession, KernelState
from studio.ui.project.draw_scheduler import DrawScheduler
from studio.ui.project.file_watcher import FolderWatcher
from studio.ui.project.load_client import LoadClient
from studio.ui.project.source_preview import SourcePreview
from studio.ui.project.source_reader import SourceReader, SourceReading


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
        self.timings: dict[str, float] = {}
        self.watcher = FolderWatcher(self)
        self.loads = LoadClient(session, workspace, self.reload, self.timings, self)
        self.source = SourceReader(self)
        self.source.read_done.connect(self._on_source_read)
        self.drawing = DrawScheduler(self.graph, scene, anchor, self.timings, frame, self)
        self._folder_missing = False
        self._error_shown = False
        self._skipped: tuple[str, ...] = ()  # the files the last good load left out
        self._skipped_said = False
        self.loads.preview.ready.connect(self._on_preview)
        self.loads.requested.connect(self.load_requested)
        self.loads.finished.connect(self.load_finished)
        self.loads.busy_changed.connect(self.busy_changed)
        self.loads.error.connect(self._show_error)
        self.loads.succeeded.connect(self._on_load_succeeded)
        self.loads.graph_shown.connect(self.graph_shown)
        self.loads.preview_shown.connect(self.preview_shown)
        self.drawing.drawn.connect(self.loads.drawn)
        self.drawing.busy_changed.connect(self.busy_changed)
        self.drawing.failed.connect(self._show_error)
        self.graph.load_failed.connect(self._on_load_failed)
        session.state_changed.connect(self._on_kernel_state)
        session.ready.connect(self._on_kernel_ready)
        session.died.connect(self._on_kernel_died)
        session.start_failed.connect(self._on_start_failed)
        self.watcher.changed.connect(self._on_files_changed)
        self.watcher.folder_missing.connect(self._on_folder_missing)
        self.watcher.folder_back.connect(self._on_folder_back)
        self.watcher.watch_failed.connect(
            lambda why: self.notice.emit(
                Notice(
                    NoticeKind.INFO,
                    f"The folder cannot be watched ({why}): saves do not reload the graph. "
                    "Reload it with F5.",
                )
            )
        )

    @property
    def layouts(self) -> LayoutRunner:
        return self.drawing.layouts

    @property
    def preview(self) -> SourcePreview:
        return self.loads.preview

    @property
    def load_requested_on_kernel(self) -> bool:
        """A load went to the current kernel (a run sent before would find no graph)."""
        return self.loads.requested_on_kernel

    # -- the user's choices ---------------------------------------------------------

    def open_project(
        self, root: Path, state: dict[str, Any] | None = None, trusted: bool = True
    ) -> None:
        """Another folder: the workspace forgets the last one, a kernel starts in this one
        (when the folder is trusted; otherwise its graph is read from the source alone)."""
        self.workspace.open(root.resolve(), state or {}, trusted)
        self._folder_missing = False
        self.loads.open()
        self.drawing.forget()
        self._clear_error()
        self._skipped, self._skipped_said = (), False
        self.watcher.watch(self.project.root)
        self.timings["opened"] = time.perf_counter()
        if trusted:
            self.session.start(self.project.root)
            self.loads.read_preview()
        else:
            self.session.shutdown()
            self.reload()

    def _on_preview(self, root: Path, found: Project, snapshot: GraphSnapshot) -> None:
        """The source's graph, unless another folder opened (or it may not run its code)."""
        if root != self.project.root or not self.project.trusted:
            return
        self.loads.take_preview(found, snapshot)

    def _load_static(self) -> None:
        """The graph as the source reads, nothing run (an untrusted folder): read on a
        thread, shown in `_on_source_read`."""
        assert self.project.root is not None
        self.source.read(self.project.root, self.project.dataflow)

    def _on_source_read(self, reading: SourceReading) -> None:
        if reading.root != self.project.root or self.project.trusted:
            return
        if reading.project is None or reading.flow is None or reading.snapshot is None:
            self._show_error(f"Could not read the project: {reading.error}")
            self.load_finished.emit(False)
            return
        self.project.set_discovered(
            list(reading.project.dataflows),
            reading.flow.name,
            [str(p) for p in reading.project.problems],
        )
        self.graph.accept(reading.snapshot)
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
        self.loads.load()

    def shutdown(self) -> None:
        self.watcher.stop()
        self.drawing.shutdown()
        self.loads.shutdown()

    # -- the kernel -------------------------------------------------------------------

    def _on_kernel_state(self, state: KernelState) -> None:
        if state in (KernelState.STARTING, KernelState.DEAD, KernelState.STOPPED):
            self.loads.requested_on_kernel = False

    def _on_kernel_ready(self, _info: HelloResult) -> None:
        self.loads.loading = False
        if not self.loads.crashed_on_load:
            self.reload()

    def _on_kernel_died(self, reason: str) -> None:
        if self.loads.crashed_on_load:
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

    def _on_start_failed(self, reason: str) -> None:
        self.loads.loading = False
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

    def _on_load_failed(self, errors: tuple[LoadError, ...], graph_kept: bool) -> None:
        self._error_shown = True
        self.notice.emit(load_failed(errors, graph_kept, from_source=self.loads.showing_source))

    # -- notices ------------------------------------------------------------------------

    def _show_error(self, text: str) -> None:
        """An error notice that the next good load clears."""
        self._error_shown = True
        self.notice.emit(Notice(NoticeKind.ERROR, text))

    def _on_load_succeeded(self) -> None:
        """A good load clears the error; the files it left out are said, once: again
        only when they change (not on every save, nor after the user closed it)."""
        problems = skipped_files(self.project.problems)
        if problems == self._skipped and not self._error_shown:
            return
        self._skipped = problems
        if self._error_shown or self._skipped_said:
            self._error_shown = self._skipped_said = False
            self.notice_cleared.emit()
        if problems:
            self._skipped_said = True
            self.notice.emit(files_skipped(problems))

    def _clear_error(self) -> None:
        if self._error_shown:
            self._error_shown = False
            self.notice_cleared.emit()

    # -- files ----------------------------------------------------------------------

    def _on_files_changed(self, _paths: list[str]) -> None:
        root = self.project.root
        if root is not None and not root.is_dir():  # deleted: its files' events came first
            self.watcher.check_exists()
            return
        self.drawing.change_started()
        self.loads.crashed_on_load = False
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
        stopped = self.session.state in (KernelState.STOPPED, KernelState.DEAD)
        if stopped and self.root and self.project.trusted:  # never in an untrusted folder
            self.session.start(self.root)  # its `ready` reloads the graph
            return
        self.reload()
