"""The graph on screen: the last good snapshot, what changed, and how it is displayed.

The display choice (function cards or nodes, expanded functions, collapsed
modules, focus, direction, layout engine)
belongs to the graph the user is looking at: a new folder, dataflow or
config resets it; a save keeps it. The display graph itself is derived
from the snapshot and the choice, on demand, and cached until either
changes.

A load's snapshot can be worked out ahead (`prepare`, pure, fit for a
worker thread) and taken in later (`take`): cheaply when nothing changed
meanwhile, worked out again otherwise, so the model stays the one owner
of its state.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial

from studio.core.graph.display_graph import (
    DisplayGraph,
    Focus,
    collapsible_modules,
    derive_display,
)
from studio.core.graph.function_cards import FunctionCard, function_cards
from studio.core.graph.graph_document import GraphDocument, Outcome, Update
from studio.core.graph.lineage import GraphIndex
from studio.core.graph.snapshot import GraphSnapshot, LoadError
from studio.core.layout import Direction
from studio.core.model.events import Event, Evented
from studio.core.model.graph_preparation import ModelState, PreparedGraph, prepare_graph


class DisplayChange(enum.Enum):
    """Why the display graph changed, which tells the canvas how to draw it."""

    FIRST = "first"
    """A graph seen for the first time (new folder, dataflow or config): fit it."""
    REDRAW = "redraw"
    """A save, or collapsed/focus changed: keep the view steady (the drawing may even be
    the same, with new details: then no layout is needed)."""
    RELAYOUT = "relayout"
    """Same graph, another direction or engine: lay it out again and fit it."""


@dataclass(frozen=True, slots=True)
class DisplayUpdate:
    change: DisplayChange
    anchor: str | None = None
    """The node or module key to keep still on screen, when the user's action names one."""


