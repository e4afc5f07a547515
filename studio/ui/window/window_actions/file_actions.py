"""File menu: open a folder (or a recent one, or an example), export the graph, quit."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu

from studio.core.resources import example_to_open
from studio.ui.actions import SEPARATOR, ActionRegistry, MenuEntry, Submenu
from studio.ui.window.window_actions.services import Services

EXAMPLES = ("spaceflights", "decorators")


def declare(actions: ActionRegistry, services: Services) -> None:
    commands, looks = services.commands, services.looks
    add = actions.add
    add(
        "open",
        "Open…",
        commands.choose_folder,
        QKeySequence.StandardKey.Open,
        tip="Open a project folder",
    )
    add("export-png", "Export as &PNG…", looks.export_png, "Ctrl+E", help="export as PNG")
    add("export-svg", "Export as &SVG…", looks.export_svg, "Ctrl+Shift+E", help="export as SVG")
    add("quit", "&Quit", services.parent.close, QKeySequence.StandardKey.Quit, help="quit")


def menu(services: Services) -> list[MenuEntry]:
    commands = services.commands

    def examples(menu: QMenu) -> None:
        for name in EXAMPLES:
            menu.addAction(name, lambda n=name: commands.open_folder(example_to_open(n)))

    return [
        "open",
        Submenu("Open &Recent", commands.fill_recent_menu, dynamic=True),
        Submenu("Open &Example", examples),
        SEPARATOR, "export-png", "export-svg", SEPARATOR, "quit",
    ]  # fmt: skip
