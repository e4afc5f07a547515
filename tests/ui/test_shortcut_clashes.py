"""No key has two shortcuts that Qt could both take: it would call them ambiguous and run neither.

The real main window is built and every QAction and QShortcut in it is
read back from Qt, with standard keys expanded on the running platform
(QKeySequence.keyBindings), as Qt's shortcut map sees them.
"""

from __future__ import annotations

import itertools

import pytest

pytestmark = pytest.mark.timeout(120)


def _scopes(owner):
    """(context, widgets) where a QAction's or QShortcut's keys act."""
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QWidget

    if isinstance(owner, QAction):
        widgets = [w for w in owner.associatedObjects() if isinstance(w, QWidget)]
        return owner.shortcutContext(), widgets
    return owner.context(), [owner.parent()]


def _overlap(first, second) -> bool:
    """Whether one focus widget could make both scopes match at once."""
    from PySide6.QtCore import Qt

    context = Qt.ShortcutContext
    (a_context, a_widgets), (b_context, b_widgets) = first, second
    if not a_widgets or not b_widgets:
        return False  # no widget: the shortcut never acts
    for a_widget, b_widget in itertools.product(a_widgets, b_widgets):
        if context.ApplicationShortcut in (a_context, b_context):
            return True
        if a_widget.window() is not b_widget.window():
            continue
        if context.WindowShortcut in (a_context, b_context):
            return True

        def reach(ctx, widget, other):
            if ctx == context.WidgetShortcut:
                return other is widget
            return other is widget or widget.isAncestorOf(other)

        # One focus widget in both: the narrower one's widget must be inside the other's.
        if reach(a_context, a_widget, b_widget) or reach(b_context, b_widget, a_widget):
            if a_context == context.WidgetShortcut and b_context == context.WidgetShortcut:
                return a_widget is b_widget
            return True
    return False


def clashes(window) -> list[str]:
    from PySide6.QtGui import QAction, QKeySequence, QShortcut

    owners = [o for o in window.findChildren(QAction) if o.shortcuts()]
    owners += [o for o in window.findChildren(QShortcut) if o.keys()]
    found = []
    keyed = []
    for owner in owners:
        keys = owner.shortcuts() if isinstance(owner, QAction) else owner.keys()
        texts = [k.toString() for k in keys]
        repeated = {t for t in texts if texts.count(t) > 1}
        if repeated:
            found.append(f"{owner.objectName() or owner!r} lists {sorted(repeated)} twice")
        keyed += [(k, owner) for k in set(texts)]
    for (key_a, a), (key_b, b) in itertools.combinations(keyed, 2):
        if key_a == key_b and a is not b and _overlap(_scopes(a), _scopes(b)):
            found.append(f"{key_a}: {a.objectName() or a!r} and {b.objectName() or b!r}")
    # The registry's declarations are what Qt holds, standard keys expanded.
    for action_id, action in window.actions.actions.items():
        for key in action.shortcuts():
            assert not key.isEmpty(), action_id
    for standard in (QKeySequence.StandardKey.Find, QKeySequence.StandardKey.Undo):
        expanded = QKeySequence.keyBindings(standard)
        owner = "find" if standard is QKeySequence.StandardKey.Find else "undo"
        assert window.actions[owner].shortcuts() == expanded
    return found


def test_no_two_shortcuts_share_a_key_where_both_could_act(open_window):
    from studio.core.resources import example_path

    window = open_window(example_path("spaceflights"))
    assert clashes(window) == []


def test_the_clash_check_finds_a_panel_shortcut_on_a_window_key(open_window):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeySequence, QShortcut

    from studio.core.resources import example_path

    window = open_window(example_path("spaceflights"))
    shortcut = QShortcut(QKeySequence("Ctrl+L"), window.inspector)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    assert any(found.startswith("Ctrl+L") for found in clashes(window))


def _focus(qtbot, widget) -> None:
    from PySide6.QtWidgets import QApplication

    window = widget.window()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def test_ctrl_shift_z_and_ctrl_y_redo_an_edit_once(example_copy, open_window, qtbot, qtlog):
    from PySide6.QtCore import Qt

    window = open_window(example_copy("spaceflights"))
    scene, actions = window.scene, window.actions
    assert window.graph_edits.rename("max_error", "worst_error")
    qtbot.waitUntil(lambda: "worst_error" in scene.nodes, timeout=15_000)
    redone = []
    actions["redo"].triggered.connect(lambda: redone.append(True))
    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    for key, modifiers in ((Qt.Key.Key_Z, ctrl | shift), (Qt.Key.Key_Y, ctrl)):
        actions["undo"].trigger()
        qtbot.waitUntil(lambda: "max_error" in scene.nodes, timeout=15_000)
        assert actions["redo"].isEnabled()
        _focus(qtbot, window.view)
        qtbot.keyClick(window.view, key, modifiers)
        qtbot.waitUntil(lambda: "worst_error" in scene.nodes, timeout=15_000)
        assert len(redone) == 1
        redone.clear()
    assert not [r for r in qtlog.records if "Ambiguous shortcut" in r.message]


def test_panel_shortcuts_act_inside_their_panel(open_window, qtbot, qtlog):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from studio.core.resources import example_path

    window = open_window(example_path("spaceflights"))
    ctrl = Qt.KeyboardModifier.ControlModifier
    window.go_to_node("max_error")
    window.docks.show("inspector")
    editor = window.inspector.editor
    qtbot.waitUntil(lambda: "def max_error(" in editor.toPlainText())
    _focus(qtbot, editor)
    qtbot.keyClick(editor, Qt.Key.Key_F, ctrl)
    assert QApplication.focusWidget() is window.inspector._find
    _focus(qtbot, window.view)
    qtbot.keyClick(window.view, Qt.Key.Key_F, ctrl)
    assert QApplication.focusWidget() is window.search_field

    applied = []
    window.config_editor.applied.connect(applied.append)
    window.docks.show("config")
    _focus(qtbot, window.config_editor._table)
    ran = []
    window.actions["run"].triggered.connect(lambda: ran.append(True))
    qtbot.keyClick(window.config_editor._table, Qt.Key.Key_Return, ctrl)
    assert len(applied) == 1 and ran == [True]  # the run action took the key, the panel acted
    assert not window.run_controller.running

    zoom = window.view.transform().m11()
    _focus(qtbot, window.view)
    for key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
        qtbot.keyClick(window.view, key)
        assert window.view.transform().m11() > zoom
        zoom = window.view.transform().m11()
    for key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
        qtbot.keyClick(window.view, key)
        assert window.view.transform().m11() < zoom
        zoom = window.view.transform().m11()
    assert not [r for r in qtlog.records if "Ambiguous shortcut" in r.message]
