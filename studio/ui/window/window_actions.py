"""The main window's commands and where they appear: menus, toolbar, context menus.

Every command is declared here once (see `studio.ui.actions`); the
layouts below place them by id, and Help › Keyboard Shortcuts lists them
from the same declarations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QSizePolicy, QToolBar, QWidget

from studio.core.graph.display_graph import FocusDirection
from studio.core.layout import Direction
from studio.core.resources import example_path
from studio.core.runs.run_plan import RunMode
from studio.ui.actions import (
    SEPARATOR,
    ActionRegistry,
    MenuEntry,
    Submenu,
    bind_checked,
    bind_enabled,
)
from studio.ui.canvas.focus_bar import DEPTHS
from studio.ui.kernel.session import KernelState
from studio.ui.theme import THEMES

if TYPE_CHECKING:
    from studio.ui.window.main_window import MainWindow

EXAMPLES = ("spaceflights", "decorators")
ENGINES = (
    ("auto", "Automatic (by size)"),
    ("dot", "Graphviz dot"),
    ("grouped", "Modules as boxes (fast)"),
    ("layered", "Flat layered (fast)"),
)
DOCKS = ("inspector", "inputs", "config", "results", "run-log", "console")


def declare(window: MainWindow, actions: ActionRegistry) -> None:
    """Every command of the window, with its handler."""
    nav = window.navigation
    add = actions.add
    add(
        "open",
        "Open…",
        window.choose_folder,
        QKeySequence.StandardKey.Open,
        tip="Open a project folder",
    )
    add("export-png", "Export as &PNG…", window.export_png, "Ctrl+E", help="export as PNG")
    add("export-svg", "Export as &SVG…", window.export_svg, "Ctrl+Shift+E", help="export as SVG")
    add("quit", "&Quit", window.close, QKeySequence.StandardKey.Quit, help="quit")
    _declare_edits(window, actions)
    add(
        "find",
        "&Find Node…",
        window.focus_search,
        QKeySequence.StandardKey.Find,
        help="find a node; Enter for the next match",
    )
    add("fit", "Fit", window.view.fit_all, "F", tip="Fit the whole graph in view", canvas=True)
    add(
        "zoom-in",
        "Zoom &In",
        window.view.zoom_in,
        "+",
        help="zoom in (or the mouse wheel, around the cursor)",
        canvas=True,
    )
    add("zoom-out", "Zoom &Out", window.view.zoom_out, "-", help="zoom out", canvas=True)
    add(
        "actual-size",
        "&Actual Size",
        window.view.reset_zoom,
        "Ctrl+0",
        help="actual size",
        canvas=True,
    )
    add("clear-selection", "&Clear Selection", window.clear_selection)
    add(
        "direction",
        "Auto direction",
        window.toggle_direction,
        "Ctrl+L",
        tip="Lay out automatically (the way the graph shows largest), left to right or "
        "top to bottom",
    )
    for key, label in ENGINES:
        add(
            f"engine-{key}",
            label,
            lambda k=key: window.set_engine(k),
            checkable=True,
            checked=key == "auto",
        )
    for name in THEMES:
        add(
            f"theme-{name}",
            name.capitalize(),
            lambda n=name: window.set_theme(THEMES[n]),
            checkable=True,
            checked=name == window.theme.name,
        )
    add("legend", "Show &Legend", window.toggle_legend, checkable=True, checked=True)
    add("reload", "&Reload Graph", window.controller.reload, "F5", help="reload the graph")
    add(
        "run",
        "▶ Run",
        lambda: window.run_selected(RunMode.UPSTREAM),
        "Ctrl+Return",
        tip="Run the selected nodes and what they need",
    )
    add(
        "run-downstream",
        "Run Downstream",
        lambda: window.run_selected(RunMode.DOWNSTREAM),
        tip="Run the selected nodes and everything that uses them",
    )
    add(
        "recompute",
        "Recompute",
        lambda: window.run_selected(RunMode.UPSTREAM, recompute=True),
        "Ctrl+Alt+Return",
        tip="Run the selected nodes without reusing any result",
    )
    add(
        "run-all",
        "Run All",
        window.runs.run_all,
        "Ctrl+Shift+Return",
        tip="Compute what the driver script asks for (its final_vars), or every sink",
    )
    add(
        "stop",
        "■ Stop",
        window.stop_run,
        tip="Interrupt the running node",
        help="stop a run (Esc does it too)",
    )
    actions["stop"].setEnabled(False)
    add(
        "clear-results",
        "Clear Results",
        window.clear_results,
        tip="Forget results in the kernel and on disk",
    )
    add(
        "executor",
        "&Executor…",
        window.executor.open_settings,
        tip="Where runs execute: locally, on threads, processes, Dask or Ray",
    )
    add(
        "cache-limit",
        "Result Cache &Limit…",
        lambda: window.cache_limit.choose(),
        tip="How much of its results a project keeps on disk",
    )
    add(
        "restart-kernel",
        "&Restart Kernel",
        window.project.restart_kernel,
        "Ctrl+Shift+R",
        help="restart the kernel",
    )
    add("interpreter", "Project &Interpreter…", window.choose_interpreter)
    add("shortcuts", "&Keyboard Shortcuts", window.show_shortcuts)
    add("about", "&About Dataflow Studio", window.show_about)
    add(
        "toggle-module",
        "&Collapse or Expand Module",
        nav.toggle_selected_modules,
        "C",
        help="collapse the selected node's module / expand the selected module box",
        canvas=True,
    )
    add(
        "collapse-all",
        "Collapse &All Modules",
        nav.collapse_all,
        "Shift+C",
        help="collapse every module",
        canvas=True,
    )
    add(
        "expand-all",
        "&Expand All Modules",
        nav.expand_all,
        "Shift+E",
        help="expand every module",
        canvas=True,
    )
    for direction, text, key in (
        (FocusDirection.UPSTREAM, "Show Only &Upstream", "U"),
        (FocusDirection.DOWNSTREAM, "Show Only &Downstream", "D"),
        (FocusDirection.BOTH, "Show Only &Lineage", "L"),
    ):
        add(
            f"focus-{direction.value}",
            text,
            lambda d=direction: nav.focus_direction(d),
            key,
            help=f"show only the {direction.value.replace('both', 'lineage')} of the selection",
            canvas=True,
        )
    for depth in DEPTHS:
        label = "All" if depth is None else str(depth)
        add(
            f"depth-{label.lower()}",
            f"Depth {label}",
            lambda d=depth: nav.set_depth(d),
            "0" if depth is None else str(depth),
            help=f"focus depth {'all levels' if depth is None else depth}",
            canvas=True,
            checkable=True,
            checked=depth == nav.depth,
        )
    add(
        "show-all",
        "Show &Whole Graph",
        nav.show_whole_graph,
        "W",
        help="show the whole graph again (Esc too)",
        canvas=True,
    )
    add(
        "minimap",
        "Show &Minimap",
        nav.toggle_minimap,
        "M",
        help="show or hide the minimap",
        canvas=True,
        checkable=True,
        checked=True,
    )
    for dock in DOCKS:
        actions.actions[f"dock-{dock}"] = window.docks[dock].toggleViewAction()
    actions.group([f"engine-{key}" for key, _ in ENGINES])
    actions.group([f"depth-{'all' if d is None else d}" for d in DEPTHS])
    actions.group([f"theme-{name}" for name in THEMES])
    actions.gesture("Double-click", "run a node (and what it needs); on a module box, expand it")
    actions.gesture("Esc", "stop a run; otherwise leave the focus, clear the selection")
    actions.gesture("Arrow keys", "pan (or drag the background)")
    _show_plans_on_hover(window, actions)
    _runs_need_a_kernel(window, actions)
    _engines_follow_the_model(window, actions)


def _runs_need_a_kernel(window: MainWindow, actions: ActionRegistry) -> None:
    """Run commands are off while no kernel runs (an untrusted or a missing folder)."""
    project, session = window.workspace.project, window.session

    def can_run() -> bool:
        return project.trusted and session.state is not KernelState.STOPPED

    for action_id in ("run", "run-downstream", "recompute", "run-all"):
        bind_enabled(actions[action_id], (session.state_changed, project.trusted_changed), can_run)


def _engines_follow_the_model(window: MainWindow, actions: ActionRegistry) -> None:
    """The Layout Engine menu checks the graph model's engine."""
    graph = window.workspace.graph
    for key, _ in ENGINES:
        checked = lambda k=key: graph.engine == k  # noqa: E731
        bind_checked(actions[f"engine-{key}"], graph.engine_changed, checked)


