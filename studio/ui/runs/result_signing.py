"""Which results still hold: each is signed with its lineage (code versions, inputs,
the files its nodes read, the values the dataflow gives), and marked stale, with
why, when that lineage changes.

The signatures follow every new graph and input change, and the files results
were computed from, checked every two seconds (a few `stat` calls).

Signing 20,000 nodes takes the GUI thread's 100-300 ms (issue 33), so the GUI
thread only gathers what signing needs (the snapshot, which never changes once
made, the inputs, the salts) and a thread of its own signs; the marks are applied
when the signatures come back, unless a newer refresh was asked for meanwhile or
the graph is another by then. A run, and the run plan on a hover, get their
signatures after the signing under way (a run is sent to the kernel then); who
needs them at once waits for that signing, whose marks are then applied at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QTimer, Signal

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


@dataclass(frozen=True, slots=True)
class Signing:
    """What one refresh signs with, gathered on the GUI thread."""

    number: int
    snapshot: GraphSnapshot
    inputs: dict[str, str]
    salts: dict[str, str]
    reasons: dict[str, str]
    """Why, for the nodes whose files changed."""
    given: dict[str, str]
    """Why, for the nodes the dataflow gives values of, should that value have changed."""
    held: dict[str, str | None]
    """The signature each given node's result holds now."""
    done: Future[Signed] = field(default_factory=Future, compare=False)


@dataclass(frozen=True, slots=True)
class Signed:
    """A refresh's outcome, worked out on the signing thread."""

    signatures: dict[str, str]
    reasons: dict[str, str]


def sign(job: Signing) -> Signed:
    """Each node's signature, and why each stale one is stale (pure: no Qt, no model)."""
    signatures = lineage_signatures(job.snapshot, job.inputs, None, job.salts)
    changed = _changed_given(job.given, job.held, signatures)
    return Signed(signatures, stale_reasons(job.snapshot, job.reasons, changed))


def _changed_given(
    given: Mapping[str, str], held: Mapping[str, str | None], signatures: Mapping[str, str]
) -> dict[str, str]:
    """A given value that changed: its own result's signature moved."""
    return {
        name: reason
        for name, reason in given.items()
        if held.get(name) not in (None, signatures.get(name))
    }


