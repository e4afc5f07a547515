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

A good reply's snapshot is decoded and worked out (`graph_preparation`) on
a worker thread, which at 20,000 nodes would hold the window a quarter to
half a second; the graph model takes the result in one short turn. The
load counts as going on until then. A result that comes back after
another folder opened or a newer load went out is dropped; one the model
moved on from meanwhile (a module collapsed, say) it works out again.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from studio.core.cache.kept_graph import GraphConditions, KeptGraph, keep_graph
from studio.core.discovery.project import Dataflow, Project
from studio.core.graph.display_graph import drawing_key
from studio.core.graph.snapshot import GraphSnapshot, NodeInfo
from studio.core.model import Workspace
from studio.core.model.graph_preparation import ModelState, PreparedGraph, prepare_graph
from studio.core.protocol import ErrorCode
from studio.core.protocol.events import Versions
from studio.core.protocol.requests import LoadParams, LoadResult
from studio.ui.kernel.session import KernelSession, Reply
from studio.ui.project.source_preview import SourcePreview

_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="studio-load-reply")
"""Decodes and works out load replies, one at a time, for every window."""


@dataclass(frozen=True, slots=True)
class _Decoded:
    """A reply's snapshot as the worker made it (`snapshot` None: it named a node
    this window never took in)."""

    result: LoadResult
    snapshot: GraphSnapshot | None = None
    received: dict[str, NodeInfo] | None = None
    prepared: PreparedGraph | None = None


def _decode(
    result: LoadResult, known: Mapping[str, NodeInfo], state: ModelState, marks: bool
) -> _Decoded:
    """Worker thread: the snapshot, its nodes by name, and the graph model's work on it."""
    try:
        snapshot = GraphSnapshot.from_dict(result.snapshot, known)
    except KeyError:
        return _Decoded(result)
    prepared = None
    if snapshot.ok:
        try:
            prepared = prepare_graph(state, snapshot, marks)
            drawing_key(prepared.display)  # the drawing compares it with the one on screen
        except Exception:  # the GUI works it out again (`_take`): an error shows there, as before
            prepared = None
    return _Decoded(result, snapshot, {n.name: n for n in snapshot.nodes}, prepared)


