"""Kernel and Help menus: restart the kernel, pick the interpreter, the shortcuts, about."""

from __future__ import annotations

import html

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

import studio
from studio.ui.actions import ActionRegistry, MenuEntry
from studio.ui.window.window_actions.services import Services

KERNEL_MENU: list[MenuEntry] = ["restart-kernel", "interpreter"]
HELP_MENU: list[MenuEntry] = ["shortcuts", "about"]


def declare(actions: ActionRegistry, services: Services) -> None:
    add = actions.add
    add(
        "restart-kernel",
        "&Restart Kernel",
        services.project_session.restart_kernel,
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
    """The list in a window of its own that scrolls: it is longer than a small screen."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("Keyboard Shortcuts")
    text = QTextBrowser(dialog)
    text.setHtml(shortcuts_html(actions))
    text.document().setTextWidth(520)
    text.setFrameShape(QTextBrowser.Shape.NoFrame)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(text)
    layout.addWidget(buttons)
    screen = (parent.screen() if parent is not None else None) or QApplication.primaryScreen()
    height = int(screen.availableGeometry().height() * 0.8) if screen is not None else 700
    dialog.resize(560, min(height, int(text.document().size().height()) + 80))
    dialog.exec()


def show_about(parent: QWidget) -> None:
    QMessageBox.about(
        parent,
        "About Dataflow Studio",
        f"<b>Dataflow Studio</b> {studio.__version__}<br>"
        "A visual editor for Apache Hamilton dataflows.",
    )
