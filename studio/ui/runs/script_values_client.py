"""Asks the kernel to evaluate the driver script's values after each load.

A trusted folder's load has evaluated the config the script computes (the
build needs it); once its reply is in, `script_values` evaluates the
inputs and describes both, into the workspace's `ScriptValuesModel`. While
it goes on the status bar is busy and Stop/Esc interrupt the kernel. An
untrusted folder never loads in the kernel, so nothing is evaluated.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from studio.core.model import Workspace
from studio.core.protocol.requests import ScriptValuesParams, ScriptValuesResult
from studio.ui.kernel.session import KernelSession, Reply
from studio.ui.project.graph_controller import GraphController

BUSY_TEXT = "Evaluating the driver script's values…"


class ScriptValuesClient(QObject):
    def __init__(
        self,
        session: KernelSession,
        workspace: Workspace,
        graph: GraphController,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.project = workspace.project
        self.model = workspace.script_values
        self.graph = graph
        self._asked = 0
        """Requests sent: only the newest one's reply ends the evaluation."""
        graph.load_finished.connect(lambda _ok: self.evaluate())

    def evaluate(self) -> None:
        """Evaluate the chosen dataflow's values (those unchanged are kept by the kernel)."""
        flow = self.project.current()
        if not self.project.trusted or flow is None or not flow.script_values:
            if self.model.dataflow is not None:
                self.model.clear()
            return
        self.model.evaluating = True
        self.graph.busy_changed.emit(True, BUSY_TEXT)
        self._asked += 1
        asked = self._asked
        self.session.request(
            ScriptValuesParams(dataflow=flow.name), lambda reply: self._on_reply(reply, asked)
        )

    def _on_reply(self, reply: Reply, asked: int) -> None:
        if asked != self._asked:
            return  # a newer evaluation is under way: it says what holds
        self.model.evaluating = False
        self.graph.busy_changed.emit(False, "")
        if reply.ok:
            result: ScriptValuesResult = reply.result
            self.model.take(result.dataflow, list(result.values))
