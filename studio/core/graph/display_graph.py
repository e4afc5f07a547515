"""What the canvas draws of a graph: function cards, collapsed modules, and focus.

The snapshot holds every node; the display graph is the part the user
chose to see. The nodes one function makes fold into one card (drawn
under its first member's name), a collapsed module becomes one box
standing for its members, and the edges between members and the rest
become edges of the card or box (with a count when several fold into
one). Focus keeps only the
upstream and/or downstream of some nodes, to a depth. Both are pure
functions of the snapshot and the user's choices, so the canvas, the
layout and the tests all agree on what is shown.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from studio.core.graph.function_cards import FunctionCard
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
    """Every shown graph node -> the display key it is drawn under (itself, its function
    card or its module)."""
    hidden: int = 0
    """Graph nodes left out by the focus."""
    cards: dict[str, FunctionCard] = field(default_factory=dict)
    """Folded functions by display key (their first shown member's name)."""
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

    def members(self, key: str) -> tuple[str, ...]:
        """The graph nodes a display key stands for: a card's or a box's, or itself."""
        card = self.cards.get(key)
        if card is not None:
            return card.members
        if key.startswith(MODULE_KEY_PREFIX):
            for module in self.modules:
                if module.key == key:
                    return module.members
            return ()
        return (key,)


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
        tuple((k, c.title, len(c.members), c.validators) for k, c in display.cards.items()),
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


def default_collapsed(
    snapshot: GraphSnapshot, modules: Mapping[str, int] | None = None
) -> set[str]:
    """Modules that start collapsed: the bigger ones, in a big graph (`modules`: its
    `collapsible_modules`, when known already)."""
    if len(snapshot.nodes) <= COLLAPSE_ABOVE:
        return set()
    counts = collapsible_modules(snapshot) if modules is None else modules
    return {m for m, n in counts.items() if n > COLLAPSE_MODULES_OVER}


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
    cards: Mapping[str, FunctionCard] | None = None,
) -> DisplayGraph:
    """The display graph of `snapshot` with `cards` (by origin) and `collapsed` modules
    folded and `focus` applied.

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
    card_of = _card_keys(snapshot, cards or {}, shown, folding)
    for info in snapshot.nodes:
        if shown is not None and info.name not in shown:
            continue
        if info.group in folding and not info.is_external_input:
            members.setdefault(info.group, []).append(info.name)
            owner[info.name] = module_key(info.group)
            continue
        card = card_of.get(info.name)
        if card is None or card[0] == info.name:
            nodes.append(info)
        owner[info.name] = info.name if card is None else card[0]
    counts: dict[tuple[str, str], int] = {}
    for upstream, downstream in snapshot.edges():
        a, b = owner.get(upstream), owner.get(downstream)
        if a is None or b is None or a == b:
            continue
        counts[(a, b)] = counts.get((a, b), 0) + 1
    modules = tuple(CollapsedModule(m, tuple(names)) for m, names in members.items())
    hidden = 0 if shown is None else len(snapshot.nodes) - len(owner)
    drawn_cards = dict(card_of.values())
    return DisplayGraph(tuple(nodes), modules, counts, owner, hidden, drawn_cards)


def _card_keys(
    snapshot: GraphSnapshot,
    cards: Mapping[str, FunctionCard],
    shown: set[str] | None,
    folding: set[str],
) -> dict[str, tuple[str, FunctionCard]]:
    """Each node drawn under a card -> (the card's key, the card with its drawn members).

    A card keeps the members the focus shows and no collapsed module took; one
    left with a single member is drawn as that node.
    """
    if not cards:
        return {}
    groups = {n.name: n.group for n in snapshot.nodes}
    found: dict[str, tuple[str, FunctionCard]] = {}
    for card in cards.values():
        kept = tuple(
            m
            for m in card.members
            if (shown is None or m in shown) and groups.get(m, "") not in folding
        )
        if len(kept) < 2:
            continue
        drawn = (
            card
            if kept == card.members
            else FunctionCard(card.origin, card.title, kept, card.validators)
        )
        for name in kept:
            found[name] = (kept[0], drawn)
    return found
