"""Kernel and Help menus: restart the kernel, pick the interpreter, the shortcuts, about."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QMessageBox, QWidget

from studio import __version__
from studio.ui.actions import ActionRegistry, MenuEntry
from studio.ui.window.window_actions.services import Services

KERNEL_MENU: list[MenuEntry] = ["restart-kernel", "interpreter"]
HELP_MENU: list[MenuEntry] = ["shortcuts", "about"]


def declare(actions: ActionRegistry, services: Services) -> None:
    add = actions.add
    add(
        "restart-kernel",
        "&Restart Kernel",
        services.project.restart_kernel,
        "Ctrl+Shift+R",
        help="restart the kernel",
    )
    add("interpreter", "Project &Interpreter…", services.commands.choose_interpreter)
    parent = services.parent
    add("shortcuts", "&Keyboard Shortcuts", lambda: show_shortcuts(parent, actions))
    add("about", "&About Dataflow Studio", lambda: show_about(parent))


def shortcuts_html(actions: ActionRegistry) -> str:
    """Help › Keyboard Shortcuts: a table with a heading for each scope."""
    parts = []
    for title, rows in actions.sections():
        parts.append(f"<tr><td colspan=2><br><i>{html.escape(title)}</i></td></tr>")
        parts += [
            f"<tr><td><b>{html.escape(keys)}</b>&nbsp;&nbsp;</td><td>{html.escape(does)}</td></tr>"
            for keys, does in rows
        ]
    return f"<table>{''.join(parts)}</table>"


def show_shortcuts(parent: QWidget, actions: ActionRegistry) -> None:
    QMessageBox.information(parent, "Keyboard Shortcuts", shortcuts_html(actions))


def show_about(parent: QWidget) -> None:
    QMessageBox.about(
        parent,
        "About Dataflow Studio",
        f"<b>Dataflow Studio</b> {__version__}<br>A visual editor for Apache Hamilton dataflows.",
    )
