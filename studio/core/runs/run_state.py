"""The run state of every node, as the canvas shows it.

Kept in the GUI from the kernel's run events; stale marks come from
comparing lineage signatures (`studio.core.runs.staleness`) with those a result
was computed under.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


class NodeState(enum.StrEnum):
    NOT_COMPUTED = "not computed"
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    REUSED = "reused"
    GIVEN = "given"
    """Not computed: the dataflow gives its value (a notebook's `--overrides`); the value
    is kept like a result."""
    FAILED = "failed"
    INTERRUPTED = "interrupted"
    """Stopped by the user while it ran: no result, the time it ran until then."""
    STALE = "stale"


@dataclass(slots=True)
class NodeRun:
    state: NodeState = NodeState.NOT_COMPUTED
    seconds: float | None = None
    signature: str | None = None
    """Lineage signature the shown result was computed under."""
    error: str = ""
    failed_upstream: str | None = None
    """The node whose failure kept this one from running (its error is in `error`)."""
    stale_reason: str = ""
    """Why a stale result is stale, when a file it came from changed (`data.csv changed`);
    empty: its code or an input changed."""
    given_by: str = ""
    """The file that gives this node's value (`nb.ipynb`), when it is given, not computed:
    it stays given once its value is valid again."""


def given_phrase(run: NodeRun) -> str:
    """Who gives a given node's value, as the canvas and the Results panel say it:
    `given by nb.ipynb (--overrides)`."""
    return f"given by {run.given_by or 'the dataflow'} (--overrides)"


_HAS_RESULT = (NodeState.DONE, NodeState.REUSED, NodeState.GIVEN)
"""States of a valid result the kernel holds (computed, reused or given)."""


class RunState:
    def __init__(self) -> None:
        self.nodes: dict[str, NodeRun] = {}
        self._before_run: dict[str, NodeRun] = {}

    def get(self, name: str) -> NodeRun:
        return self.nodes.get(name) or NodeRun()

    def state(self, name: str) -> NodeState:
        return self.get(name).state

    def reset(self) -> None:
        self.nodes.clear()
        self._before_run.clear()

    def run_started(self, planned: Iterable[str]) -> set[str]:
        """Nodes Hamilton will visit are queued; returns the names that changed."""
        changed = set()
        self._before_run = {}
        for name in planned:
            self._before_run[name] = self.get(name)
            self.nodes[name] = NodeRun(NodeState.QUEUED, signature=self.get(name).signature)
            changed.add(name)
        return changed

    def node_started(self, name: str) -> None:
        self.nodes.setdefault(name, NodeRun()).state = NodeState.RUNNING

    def node_finished(
        self,
        name: str,
        state: NodeState,
        seconds: float | None,
        signature: str | None,
        error: str = "",
        given_by: str = "",
    ) -> None:
        has_result = state not in (NodeState.FAILED, NodeState.INTERRUPTED)
        signature = signature if has_result else None
        self.nodes[name] = NodeRun(state, seconds, signature, error, given_by=given_by)

    def sign_again(self, signatures: Mapping[str, str], names: Iterable[str]) -> None:
        """The results of `names` are kept under these signatures (the files a run read,
        known once it ended, are part of them)."""
        for name in names:
            run = self.nodes.get(name)
            if run is not None and run.signature is not None and name in signatures:
                run.signature = signatures[name]

    def run_ended(self) -> set[str]:
        """Queued or running nodes the run never finished go back to what they were."""
        changed = set()
        for name, run in list(self.nodes.items()):
            if run.state in (NodeState.QUEUED, NodeState.RUNNING):
                self.nodes[name] = self._before_run.get(name, NodeRun())
                changed.add(name)
        self._before_run = {}
        return changed

    def blocked(self, targets: Iterable[str], failed_node: str, error: str) -> set[str]:
        """Requested nodes that a failure upstream kept from running are failed too."""
        changed = set()
        first_line = error.strip().splitlines()[0] if error.strip() else "failed"
        for name in targets:
            if name == failed_node or self.state(name) in _HAS_RESULT:
                continue
            self.nodes[name] = NodeRun(
                NodeState.FAILED,
                error=f"failed upstream: {failed_node} raised {first_line}",
                failed_upstream=failed_node,
            )
            changed.add(name)
        return changed

    def apply_signatures(
        self, signatures: Mapping[str, str], reasons: Mapping[str, str] | None = None
    ) -> set[str]:
        """Mark results whose lineage changed as stale (and un-stale those that match again);
        `reasons`: why, for those whose files changed."""
        changed = set()
        reasons = reasons or {}
        for name, run in list(self.nodes.items()):
            if name not in signatures:
                del self.nodes[name]
                changed.add(name)
                continue
            if run.signature is None or run.state in (NodeState.QUEUED, NodeState.RUNNING):
                continue
            if run.signature != signatures[name]:
                reason = reasons.get(name, "")
                if run.state is not NodeState.STALE or run.stale_reason != reason:
                    run.state, run.stale_reason = NodeState.STALE, reason
                    changed.add(name)
            elif run.state is NodeState.STALE:
                fresh = NodeState.GIVEN if run.given_by else NodeState.DONE
                run.state, run.stale_reason = fresh, ""
                changed.add(name)
        return changed

    def valid_results(self, signatures: Mapping[str, str]) -> set[str]:
        return {
            name
            for name, run in self.nodes.items()
            if run.state in _HAS_RESULT and run.signature == signatures.get(name)
        }


_CARD_PRECEDENCE = (
    NodeState.FAILED,
    NodeState.RUNNING,
    NodeState.INTERRUPTED,
    NodeState.QUEUED,
    NodeState.STALE,
    NodeState.DONE,
    NodeState.REUSED,
    NodeState.GIVEN,
)
"""What a function card shows when its nodes differ: the state that asks most attention."""


def combined_run(named: Mapping[str, NodeRun]) -> NodeRun:
    """One run for the nodes of a function card: the most pressing state, the time all
    of them took, and the first failure's error named by its node."""
    states = {run.state for run in named.values()}
    state = next((s for s in _CARD_PRECEDENCE if s in states), NodeState.NOT_COMPUTED)
    timed = [run.seconds for run in named.values() if run.seconds is not None]
    failed = next(
        ((name, run) for name, run in named.items() if run.state is NodeState.FAILED), None
    )
    error = f"{failed[0]}: {failed[1].error}" if failed is not None and failed[1].error else ""
    return NodeRun(
        state,
        sum(timed) if timed else None,
        error=error,
        failed_upstream=failed[1].failed_upstream if failed is not None else None,
        given_by=next((run.given_by for run in named.values() if run.given_by), ""),
    )
