"""Runs: each node's run state on the canvas, and the run log of the open project.

The run controller feeds it what the kernel reports; the canvas badges,
the run log, the results panel and the status bar listen. Every change
names the nodes it touched, so a badge repaints only when its node's
state changed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from pathlib import Path

from studio.core.cache.cache_paths import DEFAULT_CACHE_LIMIT
from studio.core.model.events import Event, Evented
from studio.core.protocol import RunStatus
from studio.core.runs.file_reads import FileStamp
from studio.core.runs.run_forecast import DurationBook
from studio.core.runs.run_records import RunRecord
from studio.core.runs.run_state import NodeRun, NodeState, RunState


class RunsModel:
    cache_limit = Evented[int]()
    """Bytes of results the project's cache keeps (the oldest go first); the setting
    Run ▸ Result Cache Limit… sets it, each run sends it."""

    def __init__(self) -> None:
        self._state = RunState()
        self._records: list[RunRecord] = []
        self._current: RunRecord | None = None
        self._finished_at: dict[str, datetime.datetime] = {}
        self._durations = DurationBook()
        self.file_reads: dict[str, list[FileStamp]] = {}
        """The files each result in the kernel was computed from (a change makes it stale)."""
        self.cache_limit_changed = Event()
        """(int)"""
        self.cache_limit = DEFAULT_CACHE_LIMIT
        self.states_changed = Event()
        """(names or None for every node): their run state changed."""
        self.record_added = Event()
        """(RunRecord): a run started."""
        self.record_updated = Event()
        """(RunRecord): a run made progress, printed, or ended."""
        self.running_changed = Event()
        """(bool): a run started or the last one ended."""
        self.cleared = Event()
        """The run log was emptied (another project was opened)."""

    @property
    def state(self) -> RunState:
        return self._state

    @property
    def records(self) -> list[RunRecord]:
        return self._records

    @property
    def current(self) -> RunRecord | None:
        """The run going on."""
        return self._current

    @property
    def finished_at(self) -> dict[str, datetime.datetime]:
        return self._finished_at

    @property
    def durations(self) -> DurationBook:
        """What each node took, per code version, across restarts (the run plan's estimates)."""
        return self._durations

    @property
    def running(self) -> bool:
        return self._current is not None

    def node(self, name: str) -> NodeRun:
        return self.state.get(name)

    # -- runs ------------------------------------------------------------------

    def start(self, record: RunRecord) -> None:
        self._records.append(record)
        self._current = record
        self.record_added.emit(record)
        self.running_changed.emit(True)

    def forecast_known(self, record: RunRecord, headline: str) -> None:
        """The plan of `record`'s run was worked out (after it started: it takes a while)."""
        record.forecast = headline
        self.record_updated.emit(record)

    def planned(self, names: list[str]) -> None:
        assert self.current is not None
        self.current.planned = list(names)
        self._changed(self.state.run_started(names))

    def node_started(self, name: str) -> None:
        self.state.node_started(name)
        self._changed({name})

    def node_finished(
        self,
        name: str,
        state: NodeState,
        seconds: float | None,
        signature: str | None,
        error: str,
        given_by: str = "",
    ) -> None:
        self.state.node_finished(name, state, seconds, signature, error, given_by)
        self.finished_at[name] = datetime.datetime.now()
        self._changed({name})
        if self.current is not None:
            self.record_updated.emit(self.current)

    def output(self, text: str) -> bool:
        """Printed text of the current run; False when no run is going on."""
        if self.current is None:
            return False
        self.current.add_output(text)
        self.record_updated.emit(self.current)
        return True

    def end(self) -> RunRecord | None:
        """The current run ended (its record already holds the outcome)."""
        record, self._current = self._current, None
        if record is not None:
            record.close_output()
        changed = self.state.run_ended()
        if (
            record is not None
            and record.failed_node is not None
            and record.status is not RunStatus.INTERRUPTED
        ):
            error = self.state.get(record.failed_node).error or record.message
            changed |= self.state.blocked(record.targets, record.failed_node, error)
        self._changed(changed)
        self.running_changed.emit(False)
        if record is not None:
            self.record_updated.emit(record)
        return record

    # -- results ---------------------------------------------------------------

    def forget_results(self) -> None:
        """No result is in the kernel any more (cleared, or a new kernel)."""
        self.state.reset()
        self.finished_at.clear()
        self.file_reads.clear()
        self.states_changed.emit(None)

    def apply_signatures(
        self, signatures: Mapping[str, str], reasons: Mapping[str, str] | None = None
    ) -> None:
        """Results whose lineage changed since they were computed become stale (`reasons`:
        why, for those whose files changed)."""
        self._changed(self.state.apply_signatures(signatures, reasons))

    def clear(self, durations: Path | None = None) -> None:
        """Another project (its durations kept in `durations`): no results, no run log."""
        was_running, self._current = self._current is not None, None
        self._records = []
        self._durations = DurationBook(durations)
        self.cleared.emit()
        self.forget_results()
        if was_running:
            self.running_changed.emit(False)

    def _changed(self, names: Iterable[str]) -> None:
        names = set(names)
        if names:
            self.states_changed.emit(names)