KEEP_AFTER_MS = 2000
"""A drawn graph is kept for the next launch once no newer one came for this long."""


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
    _decoded = Signal(int, object)
    """(ticket, Future of `_Decoded`): from the worker thread."""
    _kept_prepared = Signal(object, object, object)
    """(root, KeptGraph, Future of its PreparedGraph): from the worker thread."""

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
        self._ticket = 0
        """Counts loads sent and folders opened: a worked-out reply of an older one is
        dropped."""
        self._decoding = False
        """A reply is being worked out on the worker thread."""
        self._early_versions: Versions | None = None
        """The versions that came while their snapshot was being worked out."""
        self._decoded.connect(self._on_decoded)
        _WORKER.submit(int)  # its thread starts now, not in the turn of a big reply
        self._preview_kept = False
        """The graph in `_preview` is Hamilton's, kept from the last session."""
        self._kept: GraphSnapshot | None = None
        """The last graph of the kernel's given to `keep_graph` (a redraw keeps nothing)."""
        self.preview.kept.connect(self._on_kept)
        self._kept_prepared.connect(self._take_kept)
        self._keeping: tuple[Any, ...] | None = None
        """What `_keep` will write when the graph has held still for `KEEP_AFTER_MS`."""
        self._keep_timer = QTimer(self, singleShot=True, interval=KEEP_AFTER_MS)
        self._keep_timer.timeout.connect(self._write_kept)
        session.listen(self)

    def open(self) -> None:
        """Another folder: no preview, no crash remembered, no helper reading the last."""
        self.preview.prefetcher.stop()
        self.crashed_on_load = False
        self._preview, self._preview_drawn, self._preview_kept = None, False, False
        self._kept = None
        self._write_kept()  # the last folder's graph, if it was still to be kept
        self._ticket += 1
        self._early_versions = None
        if self._decoding:  # the last folder's reply: no load of this one is under way
            self._decoding = False
            self.loading = False
            self.busy_changed.emit(False, "")

    def read_preview(self) -> None:
        """A graph to show while the kernel starts: the one kept from the last session
        when the kernel runs in the studio's own Python, else the source's (on a thread)."""
        root = self.project.root
        if root is not None:
            own = self.project.interpreter is None
            self.preview.prefetcher.expect(root if own else None)
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

    def _kept_wanted(self, root: Path) -> bool:
        """Hamilton's graph from the last session is shown unless another folder opened,
        the folder is no longer trusted, or the kernel's graph came first."""
        if root != self.project.root or not self.project.trusted:
            return False
        return self.graph.snapshot is None and not self.graph.errors

    def _on_kept(self, root: Path, kept: KeptGraph) -> None:
        """Worked out on the load worker, as the kernel's graph is (at 20,000 nodes 170 ms
        of the GUI thread, while the kernel's reply was on its way)."""
        if not self._kept_wanted(root):
            return
        future = _WORKER.submit(self.graph.prepare(kept.snapshot))
        future.add_done_callback(lambda done: self._hand_over_kept(root, kept, done))

    def _hand_over_kept(self, root: Path, kept: KeptGraph, future: Future[PreparedGraph]) -> None:
        """Worker thread: to the GUI thread (a closed window no longer listens)."""
        with contextlib.suppress(RuntimeError):
            self._kept_prepared.emit(root, kept, future)

    def _take_kept(self, root: Path, kept: KeptGraph, future: Future[PreparedGraph]) -> None:
        if not self._kept_wanted(root):
            return
        flows = [Dataflow.from_dict(d) for d in kept.dataflows]
        self.project.set_discovered(flows, kept.snapshot.dataflow, kept.problems)
        self._preview, self._preview_kept = kept.snapshot, True
        self.graph.take(future.result())

    def load(self) -> None:
        """Send a load (or have one follow the load going on)."""
        if self.loading:
            self._reload_pending = True
            return
        self.loading = True
        self._reload_pending = False
        self._in_flight = self._params()
        self._ticket += 1
        self._decoding, self._early_versions = False, None
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
        self._keeping = (root, conditions, snapshot, flows, problems)
        self._keep_timer.start()

    def _write_kept(self, wait: bool = False) -> None:
        """Write the graph waiting to be kept, on a thread (or here, with `wait`): once
        saves stop coming, not for each (at 20,000 nodes the writing competes with the
        window for the interpreter for a few hundred milliseconds)."""
        self._keep_timer.stop()
        if not wait and (self.loading or self._reload_pending):
            if self._keeping is not None:  # the files may be changing: wait for that load
                self._keep_timer.start()
            return
        keeping, self._keeping = self._keeping, None
        if keeping is None:
            return
        if wait:
            keep_graph(*keeping)
            return
        threading.Thread(
            target=keep_graph,
            args=keeping,
            kwargs={"paced": True},
            name="studio-keep-graph",
            daemon=True,
        ).start()

    def shutdown(self) -> None:
        """The window closes: the graph still waiting to be kept is written now, and a
        helper still reading the folder ends."""
        self.preview.prefetcher.stop()
        self._write_kept(wait=True)

    def _on_reply(self, reply: Reply) -> None:
        if not reply.ok:
            self._done()
            if reply.code is ErrorCode.KERNEL_DIED:
                self.crashed_on_load = True
            elif reply.code is not ErrorCode.KERNEL_SHUT_DOWN:
                self.error.emit(f"Could not load the project: {reply.message}")
            self.finished.emit(False)
            self._continue_pending()
            return
        result: LoadResult = reply.result
        self.timings["load"] = time.perf_counter() - self.timings.get("load_started", 0.0)
        self.preview.prefetcher.stop()  # a helper still reading the folder is of no more use
        self.project.set_discovered(
            [Dataflow.from_dict(d) for d in result.project.dataflows],
            result.project.dataflow,
            list(result.project.problems),
        )
        if self._choice_changed():
            return
        self.crashed_on_load = False
        self._decoding = True
        ticket = self._ticket
        state = self.graph.state()
        future = _WORKER.submit(
            _decode, result, self._received[1], state, self._preview is None or self._preview_kept
        )
        future.add_done_callback(lambda done: self._hand_over(ticket, done))

    def _hand_over(self, ticket: int, future: Future[_Decoded]) -> None:
        """Worker thread: to the GUI thread (a closed window no longer listens)."""
        with contextlib.suppress(RuntimeError):
            self._decoded.emit(ticket, future)

    def _on_decoded(self, ticket: int, future: Future[_Decoded]) -> None:
        if ticket != self._ticket or not self._decoding:
            return  # another folder, or a newer load: this graph is not wanted
        self._decoding = False
        try:
            decoded = future.result()
        except Exception:  # a reply that does not decode: as bad as on the GUI thread
            self._done()
            raise
        early, self._early_versions = self._early_versions, None
        if self._choice_changed():
            return
        snapshot = decoded.snapshot
        if snapshot is None:  # names a node this window never took in: ask for all of them
            self._done()
            self._received = (None, {})
            self.finished.emit(False)
            self._reload()
            return
        self._done()
        self._received = (decoded.result.token, decoded.received or {})
        self._versionless = snapshot if decoded.result.versions_follow else None
        if snapshot.ok:
            self.succeeded.emit()
        if self._preview is not None:
            # A failed load leaves the source's graph (or the kept one) on screen under
            # its error (the canvas went blank); a good one replaces it, nothing marked
            # changed, but for the kept graph: Hamilton's own, marked where it differs.
            kept = self._preview_kept
            if snapshot.ok:
                self._preview, self._preview_kept = None, False
            self._take(snapshot, decoded.prepared, marks=kept)
        else:
            self._take(snapshot, decoded.prepared, marks=True)
        self.finished.emit(snapshot.ok)
        if early is not None:
            self._on_versions(early)
        self._continue_pending()

    def _take(self, snapshot: GraphSnapshot, prepared: PreparedGraph | None, marks: bool) -> None:
        if prepared is not None and prepared.marks == marks:
            self.graph.take(prepared)
        else:
            self.graph.accept(snapshot, marks)

    def _choice_changed(self) -> bool:
        """The folder's dataflow or config changed since the load was sent: load again."""
        sent = self._in_flight
        if sent is not None and sent.dataflow is not None and sent != self._params():
            self._done()
            self.finished.emit(False)
            self._reload()
            return True
        return False

    def _done(self) -> None:
        """The load is over (its reply taken in, or not wanted)."""
        self._decoding = False
        self.loading = False
        self.busy_changed.emit(False, "")

    def _on_versions(self, event: Versions) -> None:
        if self._decoding:  # for the snapshot being worked out: after it
            self._early_versions = event
            return
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