class GraphModel:
    """Owner of the shown graph and the display choice; announces every change."""

    direction = Evented[Direction]()
    """Which way the graph is laid out; a change lays the same graph out again."""
    engine = Evented[str]()
    """The layout engine ("auto", "dot", ...); a change lays the same graph out again."""
    function_view = Evented[bool]()
    """One card per function (True, the default), or Hamilton's nodes one by one."""

    def __init__(self) -> None:
        self.document = GraphDocument()
        self._collapsed: frozenset[str] = frozenset()
        self._focus: Focus | None = None
        self._expanded: frozenset[str] = frozenset()
        self._cards: dict[str, FunctionCard] | None = None
        self._known_modules: frozenset[str] = frozenset()
        self._generation = 0
        """Counts the changes to the graph and its display choice (`prepare`, `take`)."""
        self._display: DisplayGraph | None = None
        self._index: GraphIndex | None = None
        self._modules: tuple[GraphSnapshot, dict[str, int]] | None = None
        """The collapsible modules of the snapshot they were counted for."""
        self.display_changed = Event()
        """(DisplayUpdate): what the canvas draws changed."""
        self.load_failed = Event()
        """(errors, graph_kept): a load failed; the last good graph (if any) stays."""
        self.cleared = Event()
        """The graph was forgotten (another folder, dataflow or config)."""
        self.direction_changed = Event()
        """(Direction)"""
        self.engine_changed = Event()
        """(str)"""
        self.function_view_changed = Event()
        """(bool)"""
        self.direction = Direction.LEFT_RIGHT
        self.engine = "auto"
        self.function_view = True
        self.direction_changed.connect(lambda _direction: self.relayout())
        self.engine_changed.connect(lambda _engine: self.relayout())
        self.function_view_changed.connect(lambda _on: self._redraw(None))

    # -- reading ------------------------------------------------------------------

    @property
    def snapshot(self) -> GraphSnapshot | None:
        return self.document.snapshot

    @property
    def collapsed(self) -> frozenset[str]:
        """Module keys shown as one box (`set_collapsed`)."""
        return self._collapsed

    @property
    def expanded(self) -> frozenset[str]:
        """Origins of the functions shown node by node in the function view."""
        return self._expanded

    @property
    def cards(self) -> dict[str, FunctionCard]:
        """The functions that make several nodes, by origin (folded or not)."""
        if self._cards is None:
            snapshot = self.snapshot
            self._cards = function_cards(snapshot) if snapshot is not None else {}
        return self._cards

    def card_of(self, name: str) -> FunctionCard | None:
        """The function card a node belongs to, if its function makes several."""
        for card in self.cards.values():
            if name in card.members:
                return card
        return None

    @property
    def focus(self) -> Focus | None:
        """The lineage the display is narrowed to (`set_focus`)."""
        return self._focus

    @property
    def changed(self) -> set[str]:
        """Nodes whose code differs from what it was when the graph was first shown."""
        return self.document.changed

    @property
    def errors(self) -> tuple[LoadError, ...]:
        return self.document.errors

    @property
    def display_derived(self) -> bool:
        """The display is worked out already (asking for it is cheap)."""
        return self._display is not None or self.snapshot is None

    @property
    def display(self) -> DisplayGraph | None:
        if self._display is None and self.snapshot is not None:
            folded = (
                {o: c for o, c in self.cards.items() if o not in self._expanded}
                if self.function_view
                else None
            )
            self._display = derive_display(
                self.snapshot,
                self.collapsed,
                self.focus,
                self.index if self.focus is not None else None,
                folded,
            )
        return self._display

    @property
    def index(self) -> GraphIndex | None:
        """Upstream and downstream lookups of the snapshot, built when first asked for."""
        if self._index is None and self.snapshot is not None:
            self._index = GraphIndex(self.snapshot)
        return self._index

    def modules(self) -> dict[str, int]:
        """Modules that can be collapsed, with their node counts (counted once per
        snapshot: every fold or expand asks, 10-25 ms a time at 20,000 nodes)."""
        snapshot = self.snapshot
        if snapshot is None:
            return {}
        if self._modules is None or self._modules[0] is not snapshot:
            self._modules = (snapshot, collapsible_modules(snapshot))
        return dict(self._modules[1])

    # -- loads ----------------------------------------------------------------------

    def clear(self) -> None:
        """Forget the graph and the display choice but the direction and engine."""
        self.document.reset()
        self._collapsed = frozenset()
        self._focus = None
        self._expanded = frozenset()
        self._known_modules = frozenset()
        self._invalidate(index=True)
        self.cleared.emit()

    def accept(self, snapshot: GraphSnapshot, marks: bool = True) -> Update:
        """A load's snapshot: failed (the last good graph stays), same drawing, or new.
        Without `marks`, nothing is marked changed (the graph only became exact)."""
        if not snapshot.ok:
            update = self.document.accept(snapshot, marks)
            self.load_failed.emit(snapshot.errors, self.document.snapshot is not None)
            return update
        return self.take(self.prepare(snapshot, marks)())

    def state(self) -> ModelState:
        """What working out a snapshot reads of the model, as it is now (for
        `prepare_graph` on another thread; `take` what it returns)."""
        document = self.document
        return ModelState(
            self._generation,
            document.snapshot,
            document.first_versions,
            document.changed,
            self._collapsed,
            self._known_modules,
            self._focus,
            self._expanded,
            self.function_view,
        )

    def prepare(self, snapshot: GraphSnapshot, marks: bool = True) -> Callable[[], PreparedGraph]:
        """Working out the good `snapshot` against the state now, as a job that touches
        nothing of the model (run it on any thread, then `take` what it returns)."""
        return partial(prepare_graph, self.state(), snapshot, marks)

    def take(self, prepared: PreparedGraph) -> Update:
        """Take in a prepared snapshot: as prepared when nothing changed since `prepare`,
        worked out again here otherwise."""
        if prepared.state.generation != self._generation:
            return self.take(self.prepare(prepared.snapshot, prepared.marks)())
        update = self.document.take(prepared.accepted)
        self._cards = prepared.cards
        self._collapsed = prepared.collapsed
        self._known_modules = prepared.known_modules
        self._focus = prepared.focus
        self._expanded = prepared.expanded
        self._invalidate()
        self._index = prepared.index
        self._display = prepared.display
        first = update.outcome is Outcome.FIRST
        self._announce(DisplayUpdate(DisplayChange.FIRST if first else DisplayChange.REDRAW))
        return update

    def take_versions(self, versions: Mapping[str, str | None]) -> GraphSnapshot | None:
        """The code versions that follow a big first load: the same graph, so nothing is
        announced (versions are not drawn; who needs them reads the snapshot)."""
        self._generation += 1
        return self.document.take_versions(versions)

    # -- the display choice -------------------------------------------------------------

    def set_collapsed(self, modules: Iterable[str], anchor: str | None = None) -> None:
        """Show exactly `modules` collapsed; `anchor` (a node or module key) stays put."""
        chosen = frozenset(modules) & set(self.modules())
        if chosen != self.collapsed:
            self._collapsed = chosen
            self._invalidate()
            self._announce(DisplayUpdate(DisplayChange.REDRAW, anchor))

    def collapse(self, module: str, anchor: str | None = None) -> None:
        self.set_collapsed(self.collapsed | {module}, anchor)

    def expand(self, module: str, anchor: str | None = None) -> None:
        self.set_collapsed(self.collapsed - {module}, anchor)

    def set_expanded(self, origins: Iterable[str], anchor: str | None = None) -> None:
        """Show exactly the functions `origins` node by node; `anchor` stays put."""
        chosen = frozenset(origins) & set(self.cards)
        if chosen != self._expanded:
            self._expanded = chosen
            self._redraw(anchor)

    def set_focus(self, focus: Focus | None, anchor: str | None = None) -> None:
        if focus is not None and not focus.roots:
            focus = None
        if focus != self.focus:
            self._focus = focus
            self._invalidate()
            self._announce(DisplayUpdate(DisplayChange.REDRAW, anchor))

    def set_direction(self, direction: Direction) -> None:
        self.direction = direction

    def relayout(self) -> None:
        """Lay the same graph out again (and fit it)."""
        self._announce(DisplayUpdate(DisplayChange.RELAYOUT))

    def set_engine(self, engine: str) -> None:
        self.engine = engine

    # -- internals ----------------------------------------------------------------------

    def _redraw(self, anchor: str | None) -> None:
        self._invalidate()
        self._announce(DisplayUpdate(DisplayChange.REDRAW, anchor))

    def _invalidate(self, index: bool = False) -> None:
        self._generation += 1
        self._display = None
        if index:
            self._index = None
            self._cards = None

    def _announce(self, update: DisplayUpdate) -> None:
        if self.snapshot is not None:
            self.display_changed.emit(update)
