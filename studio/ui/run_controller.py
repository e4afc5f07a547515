"""Runs nodes in the kernel and shows the run on the canvas and in the run log.

One run at a time. Progress arrives as events from the kernel's Hamilton
hooks while the run goes on; the GUI only updates badges and the log, so
it never waits. Stale marks follow every new graph and every input change.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject, Signal

from studio.core import protocol
from studio.core.protocol import ErrorCode, NodeStatus, RunStatus
from studio.core.run_log import RunRecord
from studio.core.run_plan import RunMode
from studio.core.run_state import NodeState
from studio.core.snapshot import GraphSnapshot
from studio.core.staleness import lineage_signatures
from studio.ui.canvas.scene import GraphScene
from studio.ui.graph_controller import GraphController
from studio.ui.kernel.session import KernelSession, Reply

_STATES = {
    NodeStatus.COMPUTED: NodeState.DONE,
    NodeStatus.REUSED: NodeState.REUSED,
    NodeStatus.FAILED: NodeState.FAILED,
}


class RunController(QObject):
    running_changed = Signal(bool)
    progress = Signal(int, int)
    """(finished, planned) nodes of the current run."""
    run_added = Signal(object)
    """A new RunRecord."""
    run_updated = Signal(object)
    """A RunRecord changed (a node finished, the run ended, output arrived)."""
    missing_inputs = Signal(list)
    problem = Signal(str)
    """Something the user must know about a run (shown in a banner)."""
    output_outside_run = Signal(str)

    def __init__(
        self,
        session: KernelSession,
        graph: GraphController,
        input_expressions: Callable[[], dict[str, str]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.graph = graph
        self.scene: GraphScene = graph.scene
        self.input_expressions = input_expressions
        self.records: list[RunRecord] = []
        self._signed: tuple[GraphSnapshot, dict[str, str]] | None = None
        self.finished_at: dict[str, datetime.datetime] = {}
        self.current: RunRecord | None = None
        self._signatures: dict[str, str] = {}
        self._finished = 0
        self._stopping = False
        self._deferred: tuple[RunRecord, dict[str, Any]] | None = None
        graph.load_requested.connect(self._send_deferred)
        session.event_received.connect(self._on_event)
        session.output.connect(self._on_output)
        session.ready.connect(self._on_kernel_ready)

    @property
    def running(self) -> bool:
        return self.current is not None

    # -- actions ------------------------------------------------------------

    def run(
        self, names: Iterable[str], mode: RunMode = RunMode.UPSTREAM, recompute: bool = False
    ) -> RunRecord | None:
        snapshot = self.scene.snapshot
        names = list(names)
        if snapshot is None:
            self.problem.emit("There is no graph to run yet.")
            return None
        if self.running:
            self.problem.emit("A run is in progress: stop it (Esc) or wait for it to end.")
            return None
        if mode is not RunMode.ALL and not names:
            self.problem.emit("Select the nodes to run first (or use Run All).")
            return None
        expressions = self.input_expressions()
        self._signatures = lineage_signatures(snapshot, expressions)
        record = RunRecord(len(self.records) + 1, names, mode.value, recompute)
        self.records.append(record)
        self.current = record
        self._finished = 0
        self._stopping = False
        self.run_added.emit(record)
        self.running_changed.emit(True)
        params = {
            "nodes": names,
            "mode": mode.value,
            "inputs": expressions,
            "recompute": recompute,
        }
        if self.graph.load_requested_on_kernel:
            self._send(record, params)
        else:  # a new kernel: the run must follow the load of the graph
            self._deferred = (record, params)
        return record

    def _send(self, record: RunRecord, params: dict[str, Any]) -> None:
        self.session.request(
            protocol.Method.RUN, params, lambda reply: self._on_reply(record, reply)
        )

    def _send_deferred(self) -> None:
        if self._deferred is not None:
            record, params = self._deferred
            self._deferred = None
            self._send(record, params)

    def stop(self) -> bool:
        """Interrupt the running node; False when nothing runs."""
        if not self.running:
            return False
        if self._deferred is not None:
            record, _ = self._deferred
            self._deferred = None
            self._on_reply(record, Reply(False, message="stopped before it started"))
            return True
        self._stopping = True
        self.session.interrupt()
        return True

    def clear_results(self) -> None:
        self.scene.run_state.reset()
        self.scene.show_run_states()
        self.session.request(protocol.Method.CLEAR_RESULTS, {})

    def refresh_staleness(self) -> None:
        """After a new graph or new inputs: results whose lineage changed become stale."""
        snapshot = self.scene.snapshot
        if snapshot is None:
            return
        inputs = self.input_expressions()
        if self._signed is not None and self._signed[0] is snapshot and self._signed[1] == inputs:
            return  # only the drawing changed (collapse, focus)
        self._signed = (snapshot, inputs)
        signatures = lineage_signatures(snapshot, inputs)
        changed = self.scene.run_state.apply_signatures(signatures)
        if changed:
            self.scene.show_run_states(changed)

    # -- kernel -------------------------------------------------------------

    def _on_event(self, name: str, data: dict[str, Any]) -> None:
        record = self.current
        if record is None:
            return
        state = self.scene.run_state
        if name == protocol.EventName.RUN_STARTED:
            record.planned = list(data.get("planned") or [])
            changed = state.run_started(record.planned)
            self.scene.show_run_states(changed)
            self.progress.emit(0, len(record.planned))
        elif name == protocol.EventName.NODE_STARTED:
            state.node_started(data["name"])
            self.scene.show_run_states([data["name"]])
        elif name == protocol.EventName.NODE_FINISHED:
            node = data["name"]
            status = NodeStatus(data.get("status", NodeStatus.COMPUTED))
            seconds = float(data.get("seconds") or 0.0)
            record.node_finished(node, status, seconds, data.get("error", ""))
            self.finished_at[node] = datetime.datetime.now()
            state.node_finished(
                node,
                _STATES.get(status, NodeState.DONE),
                record.nodes[node].seconds,
                self._signatures.get(node),
                data.get("error", ""),
            )
            self.scene.show_run_states([node])
            self._finished += 1
            self.progress.emit(self._finished, max(len(record.planned), self._finished))
            self.run_updated.emit(record)

    def _on_reply(self, record: RunRecord, reply: Reply) -> None:
        if reply.ok:
            record.finish(reply.result)
        elif reply.code is ErrorCode.KERNEL_DIED:
            running = [
                n for n, r in self.scene.run_state.nodes.items() if r.state is NodeState.RUNNING
            ]
            during = f" while running {running[0]}" if running else ""
            record.fail(f"{reply.message}{during}; a new kernel was started")
            reason = reply.message.removeprefix("the kernel died ").strip("()")
            self.problem.emit(
                f"The kernel died{during} ({reason}). "
                "A new kernel was started; results in memory are gone, the on-disk cache "
                "keeps what was computed before."
            )
        else:
            record.fail(reply.message)
        changed = self.scene.run_state.run_ended()
        self.scene.show_run_states(changed)
        if record.status == RunStatus.MISSING_INPUTS:
            self.missing_inputs.emit(record.missing)
        self.current = None
        self.running_changed.emit(False)
        self.run_updated.emit(record)

    def _on_output(self, stream: str, text: str) -> None:
        if self.current is not None:
            self.current.output.append(text)
            self.run_updated.emit(self.current)
        else:
            self.output_outside_run.emit(text)

    def _on_kernel_ready(self, _info: dict) -> None:
        """A new kernel holds no results: nothing on the canvas is computed any more."""
        self.scene.run_state.reset()
        self.scene.show_run_states()
