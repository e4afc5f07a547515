"""Finding one's way around a big graph: collapsed modules, focus, the minimap, search.

The choices themselves (which modules are collapsed, what the view is
focused on) live in the graph model, which derives the drawing from
them; this object turns keys, menus and clicks into those choices and
keeps the focus bar, the minimap and the search field in step.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from studio.core.graph.display_graph import Focus, FocusDirection, module_key, module_of_key
from studio.core.graph.search import match_names
from studio.core.graph.snapshot import GraphSnapshot
from studio.core.model import Workspace
from studio.ui.actions import ActionRegistry
from studio.ui.canvas.focus_bar import FocusBar
from studio.ui.canvas.minimap import Minimap
from studio.ui.canvas.scene import GraphScene
from studio.ui.canvas.view import GraphView
from studio.ui.project.graph_controller import GraphController
from studio.ui.theme import Theme


class CanvasNavigation(QObject):
    message = Signal(str)
    """A short note for the status bar."""
    went_to_node = Signal(str)
    """A node was brought into view and selected."""

    def __init__(
        self,
        view: GraphView,
        workspace: Workspace,
        controller: GraphController,
        search_field: QLineEdit,
        search_count: QLabel,
        theme: Theme,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.view = view
        self.scene: GraphScene = view.graph_scene()
        self.graph = workspace.graph
        self.selection = workspace.selection
        self.search_field = search_field
        self.search_count = search_count
        self.focus_bar = FocusBar(theme, view)
        self.minimap = Minimap(view, theme)
        view.add_overlay(self.focus_bar, Qt.Edge.TopEdge)
        self.depth: int | None = None
        """Depth for the next focus (the focus bar and the 1, 2, 0 keys change it)."""
        self.search_matches: list[str] = []
        self.search_index = -1
        self._pending_go_to: str | None = None
        self._pending_region: str | None = None
        self.actions: ActionRegistry | None = None
        self.above_focus_bar: QWidget | None = None
        """An overlay along the top of the canvas (the message bar) the focus bar goes under."""
        self.focus_bar.direction_chosen.connect(self.focus_direction)
        self.focus_bar.depth_chosen.connect(self.set_depth)
        self.focus_bar.cleared.connect(self.show_whole_graph)
        controller.graph_shown.connect(self._on_graph_shown)
        self.graph.display_changed.connect(lambda _update: self._update_focus_bar())
        self.graph.cleared.connect(self._update_focus_bar)
        self.scene.module_activated.connect(self.expand_module)
        self.scene.function_expand_requested.connect(self.expand_function)
        self.scene.filled.connect(self.minimap.refresh)
        self.search_field.textChanged.connect(self._on_search_text)
        self.search_field.returnPressed.connect(self.next_match)

    def bind(self, actions: ActionRegistry) -> None:
        """The registry holding the depth and minimap actions, whose check marks follow."""
        self.actions = actions

    def toggle_minimap(self) -> None:
        enabled = self.actions["minimap"].isChecked() if self.actions else True
        self.minimap.set_enabled(enabled)

    # -- modules --------------------------------------------------------------

    def toggle_selected_modules(self) -> None:
        """Expand the selected module boxes, or collapse the modules of the selected nodes."""
        keys = list(self.selection.keys)
        boxes = [m for m in (module_of_key(k) for k in keys) if m is not None]
        if boxes:
            self._pending_region = boxes[0] if len(boxes) == 1 else None
            self.graph.set_collapsed(self.graph.collapsed - set(boxes), anchor=module_key(boxes[0]))
            return
        snapshot = self.graph.snapshot
        modules = set()
        if snapshot is not None:
            by_name = {n.name: n for n in snapshot.nodes}
            modules = {
                by_name[k].group
                for k in keys
                if k in by_name and by_name[k].group and not by_name[k].is_external_input
            }
        if not modules:
            self.message.emit("Select a node of the module to collapse, or a module box.")
            return
        self.graph.set_collapsed(self.graph.collapsed | {m for m in modules if m}, anchor=keys[0])

    # -- function cards ---------------------------------------------------------

    def toggle_selected_functions(self) -> None:
        """Show the selected function cards node by node, or fold the selected nodes back
        into their function's card."""
        graph = self.graph
        display = graph.display
        keys = list(self.selection.keys)
        if display is None or not keys:
            self.message.emit("Select a function card, or a node of an expanded function.")
            return
        cards = [display.cards[k] for k in keys if k in display.cards]
        if cards:
            if not graph.function_view:
                graph.function_view = True
            graph.set_expanded(graph.expanded | {c.origin for c in cards}, anchor=cards[0].key)
            return
        folding = {c.origin for c in (graph.card_of(k) for k in keys) if c is not None}
        if not folding:
            self.message.emit(f"{keys[0]} is the only node of its function.")
            return
        if not graph.function_view:
            graph.set_expanded(set(graph.cards) - folding)
            graph.function_view = True
        else:
            graph.set_expanded(graph.expanded - folding)
        card = graph.cards[next(iter(folding))]
        self.selection.select_nodes([card.key])

    def expand_function(self, key: str) -> None:
        """Show the nodes of the function card drawn as `key`, in place."""
        display = self.graph.display
        card = display.cards.get(key) if display is not None else None
        if card is not None:
            self.graph.set_expanded(self.graph.expanded | {card.origin}, anchor=key)

    def toggle_function_view(self) -> None:
        """Function cards (one per function) or Hamilton's nodes one by one."""
        self.graph.function_view = not self.graph.function_view

    def expand_module(self, module: str) -> None:
        """Open a module box; its region is then shown whole (zoomed out if need be)."""
        self._pending_region = module
        self.graph.expand(module, anchor=module_key(module))

    def collapse_all(self) -> None:
        selected = self.selection.keys
        self.graph.set_collapsed(self.graph.modules(), anchor=selected[0] if selected else None)

    def expand_all(self) -> None:
        selected = self.selection.keys
        self.graph.set_collapsed(set(), anchor=selected[0] if selected else None)

    # -- focus ----------------------------------------------------------------

    def focus_direction(self, direction: FocusDirection) -> None:
        """Show only the lineage of the selection (or of the current focus) that way."""
        roots = frozenset(self.selection.names())
        if not roots and self.graph.focus is not None:
            roots = self.graph.focus.roots
        if not roots:
            self.message.emit("Select the nodes to focus on first.")
            return
        anchor = list(self.selection.keys[:1]) or sorted(roots)[:1]
        self.graph.set_focus(Focus(roots, direction, self.depth), anchor=anchor[0])

    def set_depth(self, depth: int | None) -> None:
        self.depth = depth
        if self.actions is not None:
            self.actions[f"depth-{'all' if depth is None else depth}"].setChecked(True)
        focus = self.graph.focus
        if focus is not None:
            self.graph.set_focus(
                Focus(focus.roots, focus.direction, depth), anchor=self._focus_anchor()
            )
        else:
            self.message.emit(
                f"Focus depth: {'all levels' if depth is None else depth} "
                "(U, D or L to focus on the selection)"
            )

    def show_whole_graph(self) -> bool:
        """Leave the focus; False when there was none."""
        if self.graph.focus is None:
            return False
        self.graph.set_focus(None, anchor=self._focus_anchor())
        return True

    def _focus_anchor(self) -> str | None:
        selected = self.selection.keys
        if selected:
            return selected[0]
        focus = self.graph.focus
        return sorted(focus.roots)[0] if focus and focus.roots else None

    def _update_focus_bar(self) -> None:
        """Without a focus, the bar hides and the display is not derived for it (at
        20,000 nodes 50 ms of the change that asked; the drawing derives it next turn)."""
        focus = self.graph.focus
        display = self.graph.display if focus is not None else None
        hidden = display.hidden if display is not None else 0
        self.focus_bar.show_focus(focus, hidden)
        self.place_overlays()

    # -- going to a node --------------------------------------------------------

    def go_to_node(self, name: str) -> None:
        """Select `name` and bring it into view, opening its module or the focus if needed."""
        display = self.graph.display
        if display is None:
            return
        key = display.key_of(name)
        if key is None:
            if self.graph.focus is not None and self._in_graph(name):
                self._pending_go_to = name
                self.graph.set_focus(None)
            return
        module = module_of_key(key)
        if module is not None:
            self._pending_go_to = name
            self.graph.expand(module, anchor=key)
            return
        self.selection.select_nodes([name])
        self.view.centre_on_node(name)
        self.went_to_node.emit(name)

    def _in_graph(self, name: str) -> bool:
        snapshot = self.graph.snapshot
        return snapshot is not None and any(n.name == name for n in snapshot.nodes)

    def _on_graph_shown(self, snapshot: GraphSnapshot, first: bool) -> None:
        self._update_focus_bar()
        QTimer.singleShot(0, self.minimap.refresh)
        pending, self._pending_go_to = self._pending_go_to, None
        if pending is not None and pending in self.scene.nodes:
            self.go_to_node(pending)
        region, self._pending_region = self._pending_region, None
        layout = self.scene.geometry.layout
        if region is not None and layout is not None and region in layout.regions and not pending:
            target = QRectF(*layout.regions[region]).translated(self.scene.geometry.offset)
            if not self.view.visible_scene_rect().contains(target):
                self.view.fit_rect(target)
        if self.search_field.text():
            self._on_search_text(self.search_field.text(), move=False)

    # -- search ---------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_field.setFocus()
        self.search_field.selectAll()

    def _on_search_text(self, text: str, move: bool = True) -> None:
        snapshot = self.graph.snapshot
        names = [n.name for n in snapshot.nodes] if snapshot is not None else []
        self.search_matches = match_names(names, text)
        self.search_index = 0 if self.search_matches else -1
        self.selection.set_search_hits(self.search_matches)
        self._show_count()
        if move and self.search_matches:
            self.view.centre_on_node(self.search_matches[0])

    def next_match(self) -> None:
        """Enter in the search field: go on to the next match.

        A match inside a collapsed module (or hidden by the focus) is first
        revealed where it is, so no match is ever skipped unseen.
        """
        if not self.search_matches:
            return
        current = self.search_matches[self.search_index]
        display = self.graph.display
        revealed = display is not None and display.key_of(current) == current
        if revealed:
            self.search_index = (self.search_index + 1) % len(self.search_matches)
        self._show_count()
        self.go_to_node(self.search_matches[self.search_index])

    def _show_count(self) -> None:
        if self.search_index < 0:
            self.search_count.setText("no match" if self.search_field.text() else "")
            return
        self.search_count.setText(f"{self.search_index + 1} of {len(self.search_matches)}")

    # -- overlays -------------------------------------------------------------

    def place_overlays(self) -> None:
        viewport = self.view.viewport()
        if self.focus_bar.isVisible():
            above = self.above_focus_bar
            top = above.geometry().bottom() + 1 if above and above.isVisible() else 0
            self.focus_bar.adjustSize()
            self.focus_bar.move((viewport.width() - self.focus_bar.width()) // 2, top + 10)
        self.minimap.refresh()

    def set_theme(self, theme: Theme) -> None:
        self.focus_bar.set_theme(theme)
        self.minimap.set_theme(theme)
