"""Which boxes and edges a selection highlights: the rules of the lineage emphasis.

Selecting nodes shows what they need (upstream) and what uses them
(downstream); everything else dims. The rules work on display keys, so a
collapsed module lights up when one of its members is on the lineage,
and an edge is upstream when both its ends lead to the selection.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass, field

from studio.core.graph.display_graph import DisplayGraph
from studio.core.graph.lineage import GraphIndex


class Emphasis(enum.Enum):
    """How a box or edge stands relative to the current selection."""

    NORMAL = 0
    SELECTED = 1
    UPSTREAM = 2
    DOWNSTREAM = 3
    DIMMED = 4


@dataclass(frozen=True, slots=True)
class LineageEmphasis:
    """The emphasis of every display key and edge for one selection."""

    selected: frozenset[str] = frozenset()
    upstream: frozenset[str] = frozenset()
    downstream: frozenset[str] = frozenset()
    _on_path_up: frozenset[str] = field(default=frozenset(), repr=False)

    @property
    def active(self) -> bool:
        """Whether anything is selected (else every box is normal)."""
        return bool(self.selected)

    def of_key(self, key: str) -> Emphasis:
        if not self.selected:
            return Emphasis.NORMAL
        if key in self.selected:
            return Emphasis.SELECTED
        if key in self.upstream:
            return Emphasis.UPSTREAM
        if key in self.downstream:
            return Emphasis.DOWNSTREAM
        return Emphasis.DIMMED

    def of_edge(self, edge: tuple[str, str]) -> Emphasis:
        if not self.selected:
            return Emphasis.NORMAL
        source, target = edge
        up = self._on_path_up
        if source in up and target in up and target not in self.downstream:
            return Emphasis.UPSTREAM
        if (source in self.downstream or source in self.selected) and target in self.downstream:
            return Emphasis.DOWNSTREAM
        return Emphasis.DIMMED


NOTHING_SELECTED = LineageEmphasis()


def lineage_emphasis(
    display: DisplayGraph | None,
    index: GraphIndex | None,
    selected_keys: Collection[str],
    selected_names: Collection[str],
) -> LineageEmphasis:
    """The emphasis for `selected_keys` (which stand for the graph nodes `selected_names`)."""
    if display is None or index is None or not selected_names:
        return LineageEmphasis(frozenset(selected_keys)) if selected_keys else NOTHING_SELECTED
    names = set(selected_names)
    up = index.upstream(names) - names
    down = index.downstream(names) - names
    owners = display.owner
    selected = frozenset(selected_keys)
    up_keys = frozenset(owners[n] for n in up if n in owners) - selected
    down_keys = frozenset(owners[n] for n in down if n in owners) - selected - up_keys
    return LineageEmphasis(selected, up_keys, down_keys, up_keys | selected)
