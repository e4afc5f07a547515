"""What the canvas draws of a graph: collapsed modules as single boxes, and focus.

The snapshot holds every node; the display graph is the part the user
chose to see. A collapsed module becomes one box standing for its
members, and the edges between its members and the rest become edges of
the box (with a count when several fold into one). Focus keeps only the
upstream and/or downstream of some nodes, to a depth. Both are pure
functions of the snapshot and the user's choices, so the canvas, the
layout and the tests all agree on what is shown.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass, field

from studio.core.graph.lineage import GraphIndex
from studio.core.graph.snapshot import GraphSnapshot, NodeInfo

MODULE_KEY_PREFIX = "module:"
"""Display keys of collapsed modules start with this (never a valid node name)."""

COLLAPSE_ABOVE = 400
"""Graphs with more nodes than this open with their bigger modules collapsed."""
COLLAPSE_MODULES_OVER = 12
"""...those with more nodes than this."""


class FocusDirection(enum.StrEnum):
    UPSTREAM = "upstream"
    DOWNSTREAM = "downstream"
    BOTH = "both"


@dataclass(frozen=True, slots=True)
class Focus:
    """Show only what `roots` depend on and/or what depends on them, `depth` steps away."""

    roots: frozenset[str]
    direction: FocusDirection = FocusDirection.BOTH
    depth: int | None = None
    """1, 2, ... edges away; None for all the way."""

    def describe(self) -> str:
        what = {
            FocusDirection.UPSTREAM: "upstream",
            FocusDirection.DOWNSTREAM: "downstream",
            FocusDirection.BOTH: "upstream and downstream",
        }[self.direction]
        reach = "all levels" if self.depth is None else f"depth {self.depth}"
        roots = sorted(self.roots)
        named = roots[0] if len(roots) == 1 else f"{len(roots)} nodes"
        return f"Only the {what} of {named} ({reach})"


@dataclass(frozen=True, slots=True)
class CollapsedModule:
    module: str
    members: tuple[str, ...]
    """The module's nodes standing behind the box (those the focus lets through)."""

    @property
    def key(self) -> str:
        return module_key(self.module)


@dataclass(frozen=True, slots=True)
class DisplayGraph:
    nodes: tuple[NodeInfo, ...]
    """Nodes drawn on their own."""
    modules: tuple[CollapsedModule, ...] = ()
    edge_counts: dict[tuple[str, str], int] = field(default_factory=dict)
    """Edges between display keys, with how many graph edges each stands for."""
    owner: dict[str, str] = field(default_factory=dict)
    """Every shown graph node -> the display key it is drawn under (itself or its module)."""
    hidden: int = 0
    """Graph nodes left out by the focus."""
    _drawing_key: tuple[object, ...] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def edges(self) -> list[tuple[str, str]]:
        return list(self.edge_counts)

    @property
    def keys(self) -> list[str]:
        return [n.name for n in self.nodes] + [m.key for m in self.modules]

    def key_of(self, name: str) -> str | None:
        return self.owner.get(name)


def drawing_key(display: DisplayGraph) -> tuple[object, ...]:
    """Everything the layout depends on: equal keys, same drawing (worked out once per
    display: a save compares the new one with the one drawn)."""
    if display._drawing_key is None:
        object.__setattr__(display, "_drawing_key", _drawing_key(display))
    return display._drawing_key  # type: ignore[return-value]


def _drawing_key(display: DisplayGraph) -> tuple[object, ...]:
    return (
        tuple(
            (n.name, n.type, n.kind, None if n.is_external_input else n.group)
            for n in display.nodes
        ),
        tuple((m.module, len(m.members)) for m in display.modules),
        tuple(display.edge_counts.items()),
    )


def module_key(module: str) -> str:
    return MODULE_KEY_PREFIX + module


def module_of_key(key: str) -> str | None:
    return key[len(MODULE_KEY_PREFIX) :] if key.startswith(MODULE_KEY_PREFIX) else None


def collapsible_modules(snapshot: GraphSnapshot) -> dict[str, int]:
    """Modules that can fold into a box, with their node counts (inputs belong to none)."""
    counts: dict[str, int] = {}
    for info in snapshot.nodes:
        if info.group is not None and not info.is_external_input:
            counts[info.group] = counts.get(info.group, 0) + 1
    return counts


def default_collapsed(snapshot: GraphSnapshot) -> set[str]:
    """Modules that start collapsed: the bigger ones, in a big graph."""
    if len(snapshot.nodes) <= COLLAPSE_ABOVE:
        return set()
    return {m for m, n in collapsible_modules(snapshot).items() if n > COLLAPSE_MODULES_OVER}


def focus_members(index: GraphIndex, focus: Focus) -> set[str]:
    roots = {r for r in focus.roots if r in index.parents}
    shown = set(roots)
    if focus.direction in (FocusDirection.UPSTREAM, FocusDirection.BOTH):
        shown |= index.upstream(roots, focus.depth)
    if focus.direction in (FocusDirection.DOWNSTREAM, FocusDirection.BOTH):
        shown |= index.downstream(roots, focus.depth)
    return shown


def derive_display(
    snapshot: GraphSnapshot,
    collapsed: Collection[str] = (),
    focus: Focus | None = None,
    index: GraphIndex | None = None,
) -> DisplayGraph:
    """The display graph of `snapshot` with `collapsed` modules folded and `focus` applied.

    A module holding a focus root stays open, so the nodes the user
    focused on are always drawn on their own.
    """
    shown: set[str] | None = None
    keep_open: set[str] = set()
    if focus is not None and focus.roots:
        shown = focus_members(index or GraphIndex(snapshot), focus)
        keep_open = {
            info.group for info in snapshot.nodes if info.name in focus.roots and info.group
        }
    folding = set(collapsed) - keep_open
    nodes: list[NodeInfo] = []
    members: dict[str, list[str]] = {}
    owner: dict[str, str] = {}
    for info in snapshot.nodes:
        if shown is not None and info.name not in shown:
            continue
        if info.group in folding and not info.is_external_input:
            members.setdefault(info.group, []).append(info.name)
            owner[info.name] = module_key(info.group)
        else:
            nodes.append(info)
            owner[info.name] = info.name
    counts: dict[tuple[str, str], int] = {}
    for upstream, downstream in snapshot.edges():
        a, b = owner.get(upstream), owner.get(downstream)
        if a is None or b is None or a == b:
            continue
        counts[(a, b)] = counts.get((a, b), 0) + 1
    modules = tuple(CollapsedModule(m, tuple(names)) for m, names in members.items())
    hidden = 0 if shown is None else len(snapshot.nodes) - len(owner)
    return DisplayGraph(tuple(nodes), modules, counts, owner, hidden)
