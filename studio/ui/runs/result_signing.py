"""Which results still hold: each is signed with its lineage (code versions, inputs,
the files its nodes read, the values the dataflow gives), and marked stale, with
why, when that lineage changes.

The signatures follow every new graph and input change, and the files results
were computed from, checked every two seconds (a few `stat` calls).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from studio.core.graph.snapshot import GraphSnapshot
from studio.core.model import Workspace
from studio.core.protocol.requests import RunResult
from studio.core.runs.file_reads import file_salts
from studio.core.runs.run_records import RunRecord
from studio.core.runs.staleness import (
    given_reasons,
    given_salts,
    lineage_signatures,
    stale_reasons,
)

FILE_CHECK_MS = 2000
"""How often the files results came from are checked for changes."""


class ResultSigning(QObject):
    def __init__(
        self, workspace: Workspace, running: Callable[[], bool], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.runs = workspace.runs
        self._running = running
        self._signed: tuple[GraphSnapshot, dict[str, str], dict[str, str]] | None = None
        """What the marks were last worked out from: unchanged, nothing to do."""
        workspace.script_values.changed.connect(self.refresh)
        self._file_check = QTimer(self)
        self._file_check.setInterval(FILE_CHECK_MS)
        self._file_check.timeout.connect(self._check_files)
        self._file_check.start()

    def shutdown(self) -> None:
        self._file_check.stop()

    def inputs(self) -> dict[str, str]:
        """Each input as a run signs it: the user's expression, else the script's value."""
        project = self.workspace.project
        script = self.workspace.script_values.input_tokens(project.dataflow)
        return {**script, **project.input_expressions()}

    def salts(self) -> tuple[dict[str, str], dict[str, str]]:
        """What changed of the files the results in the kernel were computed from (and
        why, by node), and the values the dataflow gives in place of nodes (signed as
        the kernel signs them)."""
        flow = self.workspace.project.current()
        given = given_salts(flow.overrides if flow is not None else {})
        reads = self.runs.file_reads
        if not reads:
            return given, {}
        kept = {n: s for n, s in reads.items() if self.runs.state.get(n).signature is not None}
        salts, reasons = file_salts(kept, self.workspace.project.root)
        return {**salts, **given}, reasons

    def signatures(self, snapshot: GraphSnapshot) -> dict[str, str]:
        """Each node's lineage signature as a run now would sign it."""
        return lineage_signatures(snapshot, self.inputs(), None, self.salts()[0])

    def refresh(self) -> None:
        """After a new graph or new inputs: results whose lineage changed become stale."""
        snapshot = self.workspace.graph.snapshot
        if snapshot is None:
            return
        inputs = self.inputs()
        salts, reasons = self.salts()
        signed = (snapshot, inputs, salts)
        if (
            self._signed is not None
            and self._signed[0] is snapshot
            and self._signed[1:] == signed[1:]
        ):
            return  # only the drawing changed (collapse, focus)
        self._signed = signed
        signatures = lineage_signatures(snapshot, inputs, None, salts)
        flow = self.workspace.project.current()
        given = given_reasons(flow.overrides, flow.driver) if flow is not None else {}
        changed = {  # a given value that changed: its own result's signature moved
            name: reason
            for name, reason in given.items()
            if self.runs.state.get(name).signature not in (None, signatures.get(name))
        }
        self.runs.apply_signatures(signatures, stale_reasons(snapshot, reasons, changed))

    def keep_reads(self, record: RunRecord, result: RunResult) -> None:
        """The files the run's nodes read: their results are signed with them as they are
        now (a file changed while its node ran: stale at once)."""
        snapshot = self.workspace.graph.snapshot
        if not result.reads or snapshot is None:
            return
        self.runs.file_reads.update(result.reads)
        salts, _ = self.salts()
        salts = {n: uuid.uuid4().hex if n in result.reads else s for n, s in salts.items()}
        signatures = lineage_signatures(snapshot, self.inputs(), None, salts)
        self.runs.state.sign_again(signatures, record.nodes)
        self._signed = None

    def _check_files(self) -> None:
        if self.runs.file_reads and not self._running():
            self.refresh()
