"""Taking a load's snapshot in, worked out ahead: diff, marks, cards, modules, display.

At 20,000 nodes, working out what a new snapshot changes (the diff and
the change marks, the function cards, which modules start collapsed, the
display graph) takes a quarter of a second. All of it is a pure function
of the snapshot and of the graph model's state when the load came back,
so `prepare_graph` can run on a worker thread; the model then takes the
result in one cheap step (`GraphModel.take`), or works it out again when
its state changed meanwhile (the state's `generation` tells).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from studio.core.graph.display_graph import (
    DisplayGraph,
    Focus,
    collapsible_modules,
    default_collapsed,
    derive_display,
)
from studio.core.graph.function_cards import FunctionCard, function_cards
from studio.core.graph.graph_document import Accepted, work_out
from studio.core.graph.lineage import GraphIndex
from studio.core.graph.snapshot import GraphSnapshot


@dataclass(frozen=True, slots=True)
class ModelState:
    """What of the graph model a preparation reads: values the model replaces, never
    changes in place, so a worker thread can read them while the model moves on."""

    generation: int
    """The model's count of changes when this was read (`GraphModel.take` compares)."""
    snapshot: GraphSnapshot | None
    first_versions: Mapping[str, str]
    changed: set[str]
    collapsed: frozenset[str]
    known_modules: frozenset[str]
    focus: Focus | None
    expanded: frozenset[str]
    function_view: bool


@dataclass(frozen=True, slots=True)
class PreparedGraph:
    """A good snapshot worked out against a `ModelState`, ready for `GraphModel.take`."""

    state: ModelState
    marks: bool
    accepted: Accepted
    cards: dict[str, FunctionCard]
    collapsed: frozenset[str]
    known_modules: frozenset[str]
    focus: Focus | None
    expanded: frozenset[str]
    index: GraphIndex | None
    """Built when the focus needs it for the display (otherwise when first asked for)."""
    display: DisplayGraph

    @property
    def snapshot(self) -> GraphSnapshot:
        return self.accepted.snapshot


def prepare_graph(state: ModelState, snapshot: GraphSnapshot, marks: bool) -> PreparedGraph:
    """Everything taking the good `snapshot` into a model in `state` works out: modules
    seen for the first time start collapsed when the graph is big, gone modules, focus
    roots and expanded functions are dropped, and the display is derived."""
    accepted = work_out(state.snapshot, state.first_versions, state.changed, snapshot, marks)
    cards = function_cards(snapshot)
    counts = collapsible_modules(snapshot)
    modules = set(counts)
    new = modules - state.known_modules
    collapsed = set(state.collapsed)
    if new:
        collapsed |= default_collapsed(snapshot, counts) & new
    focus = state.focus
    if focus is not None:
        roots = focus.roots & {n.name for n in snapshot.nodes}
        if roots != focus.roots:
            focus = Focus(roots, focus.direction, focus.depth) if roots else None
    expanded = state.expanded & frozenset(cards)
    index = GraphIndex(snapshot) if focus is not None else None
    folded = {o: c for o, c in cards.items() if o not in expanded} if state.function_view else None
    chosen = frozenset(collapsed & modules)
    display = derive_display(snapshot, chosen, focus, index, folded)
    return PreparedGraph(
        state,
        marks,
        accepted,
        cards,
        chosen,
        state.known_modules | modules,
        focus,
        expanded,
        index,
        display,
    )
