"""The status bar: the kernel's state, the graph's size, load and layout times, progress."""

from __future__ import annotations

from operator import attrgetter, countOf

from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar

from studio.core.discovery.static_graph import describe_static, is_static
from studio.core.graph.snapshot import GraphSnapshot
from studio.core.model import Workspace
from studio.core.protocol import RunStatus
from studio.core.runs.run_records import RunRecord
from studio.ui.kernel.session import KernelSession, KernelState
from studio.ui.project.graph_controller import GraphController
from studio.ui.runs.run_controller import RunController

_STATE_COLOURS = {
    KernelState.STOPPED: "#8a94a3",
    KernelState.STARTING: "#d9a21b",
    KernelState.IDLE: "#2fa84f",
    KernelState.BUSY: "#2f6fdf",
    KernelState.DEAD: "#d62d2d",
}


class StudioStatusBar:
    """Fills a window's status bar and keeps it in step with the session and the models."""

    def __init__(
        self,
        bar: QStatusBar,
        session: KernelSession,
        workspace: Workspace,
        controller: GraphController,
        runs: RunController,
    ) -> None:
        self.bar = bar
        self.session = session
        self.workspace = workspace
        self.controller = controller
        self._counted: tuple[GraphSnapshot, tuple[int, int, int, str]] | None = None
        self.kernel_label = QLabel()
        self.graph_label = QLabel("no graph")
        self.timing_label = QLabel("")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setFixedWidth(120)
        self.progress.setMaximumHeight(14)
        self.progress.hide()
        self.run_progress = QProgressBar()
        self.run_progress.setFixedWidth(160)
        self.run_progress.setMaximumHeight(14)
        self.run_progress.setFormat("%v of %m nodes")
        self.run_progress.hide()
        bar.addWidget(self.kernel_label)
        bar.addWidget(self.graph_label)
        bar.addPermanentWidget(self.run_progress)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.timing_label)
        self.show_kernel_state(KernelState.STOPPED)
        session.state_changed.connect(self.show_kernel_state)
        session.ready.connect(lambda _info: self.show_kernel_state(session.state))
        controller.busy_changed.connect(self._on_busy)
        controller.graph_shown.connect(self._on_graph_shown)
        controller.preview_shown.connect(self._on_preview_shown)
        workspace.graph.function_view_changed.connect(self._on_function_view)
        runs.progress.connect(self._on_run_progress)
        workspace.runs.running_changed.connect(self._on_running)
        workspace.runs.record_updated.connect(self._on_record_updated)
        self._forecast_shown = 0
        """The number of the run whose plan the bar shows (it arrives after the run starts)."""
        workspace.project.opened.connect(lambda _root: self.graph_label.setText("loading…"))
        controller.load_finished.connect(self._on_load_finished)

    def message(self, text: str, milliseconds: int = 0) -> None:
        if text:
            self.bar.showMessage(text, milliseconds)
        else:
            self.bar.clearMessage()

    def show_kernel_state(self, state: KernelState) -> None:
        colour = _STATE_COLOURS[state]
        info = self.session.info
        details = ""
        if info is not None and state in (KernelState.IDLE, KernelState.BUSY):
            details = f" · Python {info.python} ({self._which_python()}) · Hamilton {info.hamilton}"
        self.kernel_label.setText(f"<span style='color:{colour}'>●</span> Kernel {state}{details}")
        self.kernel_label.setToolTip(f"kernel process {info.pid}" if info is not None else "")

    def _which_python(self) -> str:
        """Which Python runs the project: the studio's, or the project's (inside its
        folder, named from there)."""
        python = self.workspace.project.interpreter
        if python is None:
            return "the studio's"
        root = self.workspace.project.root
        if root is not None and python.is_relative_to(root):
            return f"the project's {python.relative_to(root)}"
        return str(python)

    def _on_busy(self, busy: bool, what: str) -> None:
        self.progress.setVisible(busy)
        if busy and what:
            self.bar.showMessage(what)
        elif not busy:
            self.bar.clearMessage()

    def _on_load_finished(self, ok: bool) -> None:
        snapshot = self.workspace.graph.snapshot
        if not ok and snapshot is None:
            self.graph_label.setText("no graph: the folder did not load")
            self.timing_label.setText("")
        elif not ok and self.controller.loads.showing_source:
            self.graph_label.setText(f"{self._counts(snapshot)}, as the source reads: no load")
            self.timing_label.setText("")
        elif not ok and self.controller.loads.showing_kept:
            self.graph_label.setText(f"{self._counts(snapshot)} · from the last session: no load")
            self.timing_label.setText("")

    def _on_function_view(self, _on: bool) -> None:
        snapshot = self.workspace.graph.snapshot
        if snapshot is not None:
            self.graph_label.setText(self._counts(snapshot))

    def _counts(self, snapshot: GraphSnapshot | None) -> str:
        if snapshot is None:
            return "no graph"
        edges, modules, made, nodes = self._snapshot_counts(snapshot)
        collapsed = len(self.workspace.graph.collapsed)
        folded = f" ({collapsed} collapsed)" if collapsed else ""
        graph = self.workspace.graph
        cards = graph.cards.values()
        functions = made - sum(len(c.members) for c in cards) + len(cards)
        counted = f"{_count(functions, 'function')} · " if graph.function_view else ""
        return f"{counted}{nodes} · {_count(edges, 'edge')} · {_count(modules, 'module')}{folded}"

    def _snapshot_counts(self, snapshot: GraphSnapshot) -> tuple[int, int, int, str]:
        """Edges, modules, nodes made by functions, and the nodes in words, of a
        snapshot: worked out once per snapshot (at 20,000 nodes, 10-30 ms a time, and
        every drawing or switch of the function view asked again)."""
        if self._counted is None or self._counted[0] is not snapshot:
            edges = len(snapshot.edges())
            modules = len(set(map(attrgetter("group"), snapshot.nodes)) - {None, ""})
            made = len(snapshot.nodes) - countOf(map(attrgetter("origin"), snapshot.nodes), None)
            nodes = _count(len(snapshot.nodes), "node")
            if is_static(snapshot):  # not Hamilton's count: say what it is
                nodes = describe_static(snapshot)
            self._counted = (snapshot, (edges, modules, made, nodes))
        return self._counted[1]

    def _on_preview_shown(self, snapshot: GraphSnapshot) -> None:
        """Hamilton's graph kept from the last session says so until the kernel's comes."""
        if self.controller.loads.showing_kept:
            self.graph_label.setText(f"{self._counts(snapshot)} · from the last session")
            self.graph_label.setToolTip(
                "Hamilton's graph as the last session left it (no file changed since); "
                "the kernel is building it again and marks what differs."
            )

    def _on_graph_shown(self, snapshot: GraphSnapshot, _first: bool) -> None:
        self.graph_label.setText(self._counts(snapshot))
        self.graph_label.setToolTip("")
        timings = self.controller.timings
        parts = []
        if "load" in timings:
            parts.append(f"load {timings['load'] * 1000:.0f} ms")
        if "layout" in timings:
            parts.append(
                f"{timings.get('layout_engine', '')} layout {timings['layout'] * 1000:.0f} ms"
            )
        self.timing_label.setText(" · ".join(parts))

    def _on_record_updated(self, record: RunRecord) -> None:
        if (
            record is self.workspace.runs.current
            and record.forecast
            and record.number != self._forecast_shown
        ):
            self._show_forecast(record)

    def _show_forecast(self, record: RunRecord) -> None:
        self._forecast_shown = record.number
        self.bar.showMessage(f"Run {record.number} {record.forecast}")

    def _on_running(self, running: bool) -> None:
        self.run_progress.setVisible(running)
        if running:
            self.run_progress.setRange(0, 0)
            record = self.workspace.runs.current
            if record is not None and record.forecast:
                self._show_forecast(record)
            else:
                self.bar.clearMessage()
            return
        records = self.workspace.runs.records
        record = records[-1] if records else None
        if (
            record is not None
            and record.forecast
            and self.bar.currentMessage().startswith(f"Run {record.number} ")
        ):
            self.bar.clearMessage()
        if record is not None and record.status is RunStatus.FAILED:
            where = f"{record.failed_node} raised " if record.failed_node else ""
            first_line = record.message.strip().splitlines()[0] if record.message.strip() else ""
            self.bar.showMessage(f"Run {record.number} failed: {where}{first_line}", 20_000)

    def _on_run_progress(self, finished: int, planned: int) -> None:
        self.run_progress.setRange(0, max(planned, 1))
        self.run_progress.setValue(finished)


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"
