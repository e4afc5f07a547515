"""Progress of a run on threads, processes, Dask or Ray, as the kernel sees it.

Hamilton's task-based execution runs each node as a task somewhere else,
with its node hooks on the worker. The hooks it calls here, in the
kernel, are the task's submission and its return: a node is running from
the one to the other (executors submit no more tasks than they have
workers, so a submitted node is a running one), and its result comes back
with the return. That is what the canvas shows and the runner keeps.
"""

from __future__ import annotations

import time
import types
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from hamilton.lifecycle import GraphExecutionHook, TaskReturnHook, TaskSubmissionHook

from studio.core.protocol import NodeStatus
from studio.kernel.running.progress import ObservedCache, RunListener


@dataclass
class TaskProgress(GraphExecutionHook, TaskSubmissionHook, TaskReturnHook):
    """Reports task submissions and returns as node starts and ends, and keeps results."""

    listener: RunListener | None = None
    cache: ObservedCache | None = None
    results: dict[str, Any] = field(default_factory=dict)
    in_flight: dict[str, float] = field(default_factory=dict)
    given: set[str] = field(default_factory=set)
    """Nodes whose values the run was given (overrides): Hamilton submits them as
    tasks that never return."""
    clock: Callable[[], float] = time.perf_counter

    @property
    def running(self) -> str | None:
        """A node still out when the run stopped (the runner names it)."""
        return next(iter(self.in_flight), None)

    def __reduce__(self) -> tuple[Any, ...]:
        # Sent to workers with every task, where only node hooks run: none of these.
        return (types.SimpleNamespace, ())

    def run_before_graph_execution(
        self, *, execution_path: Collection[str], **future_kwargs: Any
    ) -> None:
        self.in_flight.clear()
        if self.listener is not None:
            self.listener.run_started(list(execution_path))

    def run_after_graph_execution(self, **future_kwargs: Any) -> None:
        """Nothing to do: `in_flight` still names what a stopped run left running."""

    def run_before_task_submission(self, *, nodes: list[Any], **future_kwargs: Any) -> None:
        for node in self._computed(nodes):
            self.in_flight[node.name] = self.clock()
            if self.listener is not None:
                self.listener.node_started(node.name)

    def run_after_task_return(
        self,
        *,
        run_id: str,
        nodes: list[Any],
        result: Any,
        success: bool,
        error: Exception | None,
        **future_kwargs: Any,
    ) -> None:
        returned = result if isinstance(result, dict) else {}
        for node in self._computed(nodes):
            seconds = self.clock() - self.in_flight.pop(node.name, self.clock())
            status = NodeStatus.FAILED
            if success and node.name in returned:
                self.results[node.name] = returned[node.name]
                status = self._status(run_id, node.name)
            if self.listener is not None:
                self.listener.node_finished(node.name, status, seconds, error, None)

    def interrupted(self) -> list[str]:
        """The nodes a stop left running, reported with the time each ran until then; the
        canvas marks them interrupted."""
        return self.unfinished(NodeStatus.INTERRUPTED)

    def unfinished(self, status: NodeStatus, error: BaseException | None = None) -> list[str]:
        """The nodes the run ended in whose end no task reported, reported as `status`."""
        stopped = list(self.in_flight)
        now = self.clock()
        for name, started in self.in_flight.items():
            if self.listener is not None:
                self.listener.node_finished(name, status, now - started, error, None)
        self.in_flight.clear()
        return stopped

    def _computed(self, nodes: list[Any]) -> list[Any]:
        return [
            n for n in nodes if not getattr(n, "user_defined", False) and n.name not in self.given
        ]

    def _status(self, run_id: str, name: str) -> NodeStatus:
        if self.cache is None:
            return NodeStatus.COMPUTED
        known = self.cache.outcome(run_id, name)  # the cache ran here (threads)
        if known is not None:
            return NodeStatus(known)
        return NodeStatus.COMPUTED if self.cache.stored_in(run_id, name) else NodeStatus.REUSED
