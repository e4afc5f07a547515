"""The graph as the user sees it over time: the last good snapshot and what changed.

A new snapshot either fails (the last good one stays on screen, with the
errors), keeps the same drawing (only details changed, no new layout
needed), or needs a new drawing. A node is marked changed while its code
version differs from the one it had when the graph first showed it (until
the document is reset: new folder, dataflow or config): an undo that puts
the file back byte for byte takes the mark away.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from studio.core.graph.graph_diff import GraphDiff, diff_snapshots
from studio.core.graph.snapshot import GraphSnapshot, LoadError


class Outcome(enum.Enum):
    FIRST = "first"
    SAME_DRAWING = "same drawing"
    REDRAW = "redraw"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Update:
    outcome: Outcome
    diff: GraphDiff = field(default_factory=GraphDiff)


class GraphDocument:
    def __init__(self) -> None:
        self.snapshot: GraphSnapshot | None = None
        self.errors: tuple[LoadError, ...] = ()
        self.changed: set[str] = set()
        self.first_versions: dict[str, str] = {}
        """Each node's code version when the graph first showed it: the marks' baseline."""

    @property
    def showing_errors(self) -> bool:
        return bool(self.errors)

    def reset(self) -> None:
        """Forget the past: the next snapshot is drawn afresh, with no change marks."""
        self.snapshot = None
        self.errors = ()
        self.changed = set()
        self.first_versions = {}

    def accept(self, new: GraphSnapshot, marks: bool = True) -> Update:
        if not new.ok:
            self.errors = new.errors
            return Update(Outcome.FAILED)
        self.errors = ()
        old = self.snapshot
        diff = diff_snapshots(old, new)
        self.snapshot = new
        self._mark(new, rebase=not marks)
        if old is None:
            return Update(Outcome.FIRST, diff)
        return Update(Outcome.SAME_DRAWING if diff.same_drawing else Outcome.REDRAW, diff)

    def take_versions(self, versions: Mapping[str, str | None]) -> GraphSnapshot | None:
        """The code versions that follow a big first load: the same graph, nothing newly
        marked (they become the baseline of the nodes not marked)."""
        if self.snapshot is None:
            return None
        self.snapshot = self.snapshot.fill_versions(versions)
        self._mark(self.snapshot, rebase=True)
        return self.snapshot

    def _mark(self, snapshot: GraphSnapshot, rebase: bool) -> None:
        """Marks from versions: a node seen first (or, with `rebase`, any unmarked node: the
        graph only became exact) takes its version as its baseline."""
        for node in snapshot.nodes:
            if node.version and (
                node.name not in self.first_versions or (rebase and node.name not in self.changed)
            ):
                self.first_versions[node.name] = node.version
        self.changed = {
            node.name
            for node in snapshot.nodes
            if node.version and self.first_versions.get(node.name, node.version) != node.version
        }