def _show_plans_on_hover(window: MainWindow, actions: ActionRegistry) -> None:
    """Hovering Run or Run All says what the run would compute, reuse, and for how long."""
    for action_id, mode in (("run", RunMode.UPSTREAM), ("run-all", RunMode.ALL)):
        action = actions[action_id]
        tip = action.toolTip()

        def show(action=action, tip=tip, mode=mode) -> None:  # type: ignore[no-untyped-def]
            names = [] if mode is RunMode.ALL else window.workspace.selection.names()
            plan = window.runs.forecast(names, mode)
            if plan is None:
                action.setToolTip(tip)
                return
            headline = plan.headline()
            action.setToolTip(f"{tip}\n{headline[:1].upper()}{headline[1:]}")
            window.status.message(f"{action.text().strip('▶ ')} {headline}", 5000)

        action.hovered.connect(show)


def _declare_edits(window: MainWindow, actions: ActionRegistry) -> None:
    """Graph edits: they rewrite the project's files, and Undo puts the bytes back."""
    add = actions.add
    add("undo", "&Undo", lambda: window.graph_edits.undo(), QKeySequence.StandardKey.Undo)
    add(
        "redo",
        "&Redo",
        lambda: window.graph_edits.redo(),
        [QKeySequence.StandardKey.Redo, "Ctrl+Shift+Z"],
    )
    add(
        "add-node",
        "&Add Node…",
        lambda: window.graph_edits.ask_add(_selected_nodes(window)),
        "Ctrl+Shift+N",
        tip="Write a new function that takes the selected nodes as parameters",
    )
    add(
        "rename-node",
        "Re&name Node…",
        lambda: _with_one_node(window, window.graph_edits.ask_rename),
        "F2",
        tip="Rename the selected node, its parameters everywhere and the scripts' references",
        canvas=True,
    )
    add(
        "remove-node",
        "Re&move Node…",
        lambda: _with_one_node(window, window.graph_edits.ask_remove),
        QKeySequence.StandardKey.Delete,
        tip="Delete the selected node's function (after showing what depends on it)",
        canvas=True,
    )
    actions.gesture("Alt+drag", "from a node onto another: the second takes the first as input")

    def follow_history() -> None:
        edits = window.workspace.edits
        for action_id, text, verb in (
            ("undo", edits.undo_text, "Undo"),
            ("redo", edits.redo_text, "Redo"),
        ):
            actions[action_id].setEnabled(text is not None)
            actions[action_id].setText(f"&{verb} {text}" if text else f"&{verb}")

    window.workspace.edits.changed.connect(follow_history)
    follow_history()


