"""Loads the graph in the kernel and puts what comes back into the workspace.

One load at a time: a reload asked for during a load follows it. The reply's
project goes to the project model and its snapshot to the graph model; nodes
unchanged since the last snapshot taken in come as their names alone (see
`protocol`: load, known). A big first load's code versions follow it in the
event `versions`. While the kernel starts, the graph as the source reads is
shown (see `source_preview`); Hamilton's takes its place when it comes. On a
relaunch, the graph the kernel built last (kept by `kept_graph` each time one
is drawn) is shown instead when nothing that decided it changed: the
kernel's replaces it as a reload would, marking what differs.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from studio.core.cache.kept_graph import GraphConditions, KeptGraph, keep_graph
from studio.core.discovery.project import Dataflow, Project
from studio.core.graph.snapshot import GraphSnapshot, NodeInfo
from studio.core.model import Workspace
from studio.core.protocol import ErrorCode
from studio.core.protocol.events import Versions
from studio.core.protocol.requests import LoadParams, LoadResult
from studio.ui.kernel.session import KernelSession, Reply
from studio.ui.project.source_preview import SourcePreview


class LoadClient(QObject):
    requested = Signal()
    """A load was sent to the current kernel: requests sent after it see its graph."""
    finished = Signal(bool)
    """A load reply was handled (True when it produced a graph)."""
    busy_changed = Signal(bool, str)
    error = Signal(str)
    """Loading failed: the text of an error notice."""
    succeeded = Signal()
    """A load produced a graph: an error notice shown before no longer holds."""
    graph_shown = Signal(object, bool)
    """Hamilton's graph is drawn: (snapshot, first drawing of this graph)."""
    preview_shown = Signal(object)
    """The source's graph, or the one kept from the last session, is drawn: (snapshot)."""

    def __init__(
        self,
        session: KernelSession,
        workspace: Workspace,
        reload: Callable[[], None],
        timings: dict[str, float],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.project = workspace.project
        self.graph = workspace.graph
        self._reload = reload
        """Loads again when the choices changed during a load (the coordinator's `reload`)."""
        self.timings = timings
        self.preview = SourcePreview(self)
        self.requested_on_kernel = False
        """A load went to the current kernel (runs wait for it otherwise)."""
        self.loading = False
        self.crashed_on_load = False
        """The kernel died during the last load: no reload until the code changes."""
        self._reload_pending = False
        self._in_flight: LoadParams | None = None
        self._received: tuple[str | None, dict[str, NodeInfo]] = (None, {})
        """The kernel's token for the last snapshot taken in, and its nodes (see
        `protocol`: load, known)."""
        self._versionless: GraphSnapshot | None = None
        """The graph on screen while its code versions are on their way (`versions`)."""
        self._preview: GraphSnapshot | None = None
        """The source's graph, or the one kept from the last session, while it is the one
        in the model (see `source_preview`)."""
        self._preview_drawn = False
        self._preview_kept = False
        """The graph in `_preview` is Hamilton's, kept from the last session."""
        self._kept: GraphSnapshot | None = None
        """The last graph of the kernel's given to `keep_graph` (a redraw keeps nothing)."""
        self.preview.kept.connect(self._on_kept)
        session.listen(self)

    def open(self) -> None:
        """Another folder: no preview, no crash remembered."""
        self.crashed_on_load = False
        self._preview, self._preview_drawn, self._preview_kept = None, False, False
        self._kept = None

    def read_preview(self) -> None:
        """A graph to show while the kernel starts: the one kept from the last session
        when the kernel runs in the studio's own Python, else the source's (on a thread)."""
        root = self.project.root
        if root is not None:
            own = self.project.interpreter is None
            self.preview.read(root, self.project.dataflow, self.project.overrides, own)

    @property
    def showing_preview(self) -> bool:
        """The graph on screen is the one read from the source or kept from the last
        session (no load has worked yet)."""
        return self._preview is not None and self.graph.snapshot is self._preview

    @property
    def showing_source(self) -> bool:
        """The graph on screen is the one read from the source."""
        return self.showing_preview and not self._preview_kept

    @property
    def showing_kept(self) -> bool:
        """The graph on screen is Hamilton's kept from the last session (the kernel's
        has not come yet)."""
        return self.showing_preview and self._preview_kept

    def take_preview(self, found: Project, snapshot: GraphSnapshot) -> None:
        """The source's graph, unless Hamilton's came first."""
        if self.graph.snapshot is not None or self.graph.errors:
            return
        flow = found.dataflow(self.project.dataflow)
        self.project.set_discovered(list(found.dataflows), flow.name, [])
        self._preview = snapshot
        self.graph.accept(snapshot)

    def _on_kept(self, root: Path, kept: KeptGraph) -> None:
        """Hamilton's graph from the last session, unless another folder opened, the
        folder is no longer trusted, or the kernel's graph came first."""
        if root != self.project.root or not self.project.trusted:
            return
        if self.graph.snapshot is not None or self.graph.errors:
            return
        flows = [Dataflow.from_dict(d) for d in kept.dataflows]
        self.project.set_discovered(flows, kept.snapshot.dataflow, kept.problems)
        self._preview, self._preview_kept = kept.snapshot, True
        self.graph.accept(kept.snapshot)

    def load(self) -> None:
        """Send a load (or have one follow the load going on)."""
        if self.loading:
            self._reload_pending = True
            return
        self.loading = True
        self._reload_pending = False
        self._in_flight = self._params()
        self.busy_changed.emit(True, "Loading the graph…")
        self.timings["load_started"] = time.perf_counter()
        self.session.request(replace(self._in_flight, known=self._received[0]), self._on_reply)
        self.requested_on_kernel = True
        self.requested.emit()

    def _params(self) -> LoadParams:
        return LoadParams(
            root=str(self.project.root),
            dataflow=self.project.dataflow,
            config=self.project.overrides,
            cache_dir=str(self.project.cache_dir) if self.project.cache_dir else None,
        )

    def drawn(self, snapshot: GraphSnapshot, first: bool) -> None:
        """`graph_shown` for Hamilton's graphs; the first after a preview counts as first."""
        if snapshot is self._preview:
            self._preview_drawn = True
            self.timings["preview"] = time.perf_counter() - self.timings.get("opened", 0.0)
            self.preview_shown.emit(snapshot)
            return
        first, self._preview_drawn = first or self._preview_drawn, False
        self.graph_shown.emit(snapshot, first)
        self._keep(snapshot)

    def _keep(self, snapshot: GraphSnapshot) -> None:
        """Keep a good graph the kernel built for the next launch (on a thread): not one
        a newer load is already replacing, nor one whose choices changed since."""
        info, root = self.session.info, self.project.root
        if (
            snapshot is self._kept
            or not snapshot.ok
            or info is None
            or root is None
            or self.loading
            or self._reload_pending
            or snapshot.dataflow != self.project.dataflow
            or info.executable != sys.executable  # read only for the studio's own Python
        ):
            return
        self._kept = snapshot
        conditions = GraphConditions(
            snapshot.dataflow, self.project.overrides, info.hamilton, info.executable
        )
        flows = [flow.to_dict() for flow in self.project.dataflows]
        problems = list(self.project.problems)
        threading.Thread(
            target=keep_graph,
            args=(root, conditions, snapshot, flows, problems),
            name="studio-keep-graph",
            daemon=True,
        ).start()

    def _on_reply(self, reply: Reply) -> None:
        self.loading = False
        self.busy_changed.emit(False, "")
        if not reply.ok:
            if reply.code is ErrorCode.KERNEL_DIED:
                self.crashed_on_load = True
            elif reply.code is not ErrorCode.KERNEL_SHUT_DOWN:
                self.error.emit(f"Could not load the project: {reply.message}")
            self.finished.emit(False)
            self._continue_pending()
            return
        result: LoadResult = reply.result
        sent = self._in_flight
        self.timings["load"] = time.perf_counter() - self.timings.get("load_started", 0.0)
        self.project.set_discovered(
            [Dataflow.from_dict(d) for d in result.project.dataflows],
            result.project.dataflow,
            list(result.project.problems),
        )
        if sent is not None and sent.dataflow is not None and sent != self._params():
            self.finished.emit(False)  # the choice changed meanwhile: load again
            self._reload()
            return
        self.crashed_on_load = False
        try:
            snapshot = GraphSnapshot.from_dict(result.snapshot, self._received[1])
        except KeyError:  # names a node this window never took in: ask for all of them
            self._received = (None, {})
            self.finished.emit(False)
            self._reload()
            return
        self._received = (result.token, {n.name: n for n in snapshot.nodes})
        self._versionless = snapshot if result.versions_follow else None
        if snapshot.ok:
            self.succeeded.emit()
        if self._preview is not None:
            # A failed load leaves the source's graph (or the kept one) on screen under
            # its error (the canvas went blank); a good one replaces it, nothing marked
            # changed, but for the kept graph: Hamilton's own, marked where it differs.
            kept = self._preview_kept
            if snapshot.ok:
                self._preview, self._preview_kept = None, False
            self.graph.accept(snapshot, marks=kept)
        else:
            self.graph.accept(snapshot)
        self.finished.emit(snapshot.ok)
        self._continue_pending()

    def _on_versions(self, event: Versions) -> None:
        token, _ = self._received
        snapshot, self._versionless = self._versionless, None
        if event.token != token or snapshot is None or snapshot is not self.graph.snapshot:
            self._received = (None, {})  # the next load sends every node again
            return
        completed = self.graph.take_versions(event.versions)
        if completed is not None:
            self._received = (token, {n.name: n for n in completed.nodes})

    def _continue_pending(self) -> None:
        if self._reload_pending:
            self._reload()
