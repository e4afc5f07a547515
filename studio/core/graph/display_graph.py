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
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from itertools import compress
from operator import eq, itemgetter, ne

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
    infos = snapshot.nodes if shown is None else [i for i in snapshot.nodes if i.name in shown]
    names = [info.name for info in infos]
    # At 20,000 nodes, a Python loop per node and per edge took 20-60 ms of the GUI
    # thread on every fold or expand: the maps are built by C-level calls instead.
    owner = dict(zip(names, names, strict=True))
    members: dict[str, list[str]] = {}
    if folding:
        for info in infos:
            if info.group in folding and not info.is_external_input:
                members.setdefault(info.group, []).append(info.name)
                owner[info.name] = module_key(info.group)
    card_of = _card_keys(snapshot, cards or {}, shown, folding)
    if card_of:
        keys = zip(card_of, map(itemgetter(0), card_of.values()), strict=True)
        if owner.keys() >= card_of.keys():
            owner.update(keys)
        else:  # cards of nodes the snapshot lacks
            owner.update((name, key) for name, key in keys if name in owner)
    nodes = tuple(compress(infos, map(eq, names, map(owner.__getitem__, names))))
    counts = _edge_counts(snapshot, owner)
    modules = tuple(CollapsedModule(m, tuple(folded)) for m, folded in members.items())
    hidden = 0 if shown is None else len(snapshot.nodes) - len(owner)
    drawn_cards = dict(card_of.values())
    return DisplayGraph(nodes, modules, counts, owner, hidden, drawn_cards)


def _edge_counts(snapshot: GraphSnapshot, owner: dict[str, str]) -> dict[tuple[str, str], int]:
    """The edges between the display keys `owner` gives the graph's nodes, each with how
    many graph edges it stands for (none inside one key, none to a node not shown)."""
    edges = list(snapshot.edges())
    if not edges:
        return {}
    upstream, downstream = zip(*edges, strict=True)
    sources = list(map(owner.get, upstream))
    targets = list(map(owner.get, downstream))
    pairs = compress(zip(sources, targets, strict=True), map(ne, sources, targets))
    if None in sources or None in targets:
        pairs = (pair for pair in pairs if None not in pair)
    return dict(Counter(pairs))


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
    # Nodes a collapsed module takes (a card keeps none of them).
    taken = {n.name for n in snapshot.nodes if n.group in folding} if folding else set()
    found: dict[str, tuple[str, FunctionCard]] = {}
    for card in cards.values():
        if shown is None and taken.isdisjoint(card.members):
            kept = card.members
        else:
            kept = tuple(
                m for m in card.members if (shown is None or m in shown) and m not in taken
            )
        if len(kept) < 2:
            continue
        drawn = (
            card
            if kept == card.members
            else FunctionCard(card.origin, card.title, kept, card.validators)
        )
        found.update(dict.fromkeys(kept, (kept[0], drawn)))
    return found
