"""The panels' own shortcuts: they act only with the focus in their panel.

Declared with the window's commands so that Help › Keyboard Shortcuts
lists them and the registry can let them win over a window-wide command
with the same keys (Ctrl+F, Ctrl+Return) while the focus is in the panel.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

from studio.ui.actions import CONFIG, RESULT_TABLE, SOURCE, ActionRegistry
from studio.ui.window.window_panels import WindowPanels


def declare(actions: ActionRegistry, panels: WindowPanels) -> None:
    add = actions.add
    inspector, config, table = panels.inspector, panels.config_editor, panels.results.table
    add(
        "source-save",
        "Save Source",
        inspector.save,
        QKeySequence.StandardKey.Save,
        help="write the edited source to its file",
        scope=SOURCE,
        widget=inspector.source_area,
    )
    add(
        "source-find",
        "Find in Source",
        inspector.focus_find,
        QKeySequence.StandardKey.Find,
        help="find in the source; Enter for the next match",
        scope=SOURCE,
        widget=inspector.source_area,
    )
    add(
        "config-apply",
        "Apply Config",
        config.apply,
        "Ctrl+Return",
        help="rebuild the graph with this config",
        scope=CONFIG,
        widget=config,
    )
    for action_id, text, handler, keys in (
        ("table-first", "First Row", table.jump_first, "Ctrl+Home"),
        ("table-last", "Last Row", table.jump_last, "Ctrl+End"),
        ("table-copy", "Copy Cells", table.copy_selection, QKeySequence.StandardKey.Copy),
    ):
        add(
            action_id,
            text,
            handler,
            keys,
            help=text.lower(),
            scope=RESULT_TABLE,
            widget=table.table,
        )
