"""Runs nodes in the kernel and feeds what it reports into the runs model.

One run at a time. Progress arrives as events from the kernel's Hamilton
hooks while the run goes on; the controller only updates the runs model
(the canvas badges, the run log and the status bar follow it), so it
never waits. Which results still hold is `result_signing`'s.

Stop escalates when a run goes on (issue 31, case 10): the kernel's interrupt
(SIGINT); after `STOP_STEP_MS` a KeyboardInterrupt raised inside the node,
past its signal handling; after as long again a new kernel.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QTimer, Signal

from studio.core.cache.cache_paths import new_run_output_file
from studio.core.graph.snapshot import GraphSnapshot
from studio.core.model import Workspace
from studio.core.protocol import ErrorCode, NodeStatus, RunStatus
from studio.core.protocol.data_requests import StopRunParams
from studio.core.protocol.events import (
    ClusterChanged,
    NodeFinished,
    NodeStarted,
    Progress,
    RunStarted,
    Versions,
)
from studio.core.protocol.requests import (
    ClearResultsParams,
    ClusterParams,
    RunParams,
    RunResult,
)
from studio.core.runs.executors import ExecutorChoice
from studio.core.runs.run_forecast import RunForecast
from studio.core.runs.run_plan import RunMode, run_targets
from studio.core.runs.run_records import RunRecord
from studio.core.runs.run_state import NodeState
from studio.core.runs.running_node import read_running_node
from studio.ui.kernel.messages import deliver
from studio.ui.kernel.session import KernelSession, KernelState, Reply
from studio.ui.project.graph_controller import GraphController
from studio.ui.runs.result_signing import ResultSigning
from studio.ui.runs.run_forecaster import RunForecaster
from studio.ui.runs.script_values_client import ScriptValuesClient

STOP_STEP_MS = 3000
"""How long Stop waits for a run to end before its next step."""

_STATES = {
    NodeStatus.COMPUTED: NodeState.DONE,
    NodeStatus.REUSED: NodeState.REUSED,
    NodeStatus.GIVEN: NodeState.GIVEN,
    NodeStatus.FAILED: NodeState.FAILED,
    NodeStatus.INTERRUPTED: NodeState.INTERRUPTED,
}


class RunController(QObject):
    progress = Signal(int, int)
    """(finished, planned) nodes of the current run."""
    missing_inputs = Signal(list)
    problem = Signal(str)
    """Something the user must know about a run (shown in the message bar)."""
    output_outside_run = Signal(str)
    cache_size_changed = Signal(int)
    """Bytes the project's result cache holds, after a run."""
    cluster_changed = Signal(object)
    """(`ClusterInfo` or None): the Dask or Ray cluster runs go to started, changed or
    stopped."""

    def __init__(
        self,
        session: KernelSession,
        workspace: Workspace,
        graph: GraphController,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.workspace = workspace
        self.runs = workspace.runs
        self.graph = graph
        self._signatures: dict[str, str] = {}
        self._versions: dict[str, str | None] = {}
        self._quiet = False
        """Inside a batch of events: progress is announced once, after it."""
        self._finished = 0
        self._deferred: tuple[RunRecord, RunParams] | None = None
        self._unsigned = False
        """The deferred run waits for its signatures."""
        self._disk_unread = False
        """The deferred run waits for its plan to read the disk cache, which it writes."""
        graph.load_requested.connect(self._send_deferred)
        workspace.project.opened.connect(self._forget_deferred)
        session.start_failed.connect(self._on_no_kernel)
        session.listen(self)
        session.output.connect(self._on_output)
        session.ready.connect(lambda _info: self.runs.forget_results())
        session.ready.connect(lambda _info: self.cluster_changed.emit(None))
        workspace.project.executor_changed.connect(self._on_executor_changed)
        self._stop_step = 0
        """Stop's escalation: 1 after the interrupt, 2 after raising it inside the node."""
        self._stop_timer = QTimer(self, singleShot=True, interval=STOP_STEP_MS)
        self._stop_timer.timeout.connect(self._escalate_stop)
        self._forecaster = RunForecaster(self)
        self.script_values = ScriptValuesClient(session, workspace, graph, self)
        self.signing = ResultSigning(workspace, lambda: self.running, self)

    @property
    def running(self) -> bool:
        return self.runs.running

    def shutdown(self) -> None:
        """The window is closing: no more plans are worked out, nor files checked."""
        self.signing.shutdown()
        self._forecaster.shutdown()

    # -- actions ------------------------------------------------------------

    def run_all(self) -> RunRecord | None:
        """What the driver script asks for (its final_vars), or every sink if it names none."""
        snapshot = self.workspace.graph.snapshot
        flow = self.workspace.project.current()
        known = {n.name for n in snapshot.nodes} if snapshot is not None else set()
        asked = [name for name in (flow.outputs if flow else ()) if name in known]
        return self.run(asked, RunMode.ALL)

    def run(
        self, names: Iterable[str], mode: RunMode = RunMode.UPSTREAM, recompute: bool = False
    ) -> RunRecord | None:
        snapshot = self.workspace.graph.snapshot
        names = list(names)
        if snapshot is None:
            self.problem.emit("There is no graph to run yet.")
            return None
        if self.graph.loads.showing_preview and self.workspace.graph.errors:
            self.problem.emit(
                "Hamilton could not build this graph (the banner says why): what is shown "
                "is read from the source. Fix the error and save, and it loads."
            )
            return None
        if self.running:
            self.problem.emit("A run is in progress: stop it (Esc) or wait for it to end.")
            return None
        if self.session.state is KernelState.STOPPED:
            self.problem.emit("No kernel is running: the banner says why.")
            return None
        if mode is not RunMode.ALL and not names:
            self.problem.emit("Select the nodes to run first (or use Run All).")
            return None
        if mode is RunMode.ALL:
            names = run_targets(snapshot, names, mode)
        expressions = self.workspace.project.input_expressions()
        self._versions = versions = {n.name: n.version for n in snapshot.nodes}
        record = RunRecord(len(self.runs.records) + 1, names, mode.value, recompute)
        executor = self.workspace.project.executor
        record.executor = "" if executor.is_local else executor.title
        root = self.workspace.project.root
        if root is not None:
            record.output_file = new_run_output_file(root, record.number)
        self._finished = 0
        self.runs.start(record)
        params = RunParams(
            nodes=names,
            mode=mode,
            inputs=expressions,
            recompute=recompute,
            cache_limit=self.runs.cache_limit,
            executor=executor.text,
        )
        # Sent once signed (after a refresh being signed, not waiting for it) and, with
        # a new kernel, once the load of the graph went to it.
        self._deferred = (record, params)
        self._unsigned = True
        self._disk_unread = not recompute
        self.signing.signatures_soon(
            snapshot, lambda signed: self._signed(record, signed, versions, names, mode)
        )
        return record

    def _signed(
        self,
        record: RunRecord,
        signatures: dict[str, str],
        versions: dict[str, str | None],
        names: list[str],
        mode: RunMode,
    ) -> None:
        """The signatures `record`'s results will hold came: its plan is worked out, and
        it goes to the kernel."""
        if self._deferred is None or self._deferred[0] is not record:
            return  # stopped before it started, or no kernel
        self._unsigned = False
        if self._versions is versions:  # else signed with the code versions that came
            self._signatures = signatures
        if not record.recompute:
            self.forecast(
                names,
                mode,
                lambda plan: self.runs.forecast_known(record, plan.headline() if plan else ""),
                self._signatures,
                topic="run",
                disk_read=lambda: self._disk_was_read(record),
            )
        if self.graph.load_requested_on_kernel:
            self._send_deferred()

    def _disk_was_read(self, record: RunRecord) -> None:
        if self._deferred is not None and self._deferred[0] is record:
            self._disk_unread = False
            if self.graph.load_requested_on_kernel:
                self._send_deferred()

    def _send(self, record: RunRecord, params: RunParams) -> None:
        self.session.request(params, lambda reply: self._on_reply(record, reply))

    def _on_no_kernel(self, reason: str) -> None:
        if self._deferred is not None:
            record, _ = self._deferred
            self._deferred = None
            self._on_reply(record, Reply(False, message=f"no kernel: {reason}"))

    def _forget_deferred(self, _root: object) -> None:
        """Another folder: a run waiting for the last one's load never goes to its kernel."""
        self._deferred = None

    def _send_deferred(self) -> None:
        if self._deferred is not None and not self._unsigned and not self._disk_unread:
            record, params = self._deferred
            self._deferred = None
            self._send(record, params)

    def forecast(
        self,
        names: Iterable[str],
        mode: RunMode,
        answer: Callable[[RunForecast | None], None],
        signatures: dict[str, str] | None = None,
        topic: str = "hover",
        disk_read: Callable[[], None] | None = None,
    ) -> None:
        """What running `names` would compute and reuse now, and how long it may take:
        worked out on a thread, `answer` gets it (None without a graph or names);
        `disk_read` is called once the disk cache it reports on was read."""
        snapshot = self.workspace.graph.snapshot
        names = list(names)
        flow = self.workspace.project.current()
        if snapshot is not None and mode is RunMode.ALL and not names:
            known = {n.name for n in snapshot.nodes}
            names = [name for name in (flow.outputs if flow else ()) if name in known]
        if snapshot is None or not names:
            answer(None)
            if disk_read is not None:
                disk_read()
            return
        if signatures is None:  # after a refresh being signed, not waiting for it
            self.signing.signatures_soon(
                snapshot,
                lambda signed: self._plan(snapshot, names, mode, answer, signed, topic, disk_read),
            )
            return
        self._plan(snapshot, names, mode, answer, signatures, topic, disk_read)

    def _plan(
        self,
        snapshot: GraphSnapshot,
        names: list[str],
        mode: RunMode,
        answer: Callable[[RunForecast | None], None],
        signatures: dict[str, str],
        topic: str,
        disk_read: Callable[[], None] | None = None,
    ) -> None:
        flow = self.workspace.project.current()
        valid = self.runs.state.valid_results(signatures)
        cache_dir = self.workspace.project.cache_dir
        given = frozenset(flow.overrides if flow is not None else ())
        self._forecaster.request(
            snapshot,
            names,
            mode,
            valid,
            self.runs.durations,
            cache_dir,
            answer,
            topic,
            given,
            disk_read,
        )

    def stop(self) -> bool:
        """Interrupt the running node, or the evaluation of the script's values; False when
        neither goes on."""
        if not self.running and self.workspace.script_values.evaluating:
            self.session.interrupt()
            return True
        if not self.running:
            return False
        if self._deferred is not None:
            record, _ = self._deferred
            self._deferred = None
            self._on_reply(record, Reply(False, message="stopped before it started"))
            return True
        self.session.interrupt()
        if not self._stop_timer.isActive():
            self._stop_step = 1
            self._stop_timer.start()
        return True

    def _escalate_stop(self) -> None:
        """The run goes on after Stop: the node ignores or holds off the interrupt. Next
        an interrupt raised inside it; then a new kernel. The banner says which."""
        if not self.running:
            return
        if self._stop_step == 1:
            self._stop_step = 2
            self.session.request(StopRunParams(), lambda _reply: None)
            self.problem.emit(
                "The node did not stop on the interrupt (it may ignore Ctrl+C): Stop raised "
                f"it inside the node. If it still runs in {STOP_STEP_MS // 1000} s, the "
                "kernel is restarted."
            )
            self._stop_timer.start()
            return
        self._stop_step = 0
        self.problem.emit(
            "The node did not stop: the kernel was restarted. Results in memory are gone; "
            "the on-disk cache keeps what was computed before."
        )
        self.session.restart()

    def clear_results(self) -> None:
        self.runs.forget_results()
        self.session.request(ClearResultsParams())

    def _sign_again(self, versions: dict[str, str | None]) -> None:
        """A run asked for before its graph's code versions came (they follow a big
        first load): its results are signed with them, or they would look stale."""
        snapshot = self.workspace.graph.snapshot
        if not self.running or snapshot is None or any(self._versions.values()):
            return
        completed = snapshot.with_versions(versions)
        self._versions = {n.name: n.version for n in completed.nodes}
        self._signatures = self.signing.signatures(completed)

    # -- kernel -------------------------------------------------------------

    def _on_executor_changed(self, choice: ExecutorChoice) -> None:
        """A cluster the studio started is stopped as soon as runs no longer go to it."""
        if self.session.state in (KernelState.IDLE, KernelState.BUSY) and not choice.owns_cluster:
            self.session.request(ClusterParams(stop=True), lambda _reply: None)

    # The kernel's events (see `KernelSession.listen`).

    def _on_cluster(self, event: ClusterChanged) -> None:
        self.cluster_changed.emit(event.cluster)

    def _on_versions(self, event: Versions) -> None:
        self._sign_again(event.versions)

    def _on_progress(self, batch: Progress) -> None:
        self._quiet = True
        try:
            for event in batch.events:
                deliver(self, event)
        finally:
            self._quiet = False
        record = self.runs.current
        if record is not None:
            self.progress.emit(self._finished, max(len(record.planned), self._finished))

    def _on_run_started(self, event: RunStarted) -> None:
        record = self.runs.current
        if record is not None:
            self.runs.planned(list(event.planned))
            self.progress.emit(0, len(record.planned))

    def _on_node_started(self, event: NodeStarted) -> None:
        if self.runs.current is not None:
            self.runs.node_started(event.name)

    def _on_node_finished(self, event: NodeFinished) -> None:
        record = self.runs.current
        if record is None:
            return
        node, status = event.name, event.status
        record.node_finished(node, status, event.seconds, event.error)
        given = status is NodeStatus.GIVEN
        self._finished += 0 if given else 1  # not among the nodes Hamilton planned
        if status is NodeStatus.COMPUTED and node in self._versions:
            self.runs.durations.record(node, self._versions[node], record.nodes[node].seconds)
        self.runs.node_finished(
            node,
            _STATES.get(status, NodeState.DONE),
            None if given else record.nodes[node].seconds,
            self._signatures.get(node),
            event.error,
            self._given_by() if given else "",
        )
        if not self._quiet:
            self.progress.emit(self._finished, max(len(record.planned), self._finished))

    def _given_by(self) -> str:
        """The file that gives node values to the current dataflow's runs."""
        flow = self.workspace.project.current()
        return (flow.driver if flow is not None else "") or "the dataflow"

    def _on_reply(self, record: RunRecord, reply: Reply) -> None:
        if reply.ok:
            result: RunResult = reply.result
            record.finish(result)
            self.signing.keep_reads(record, result)
            if result.install_hint:
                self.problem.emit(f"{result.message}. Install it with: {result.install_hint}")
            if result.cache_bytes is not None:
                self.cache_size_changed.emit(result.cache_bytes)
        elif reply.code is ErrorCode.KERNEL_DIED:
            running = [n for n, r in self.runs.state.nodes.items() if r.state is NodeState.RUNNING]
            node = running[0] if running else read_running_node(self.session.connection_folder)
            during = f" while running {node}" if node else ""
            record.failed_node = record.failed_node or node
            record.fail(f"{reply.message}{during}; a new kernel was started")
            reason = reply.message.removeprefix("the kernel died ").strip("()")
            self.problem.emit(
                f"The kernel died{during} ({reason}). "
                "A new kernel was started; results in memory are gone, the on-disk cache "
                "keeps what was computed before."
            )
        else:
            record.fail(reply.message)
        self._stop_timer.stop()
        if self._stop_step == 2 and record.status is RunStatus.INTERRUPTED:
            self.problem.emit(
                "The node did not stop on the interrupt (it may ignore Ctrl+C): Stop raised "
                "it inside the node, which stopped it."
            )
        self._stop_step = 0
        self.runs.durations.save()
        self.runs.end()
        self.signing.refresh()
        if record.status is RunStatus.MISSING_INPUTS:
            self.missing_inputs.emit(record.missing)

    def _on_output(self, _stream: str, text: str) -> None:
        if not self.runs.output(text):
            self.output_outside_run.emit(text)