class ResultSigning(QObject):
    _signed = Signal(int)
    """(refresh number): its signatures are ready, on the GUI thread."""
    _ready = Signal(object)
    """A call to make on the GUI thread with signatures asked for (`signatures_soon`)."""

    def __init__(
        self, workspace: Workspace, running: Callable[[], bool], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.runs = workspace.runs
        self._running = running
        self._asked: tuple[GraphSnapshot, dict[str, str], dict[str, str]] | None = None
        """What the marks were last asked for: unchanged, nothing to do."""
        self._count = 0
        self._pending: Signing | None = None
        """The newest refresh, until its marks are applied; any older one is dropped."""
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="studio-signing")
        self._closed = False
        self._waiting = 0
        """`signatures_soon` calls not answered yet."""
        self._signed.connect(self._deliver)
        self._ready.connect(self._answer)
        workspace.script_values.changed.connect(self.refresh)
        self._file_check = QTimer(self)
        self._file_check.setInterval(FILE_CHECK_MS)
        self._file_check.timeout.connect(self._check_files)
        self._file_check.start()

    def shutdown(self) -> None:
        """The window is closing: no more files checked; the thread ends once any signing
        in hand is done, and its outcome is dropped."""
        self._file_check.stop()
        self._closed = True
        self._pending = None
        self._pool.shutdown(wait=False, cancel_futures=True)

    @property
    def signing(self) -> bool:
        """A refresh's marks are on their way."""
        return self._pending is not None

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
        """Each node's lineage signature as a run now would sign it, for who needs them at
        once (a run's code versions that came meanwhile). A refresh under way is settled
        first: waited for, its marks applied (its signatures are these, most often)."""
        self.settle()
        return lineage_signatures(snapshot, self.inputs(), None, self.salts()[0])

    def signatures_soon(
        self, snapshot: GraphSnapshot, use: Callable[[dict[str, str]], None]
    ) -> None:
        """`use` gets `signatures(snapshot)`: at once, unless a refresh is being signed;
        then on the GUI thread once it is (its marks applied first), without waiting for
        it. Inputs and salts are taken now."""
        inputs, salts = self.inputs(), self.salts()[0]
        if (self._pending is None and not self._waiting) or self._closed:
            use(lineage_signatures(snapshot, inputs, None, salts))
            return
        self._waiting += 1  # who asks next is answered after this one
        self._pool.submit(self._work_for, snapshot, inputs, salts, use)

    def refresh(self) -> None:
        """After a new graph or new inputs: results whose lineage changed become stale,
        once the signing thread has signed them."""
        snapshot = self.workspace.graph.snapshot
        if snapshot is None or self._closed:
            return
        inputs = self.inputs()
        salts, reasons = self.salts()
        asked = (snapshot, inputs, salts)
        if self._asked is not None and self._asked[0] is snapshot and self._asked[1:] == asked[1:]:
            return  # only the drawing changed (collapse, focus)
        self._asked = asked
        flow = self.workspace.project.current()
        given = given_reasons(flow.overrides, flow.driver) if flow is not None else {}
        self._count += 1
        job = Signing(self._count, snapshot, inputs, salts, reasons, given, self._held(given))
        self._pending = job
        self._pool.submit(self._work, job)

    def settle(self) -> None:
        """Apply the marks of the refresh under way now (waiting for its signatures):
        for who reads the marks at once."""
        if self._pending is not None:
            self._apply(self._pending)

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
        self._asked = None
        self._pending = None  # signed without these reads: the next refresh signs with them

    def _held(self, given: Mapping[str, str]) -> dict[str, str | None]:
        return {name: self.runs.state.get(name).signature for name in given}

    def _work(self, job: Signing) -> None:
        """On the signing thread; a refresh asked for since makes this one's work moot."""
        if job.number != self._count:
            job.done.cancel()
            return
        try:
            job.done.set_result(sign(job))
        except BaseException as error:  # the GUI thread re-raises it where it waits
            job.done.set_exception(error)
        if not self._closed:
            self._signed.emit(job.number)

    def _work_for(
        self,
        snapshot: GraphSnapshot,
        inputs: dict[str, str],
        salts: dict[str, str],
        use: Callable[[dict[str, str]], None],
    ) -> None:
        """On the signing thread, after the refresh before it (most often these are its
        signatures, kept: not signed again)."""
        try:
            signatures = lineage_signatures(snapshot, inputs, None, salts)
        except Exception:  # signed again on the GUI thread, where the error shows
            self._ready.emit(lambda: use(lineage_signatures(snapshot, inputs, None, salts)))
            return
        self._ready.emit(lambda: use(signatures))

    def _answer(self, call: Callable[[], None]) -> None:
        self._waiting -= 1
        call()

    def _deliver(self, number: int) -> None:
        pending = self._pending
        if pending is not None and pending.number == number:
            self._apply(pending)

    def _apply(self, job: Signing) -> None:
        self._pending = None
        snapshot = job.snapshot
        if snapshot is not self.workspace.graph.snapshot:
            # Another graph, not announced (code versions that followed a first load):
            # these marks are not its; sign it.
            self._asked = None
            self.refresh()
            return
        signed = job.done.result()
        reasons = signed.reasons
        held = self._held(job.given)
        if held != job.held:  # a given node's result came meanwhile
            changed = _changed_given(job.given, held, signed.signatures)
            reasons = stale_reasons(snapshot, job.reasons, changed)
        self.runs.apply_signatures(signed.signatures, reasons)

    def _check_files(self) -> None:
        if self.runs.file_reads and not self._running():
            self.refresh()
