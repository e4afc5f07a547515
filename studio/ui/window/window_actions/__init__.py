"""The main window's commands, by menu, and where they appear: menus, toolbar, context menus.

Every command is declared once (see `studio.ui.actions`) by the module
of its menu; `declare` runs them all, `menus` and `toolbar` place them
by id, and Help › Keyboard Shortcuts lists them from the same
declarations. The declarations get the workspace and `Services`, never
the window.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QMenu, QSizePolicy, QToolBar, QWidget

from studio.core.model import Workspace
from studio.ui.actions import SEPARATOR, ActionRegistry
from studio.ui.window.window_actions import (
    edit_actions,
    file_actions,
    graph_actions,
    kernel_actions,
    panel_actions,
    run_actions,
    view_actions,
)
from studio.ui.window.window_actions.services import Services

__all__ = ["Services", "declare", "menus", "toolbar"]


def declare(actions: ActionRegistry, workspace: Workspace, services: Services) -> None:
    """Every command of the window, with its handler."""
    file_actions.declare(actions, services)
    edit_actions.declare(actions, workspace, services)
    view_actions.declare(actions, workspace, services)
    run_actions.declare(actions, workspace, services)
    kernel_actions.declare(actions, services)
    graph_actions.declare(actions, services.navigation, workspace.graph)
    panel_actions.declare(actions, services.panels)


def menus(actions: ActionRegistry, services: Services) -> list[QMenu]:
    """The menu bar's menus, generated from the declared actions."""
    layout = {
        "&File": file_actions.menu(services),
        "&Edit": edit_actions.MENU,
        "&View": view_actions.menu(actions),
        "&Graph": graph_actions.menu(actions),
        "&Run": run_actions.MENU,
        "&Kernel": kernel_actions.KERNEL_MENU,
        "&Help": kernel_actions.HELP_MENU,
    }
    found = []
    for title, entries in layout.items():
        menu = QMenu(title, services.parent)
        actions.fill_menu(menu, entries)
        found.append(menu)
    return found


def toolbar(actions: ActionRegistry, services: Services) -> QToolBar:
    """The main toolbar: open, run, executor, dataflow, fit, direction, search."""
    panels = services.panels
    bar = QToolBar("Main", services.parent)
    bar.setObjectName("main-toolbar")
    bar.setMovable(False)
    bar.setIconSize(QSize(16, 16))
    actions.fill_toolbar(bar, ["open", SEPARATOR, "run", "run-all", "stop"])
    bar.addWidget(services.executor.combo)
    bar.addSeparator()
    panels.dataflows.place(bar)
    actions.fill_toolbar(bar, ["fit", "direction"])
    spacer = QWidget()
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    bar.addWidget(spacer)
    bar.addWidget(panels.search_field)
    bar.addWidget(panels.search_count)
    return bar
