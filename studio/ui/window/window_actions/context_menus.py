"""The canvas's right-click menus: on a node, a module box, an edge, the background."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMenu

from studio.core.model import Workspace
from studio.ui.actions import SEPARATOR, ActionRegistry
from studio.ui.window.window_actions import edit_actions
from studio.ui.window.window_actions.graph_actions import FOCUS
from studio.ui.window.window_actions.services import Services


class ContextMenus:
    """Builds each menu when asked, from the declared actions and a few one-off entries."""

    def __init__(self, actions: ActionRegistry, workspace: Workspace, services: Services) -> None:
        self.actions = actions
        self.workspace = workspace
        self.services = services

    def canvas(self) -> QMenu:
        """Right-click on the canvas background."""
        return self.actions.context_menu(
            self.services.parent, ["add-node", SEPARATOR, "undo", "redo", SEPARATOR, "fit"]
        )

    def edge(self, source: str, target: str) -> QMenu:
        """Right-click on an edge: remove it (the parameter), or go to either end."""
        commands = self.services.commands
        menu = QMenu(self.services.parent)
        menu.addAction(
            f"Remove Edge {source} → {target}…",
            lambda: self.services.edits.disconnect_nodes(source, target),
        )
        menu.addSeparator()
        menu.addAction(f"Go to {source}", lambda: commands.go_to_node(source))
        menu.addAction(f"Go to {target}", lambda: commands.go_to_node(target))
        return menu

    def node(self, name: str) -> QMenu:
        commands, actions = self.services.commands, self.actions
        menu = actions.context_menu(
            self.services.parent, ["run", "run-downstream", "recompute", SEPARATOR]
        )
        menu.addAction("Show Source", lambda: commands.show_in_inspector(name))
        menu.addAction("Send to Console", lambda: commands.send_to_console(name))
        menu.addAction("Copy Name", lambda: QApplication.clipboard().setText(name))
        actions.fill_menu(menu, [SEPARATOR, *FOCUS])
        snapshot = self.workspace.graph.snapshot
        info = next((n for n in snapshot.nodes if n.name == name), None) if snapshot else None
        card = self.workspace.graph.card_of(name)
        display = self.workspace.graph.display
        if card is not None and display is not None:
            folded = name in display.cards
            text = (
                f"Show the {len(card.members)} Nodes of {card.title}"
                if folded
                else f"Fold into Function Card {card.title}"
            )
            menu.addAction(text, self.services.navigation.toggle_selected_functions)
        if info is not None and info.group and not info.is_external_input:
            menu.addAction(
                f"Collapse Module {info.group}", self.services.navigation.toggle_selected_modules
            )
        if info is not None and not info.is_external_input:
            edit_actions.node_entries(self.workspace, self.services, menu, name)
        return menu

    def module(self, module: str) -> QMenu:
        navigation = self.services.navigation
        menu = QMenu(self.services.parent)
        menu.addAction(f"Expand Module {module}", lambda: navigation.expand_module(module))
        self.actions.fill_menu(
            menu, ["expand-all", SEPARATOR, "run", "run-downstream", SEPARATOR, *FOCUS]
        )
        return menu
