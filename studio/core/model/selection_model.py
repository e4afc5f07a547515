"""What the user selected and what the search found.

Selection is kept as display keys (a node's name, or a collapsed
module's key), the things the user can click; `names` resolves them to
graph nodes (a function card or a collapsed module stands for its members). Search hits are
graph node names.
"""

from __future__ import annotations

from collections.abc import Iterable

from studio.core.model.events import Event
from studio.core.model.graph_model import GraphModel


class SelectionModel:
    def __init__(self, graph: GraphModel) -> None:
        self.graph = graph
        self._keys: tuple[str, ...] = ()
        self._search_hits: frozenset[str] = frozenset()
        self.changed = Event()
        """The selection changed."""
        self.search_changed = Event()
        """The search hits changed."""
        graph.cleared.connect(self.clear)
        graph.display_changed.connect(lambda _update: self._drop_missing())

    @property
    def keys(self) -> tuple[str, ...]:
        """The selected display keys (`set_keys`, `select_nodes`)."""
        return self._keys

    @property
    def search_hits(self) -> frozenset[str]:
        """Graph node names the search found (`set_search_hits`)."""
        return self._search_hits

    def set_keys(self, keys: Iterable[str]) -> None:
        keys = tuple(dict.fromkeys(keys))
        if keys != self.keys:
            self._keys = keys
            self.changed.emit()

    def select_nodes(self, names: Iterable[str]) -> None:
        """Select graph nodes: those drawn under a collapsed module select the module."""
        display = self.graph.display
        owners = display.owner if display is not None else {}
        self.set_keys(owners.get(name, name) for name in names)

    def clear(self) -> None:
        self.set_keys(())
        self.set_search_hits(())

    def names(self) -> list[str]:
        """Graph nodes the selection stands for (a function card or a collapsed module: all
        its members)."""
        display = self.graph.display
        if display is None:
            return list(self.keys)
        found: list[str] = []
        for key in self.keys:
            found.extend(display.members(key))
        return found

    def lead(self) -> str | None:
        """The one graph node the panels show: the one selected node, or the node a
        selected function card is named after (None for several, or a module box)."""
        display = self.graph.display
        if len(self.keys) != 1:
            return None
        key = self.keys[0]
        if display is not None and key in display.cards:
            return display.cards[key].key
        names = self.names()
        return names[0] if len(names) == 1 else None

    def set_search_hits(self, names: Iterable[str]) -> None:
        display = self.graph.display
        owners = display.owner if display is not None else {}
        hits = frozenset(names) & frozenset(owners)
        if hits != self.search_hits:
            self._search_hits = hits
            self.search_changed.emit()

    def _drop_missing(self) -> None:
        """Keys that the new display no longer shows leave the selection. With none, the
        display is left for the drawing to derive, in a turn of its own (derived here, at
        20,000 nodes it took 50 ms of the change that asked for it)."""
        if not self.keys:
            return
        display = self.graph.display
        if display is None:
            return
        shown = set(display.keys)
        kept = tuple(k for k in self.keys if k in shown)
        if kept != self.keys:
            self.set_keys(kept)
