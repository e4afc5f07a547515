"""The graph as the user sees it over time: the last good snapshot and what changed.

A new snapshot either fails (the last good one stays on screen, with the
errors), keeps the same drawing (only details changed, no new layout
needed), or needs a new drawing. Nodes whose code changed are remembered
until the document is reset (new folder, dataflow or config).
"""

from __future__ import annotations

import enum
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

    @property
    def showing_errors(self) -> bool:
        return bool(self.errors)

    def reset(self) -> None:
        """Forget the past: the next snapshot is drawn afresh, with no change marks."""
        self.snapshot = None
        self.errors = ()
        self.changed = set()

    def accept(self, new: GraphSnapshot, marks: bool = True) -> Update:
        if not new.ok:
            self.errors = new.errors
            return Update(Outcome.FAILED)
        self.errors = ()
        old = self.snapshot
        diff = diff_snapshots(old, new)
        self.snapshot = new
        if old is None:
            return Update(Outcome.FIRST, diff)
        names = {n.name for n in new.nodes}
        self.changed = ((self.changed | diff.code_changed) if marks else self.changed) & names
        return Update(Outcome.SAME_DRAWING if diff.same_drawing else Outcome.REDRAW, diff)
