"""Edit menu: graph edits rewrite the project's files, and Undo puts the bytes back."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu

from studio.core.model import Workspace
from studio.ui.actions import SEPARATOR, ActionRegistry, MenuEntry
from studio.ui.window.window_actions.services import Services

MENU: list[MenuEntry] = ["undo", "redo", SEPARATOR, "add-node", "rename-node", "remove-node"]

REDO_KEYS = ("Ctrl+Shift+Z", "Ctrl+Y")
"""Explicit keys, not the standard Redo key: on X11 that already holds Ctrl+Shift+Z, and
a key declared twice makes Qt call the shortcut ambiguous and do nothing."""


def declare(actions: ActionRegistry, workspace: Workspace, services: Services) -> None:
    edits, status = services.edits, services.status
    add = actions.add
    add("undo", "&Undo", edits.undo, QKeySequence.StandardKey.Undo)
    add("redo", "&Redo", edits.redo, REDO_KEYS)
    add(
        "add-node",
        "&Add Node…",
        lambda: edits.ask_add(selected_nodes(workspace)),
        "Ctrl+Shift+N",
        tip="Write a new function that takes the selected nodes as parameters",
    )

    def with_one_node(command: Callable[[str], None]) -> None:
        names = selected_nodes(workspace)
        if len(names) != 1:
            status.message("Select one node first (click it on the canvas)", 4000)
            return
        command(names[0])

    add(
        "rename-node",
        "Re&name Node…",
        lambda: with_one_node(edits.ask_rename),
        "F2",
        tip="Rename the selected node, its parameters everywhere and the scripts' references",
        canvas=True,
    )
    add(
        "remove-node",
        "Re&move Node…",
        lambda: with_one_node(edits.ask_remove),
        QKeySequence.StandardKey.Delete,
        tip="Delete the selected node's function (after showing what depends on it)",
        canvas=True,
    )
    actions.gesture("Alt+drag", "from a node onto another: the second takes the first as input")

    def follow_history() -> None:
        history = workspace.edits
        for action_id, text, verb in (
            ("undo", history.undo_text, "Undo"),
            ("redo", history.redo_text, "Redo"),
        ):
            actions[action_id].setEnabled(text is not None)
            actions[action_id].setText(f"&{verb} {text}" if text else f"&{verb}")

    workspace.edits.changed.connect(follow_history)
    follow_history()


def selected_nodes(workspace: Workspace) -> list[str]:
    """The selected nodes that are functions of the project (not external inputs); a
    function card is edited as its function, through the node named like it."""
    snapshot, display = workspace.graph.snapshot, workspace.graph.display
    known = {n.name for n in snapshot.nodes if not n.is_external_input} if snapshot else set()
    cards = display.cards if display is not None else {}
    names: list[str] = []
    for key in workspace.selection.keys:
        names.extend((key,) if key in cards else display.members(key) if display else (key,))
    return [name for name in names if name in known]


def node_entries(workspace: Workspace, services: Services, menu: QMenu, name: str) -> None:
    """A node's context menu: the edits of that node."""
    edits = services.edits
    menu.addSeparator()
    menu.addAction("Add Node Using This…", lambda: edits.ask_add([name]))
    menu.addAction("Rename…", lambda: edits.ask_rename(name))
    snapshot = workspace.graph.snapshot
    info = next((n for n in snapshot.nodes if n.name == name), None) if snapshot else None
    if info is not None and info.dependencies:
        stop = menu.addMenu("Stop Using")
        for dependency in info.dependencies:
            stop.addAction(dependency, lambda d=dependency: edits.disconnect_nodes(d, name))
    menu.addAction("Remove…", lambda: edits.ask_remove(name))
