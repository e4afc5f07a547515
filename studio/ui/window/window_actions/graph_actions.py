"""Graph menu: function cards, collapse and expand modules, focus on a node's lineage, the
minimap."""

from __future__ import annotations

from studio.core.graph.display_graph import FocusDirection
from studio.core.model.graph_model import GraphModel
from studio.ui.actions import (
    SEPARATOR,
    ActionRegistry,
    MenuEntry,
    Submenu,
    bind_checked,
    ids_menu,
)
from studio.ui.canvas.focus_bar import DEPTHS
from studio.ui.canvas.navigation import CanvasNavigation

FOCUS = ("focus-upstream", "focus-downstream", "focus-both")


def declare(actions: ActionRegistry, nav: CanvasNavigation, graph: GraphModel) -> None:
    add = actions.add
    view = add(
        "function-view",
        "&Function Cards",
        nav.toggle_function_view,
        "Shift+F",
        help="one card per function, or Hamilton's nodes one by one",
        canvas=True,
        checkable=True,
        checked=graph.function_view,
    )
    bind_checked(view, graph.function_view_changed, lambda: graph.function_view)
    add(
        "toggle-function",
        "Expand or Collapse F&unction",
        nav.toggle_selected_functions,
        "E",
        help="show a function card's nodes / fold a node back into its function's card",
        canvas=True,
    )
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
    actions.group([_depth_id(d) for d in DEPTHS])


def menu(actions: ActionRegistry) -> list[MenuEntry]:
    return [
        "function-view", "toggle-function", SEPARATOR,
        "toggle-module", "collapse-all", "expand-all", SEPARATOR, *FOCUS,
        Submenu("Focus &Depth", ids_menu(actions, [_depth_id(d) for d in DEPTHS])),
        "show-all", SEPARATOR, "minimap",
    ]  # fmt: skip


def _depth_id(depth: int | None) -> str:
    return f"depth-{'all' if depth is None else depth}"
