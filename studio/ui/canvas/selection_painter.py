"""The selection on the canvas, both ways, and the lineage emphasis it brings.

A click or a rubber band on the canvas becomes the selection model's
selection; a selection made elsewhere (search, the inspector's links)
selects the items. Either way every item gets the emphasis that the
rules of `studio.core.graph.emphasis` give it, and search hits are marked.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from studio.core.graph.display_graph import module_key, module_of_key
from studio.core.graph.emphasis import NOTHING_SELECTED, LineageEmphasis, lineage_emphasis
from studio.core.model import Workspace
from studio.ui.canvas.items.module_item import ModuleItem
from studio.ui.canvas.items.node_item import NodeItem

if TYPE_CHECKING:
    from PySide6.QtWidgets import QGraphicsItem

    from studio.ui.canvas.scene import GraphScene


class SelectionPainter(QObject):
    def __init__(self, scene: GraphScene, workspace: Workspace) -> None:
        super().__init__(scene)
        self.scene = scene
        self.selection = workspace.selection
        self.graph = workspace.graph
        self.current: LineageEmphasis = NOTHING_SELECTED
        self._items_focused = False
        self.applying = False
        """True while the canvas itself changes which items are selected."""
        scene.selectionChanged.connect(self._on_items_selected)
        self.selection.changed.connect(self.apply_selection)
        self.selection.search_changed.connect(self.apply_search_hits)

    def select_quietly(self, item: QGraphicsItem) -> None:
        """Select a new item that the model already has selected."""
        self.applying = True
        try:
            item.setSelected(True)
        finally:
            self.applying = False

    def _on_items_selected(self) -> None:
        """The user clicked or dragged: the items' selection becomes the model's."""
        if self.applying:
            return
        try:
            items = self.scene.selectedItems()
        except RuntimeError:  # the scene is being destroyed
            return
        keys = []
        for item in items:
            if isinstance(item, NodeItem):
                keys.append(item.name)
            elif isinstance(item, ModuleItem):
                keys.append(item.key)
        kept = [k for k in self.selection.keys if k in keys]
        self.selection.set_keys([*kept, *(k for k in keys if k not in kept)])

    def apply_selection(self) -> None:
        """The model's selection changed: select exactly those items, and emphasise."""
        scene = self.scene
        wanted = set(self.selection.keys)
        self.applying = True
        scene.blockSignals(True)
        try:
            for item in scene.selectedItems():
                key = item.name if isinstance(item, NodeItem) else getattr(item, "key", None)
                if key not in wanted:
                    item.setSelected(False)
            for key in wanted:
                found = scene.item_for_key(key)
                if found is not None and not found.isSelected():
                    found.setSelected(True)
        finally:
            scene.blockSignals(False)
            self.applying = False
        self.compute()
        self.apply()

    def compute(self) -> None:
        """The emphasis of the drawn keys for the current selection."""
        drawn = self.scene.drawn
        names: list[str] = []
        for key in self.selection.keys:
            names.extend(drawn.members(key) if drawn is not None else (key,))
        index = self.graph.index if names else None
        self.current = lineage_emphasis(drawn, index, self.selection.keys, names)

    def apply(self) -> None:
        """Every item's emphasis (nothing to do while nothing is or was selected)."""
        was_focused = self._items_focused
        self._items_focused = self.current.active
        scene = self.scene
        if was_focused or self._items_focused:
            emphasis = self.current
            hits = self.selection.search_hits
            for name, item in scene.nodes.items():
                item.set_emphasis(emphasis.of_key(name))
                item.set_search_hit(scene.any_hit(name, hits))
            for module, box in scene.modules.items():
                box.set_emphasis(emphasis.of_key(module_key(module)))
            for key, edge in scene.edges.items():
                edge.set_emphasis(emphasis.of_edge(key))
        scene.overview.schedule_restyle()

    def apply_search_hits(self) -> None:
        scene = self.scene
        hits = self.selection.search_hits
        for name, item in scene.nodes.items():
            item.set_search_hit(scene.any_hit(name, hits))
        owners = scene.drawn.owner if scene.drawn else {}
        per_module = Counter(module_of_key(owners[n]) for n in hits if n in owners)
        for module, box in scene.modules.items():
            box.set_search_hits(per_module.get(module, 0))
        scene.overview.schedule_restyle()
