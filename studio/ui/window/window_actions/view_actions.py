"""View menu: find, zoom, direction, layout engine, theme, legend, panels, reload."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

from studio.core.model import Workspace
from studio.ui.actions import (
    SEPARATOR,
    ActionRegistry,
    MenuEntry,
    Submenu,
    bind_checked,
    ids_menu,
)
from studio.ui.theme import THEMES
from studio.ui.window.window_actions.services import Services

ENGINES = (
    ("auto", "Automatic (by size)"),
    ("dot", "Graphviz dot"),
    ("grouped", "Modules as boxes (fast)"),
    ("layered", "Flat layered (fast)"),
)
DOCKS = ("inspector", "inputs", "config", "results", "run-log", "console")


def declare(actions: ActionRegistry, workspace: Workspace, services: Services) -> None:
    commands, looks, view = services.commands, services.looks, services.view
    add = actions.add
    add(
        "find",
        "&Find Node…",
        commands.focus_search,
        QKeySequence.StandardKey.Find,
        help="find a node; Enter for the next match",
    )
    add("fit", "Fit", view.fit_all, "F", tip="Fit the whole graph in view", canvas=True)
    add(
        "zoom-in",
        "Zoom &In",
        view.zoom_in,
        ("+", "="),
        help="zoom in (or the mouse wheel, around the cursor)",
        canvas=True,
    )
    add("zoom-out", "Zoom &Out", view.zoom_out, ("-", "_"), help="zoom out", canvas=True)
    add("actual-size", "&Actual Size", view.reset_zoom, "Ctrl+0", help="actual size", canvas=True)
    add("clear-selection", "&Clear Selection", commands.clear_selection)
    add(
        "direction",
        "Auto direction",
        looks.toggle_direction,
        "Ctrl+L",
        tip="Lay out automatically (the way the graph shows largest), left to right or "
        "top to bottom",
    )
    looks.direction_shown.connect(actions["direction"].setText)
    graph = workspace.graph
    for key, label in ENGINES:
        add(
            f"engine-{key}",
            label,
            lambda k=key: looks.set_engine(k),
            checkable=True,
        )
        bind_checked(
            actions[f"engine-{key}"], graph.engine_changed, lambda k=key: graph.engine == k
        )
    for name in THEMES:
        add(
            f"theme-{name}",
            name.capitalize(),
            lambda n=name: looks.set_theme(THEMES[n]),
            checkable=True,
            checked=name == looks.theme.name,
        )
    add(
        "legend",
        "Show &Legend",
        lambda: looks.set_legend(actions["legend"].isChecked()),
        checkable=True,
        checked=True,
    )
    add("reload", "&Reload Graph", services.graph.reload, "F5", help="reload the graph")
    for dock in DOCKS:
        actions.actions[f"dock-{dock}"] = services.panels.docks[dock].toggleViewAction()
    actions.group([f"engine-{key}" for key, _ in ENGINES])
    actions.group([f"theme-{name}" for name in THEMES])
    actions.gesture("Arrow keys", "pan (or drag the background)")


def menu(actions: ActionRegistry) -> list[MenuEntry]:
    return [
        "find", SEPARATOR, "fit", "zoom-in", "zoom-out", "actual-size", "clear-selection",
        SEPARATOR, "direction",
        Submenu("Layout &Engine", ids_menu(actions, [f"engine-{k}" for k, _ in ENGINES])),
        Submenu("&Theme", ids_menu(actions, [f"theme-{n}" for n in THEMES])),
        "legend", SEPARATOR, *(f"dock-{d}" for d in DOCKS), SEPARATOR, "reload",
    ]  # fmt: skip