def _selected_nodes(window: MainWindow) -> list[str]:
    snapshot = window.workspace.graph.snapshot
    known = {n.name for n in snapshot.nodes if not n.is_external_input} if snapshot else set()
    return [name for name in window.workspace.selection.names() if name in known]


def _with_one_node(window: MainWindow, command: Callable[[str], None]) -> None:
    names = _selected_nodes(window)
    if len(names) != 1:
        window.status.message("Select one node first (click it on the canvas)", 4000)
        return
    command(names[0])


def canvas_menu(window: MainWindow) -> QMenu:
    """Right-click on the canvas background."""
    menu = QMenu(window)
    window.actions.fill_menu(menu, ["add-node", SEPARATOR, "undo", "redo", SEPARATOR, "fit"])
    return menu


def edge_menu(window: MainWindow, source: str, target: str) -> QMenu:
    """Right-click on an edge: remove it (the parameter), or go to either end."""
    menu = QMenu(window)
    menu.addAction(
        f"Remove Edge {source} → {target}…",
        lambda: window.graph_edits.disconnect_nodes(source, target),
    )
    menu.addSeparator()
    menu.addAction(f"Go to {source}", lambda: window.go_to_node(source))
    menu.addAction(f"Go to {target}", lambda: window.go_to_node(target))
    return menu


def _edit_entries(window: MainWindow, menu: QMenu, name: str) -> None:
    edits = window.graph_edits
    menu.addSeparator()
    menu.addAction("Add Node Using This…", lambda: edits.ask_add([name]))
    menu.addAction("Rename…", lambda: edits.ask_rename(name))
    snapshot = window.workspace.graph.snapshot
    info = next((n for n in snapshot.nodes if n.name == name), None) if snapshot else None
    if info is not None and info.dependencies:
        stop = menu.addMenu("Stop Using")
        for dependency in info.dependencies:
            stop.addAction(dependency, lambda d=dependency: edits.disconnect_nodes(d, name))
    menu.addAction("Remove…", lambda: edits.ask_remove(name))


def place(window: MainWindow, actions: ActionRegistry) -> None:
    """Menus and toolbar, generated from the declared actions."""
    menus: dict[str, list[MenuEntry]] = {
        "&File": [
            "open",
            Submenu("Open &Recent", window.fill_recent_menu, dynamic=True),
            Submenu("Open &Example", _examples_menu(window)),
            SEPARATOR, "export-png", "export-svg", SEPARATOR, "quit",
        ],
        "&Edit": ["undo", "redo", SEPARATOR, "add-node", "rename-node", "remove-node"],
        "&View": [
            "find", SEPARATOR, "fit", "zoom-in", "zoom-out", "actual-size", "clear-selection",
            SEPARATOR, "direction",
            Submenu("Layout &Engine", _ids_menu(actions, [f"engine-{k}" for k, _ in ENGINES])),
            Submenu("&Theme", _ids_menu(actions, [f"theme-{n}" for n in THEMES])),
            "legend", SEPARATOR, *(f"dock-{d}" for d in DOCKS), SEPARATOR, "reload",
        ],
        "&Graph": [
            "toggle-module", "collapse-all", "expand-all", SEPARATOR,
            "focus-upstream", "focus-downstream", "focus-both",
            Submenu("Focus &Depth", _ids_menu(actions, [
                f"depth-{'all' if d is None else d}" for d in DEPTHS
            ])),
            "show-all", SEPARATOR, "minimap",
        ],
        "&Run": [
            "run", "run-downstream", "recompute", "run-all", SEPARATOR, "stop", SEPARATOR,
            "executor", SEPARATOR, "clear-results", "cache-limit",
        ],
        "&Kernel": ["restart-kernel", "interpreter"],
        "&Help": ["shortcuts", "about"],
    }  # fmt: skip
    for title, entries in menus.items():
        actions.fill_menu(window.menuBar().addMenu(title), entries)
    bar = QToolBar("Main", window)
    bar.setObjectName("main-toolbar")
    bar.setMovable(False)
    bar.setIconSize(QSize(16, 16))
    window.addToolBar(bar)
    actions.fill_toolbar(bar, ["open", SEPARATOR, "run", "run-all", "stop"])
    bar.addWidget(window.executor.combo)
    bar.addSeparator()
    window.dataflow_label_action = bar.addWidget(window.dataflow_label)
    window.dataflow_combo_action = bar.addWidget(window.dataflow_combo)
    actions.fill_toolbar(bar, ["fit", "direction"])
    spacer = QWidget()
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    bar.addWidget(spacer)
    bar.addWidget(window.search_field)
    bar.addWidget(window.search_count)
    window.toolbar = bar


def node_menu(window: MainWindow, name: str) -> QMenu:
    actions = window.actions
    menu = actions.context_menu(window, ["run", "run-downstream", "recompute", SEPARATOR])
    menu.addAction("Show Source", lambda: window.show_in_inspector(name))
    menu.addAction("Send to Console", lambda: window.send_to_console(name))
    menu.addAction("Copy Name", lambda: QApplication.clipboard().setText(name))
    actions.fill_menu(menu, [SEPARATOR, "focus-upstream", "focus-downstream", "focus-both"])
    snapshot = window.workspace.graph.snapshot
    info = next((n for n in snapshot.nodes if n.name == name), None) if snapshot else None
    if info is not None and info.group and not info.is_external_input:
        menu.addAction(f"Collapse Module {info.group}", window.navigation.toggle_selected_modules)
    if info is not None and not info.is_external_input:
        _edit_entries(window, menu, name)
    return menu


def module_menu(window: MainWindow, module: str) -> QMenu:
    menu = QMenu(window)
    menu.addAction(f"Expand Module {module}", lambda: window.navigation.expand_module(module))
    window.actions.fill_menu(
        menu,
        [
            "expand-all", SEPARATOR, "run", "run-downstream", SEPARATOR,
            "focus-upstream", "focus-downstream", "focus-both",
        ],
    )  # fmt: skip
    return menu


def direction_label(direction: Direction, drawn: Direction | None = None) -> str:
    """The direction button's text: the choice, and what Auto chose for this graph."""
    names = {Direction.LEFT_RIGHT: "Left to right", Direction.TOP_BOTTOM: "Top to bottom"}
    if direction is not Direction.AUTO:
        return names[direction]
    return f"Auto: {names[drawn].lower()}" if drawn in names else "Auto direction"


def _examples_menu(window: MainWindow):  # type: ignore[no-untyped-def]
    def fill(menu: QMenu) -> None:
        for name in EXAMPLES:
            menu.addAction(name, lambda n=name: window.open_folder(example_path(n)))

    return fill


def _ids_menu(actions: ActionRegistry, ids: list[str]):  # type: ignore[no-untyped-def]
    def fill(menu: QMenu) -> None:
        actions.fill_menu(menu, ids)

    return fill
