"""Commands are declared once; menus, toolbar and the shortcut help come from them."""

import pytest


@pytest.fixture
def registry(qtbot):
    from PySide6.QtWidgets import QWidget

    from studio.ui.actions import ActionRegistry

    canvas = QWidget()
    qtbot.addWidget(canvas)
    return ActionRegistry(canvas), canvas


def test_shortcuts_help_lists_every_declared_shortcut_and_gesture(registry):
    actions, canvas = registry
    done = []
    actions.add("export", "Export as &SVG…", lambda: done.append("svg"), "Ctrl+Shift+E")
    actions.add("fit", "Fit", lambda: done.append("fit"), "F", tip="Fit the graph", canvas=True)
    actions.gesture("Double-click", "run a node")
    rows = dict(actions.shortcuts())
    assert rows["Ctrl+Shift+E"] == "Export as SVG"
    assert rows["F"] == "Fit the graph"
    assert rows["Double-click"] == "run a node"
    assert actions["fit"].toolTip() == "Fit the graph (F)"
    assert actions["fit"] in canvas.actions()
    actions["export"].trigger()
    assert done == ["svg"]
    with pytest.raises(ValueError, match="declared twice"):
        actions.add("fit", "Fit again", lambda: None)


def test_the_window_declares_its_commands_once_and_lists_them_in_the_help(open_window):
    from studio.core.resources import example_path
    from studio.ui.window.window_actions.kernel_actions import shortcuts_html

    window = open_window(example_path("spaceflights"))
    sections = dict(window.actions.sections())
    for rows in sections.values():
        keys = [keys for keys, _ in rows]
        assert len(keys) == len(set(keys)), "a shortcut is used twice in one scope"
    window_wide = [keys for keys, _ in sections["Anywhere in the window"]]
    for shortcut in ("Ctrl+E", "Ctrl+Shift+E", "Ctrl+Return", "Ctrl+Shift+Z or Ctrl+Y", "F5"):
        assert shortcut in window_wide
    canvas = [keys for keys, _ in sections["On the canvas"]]
    for shortcut in ("Shift+C", "M", "+ or =", "- or _", "Arrow keys"):
        assert shortcut in canvas
    assert (
        dict(sections["In the Config panel"])["Ctrl+Return"] == "rebuild the graph with this config"
    )
    assert {"Ctrl+S", "Ctrl+F"} <= dict(sections["In the Inspector's source"]).keys()
    assert {"Ctrl+Home", "Ctrl+End"} <= dict(sections["In the result table"]).keys()
    help_text = shortcuts_html(window.actions)
    assert "In the Config panel" in help_text and "rebuild the graph with this config" in help_text
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    file_texts = [a.text() for a in menus["&File"].actions()]
    assert "Export as &SVG…" in file_texts
    graph_texts = [a.text() for a in menus["&Graph"].actions()]
    assert "Collapse &All Modules" in graph_texts


def test_a_panels_shortcut_wins_over_a_window_wide_one_inside_the_panel(qtbot):
    """Two Qt shortcuts on one key would be ambiguous (neither runs): the registry keeps one
    and routes a press inside the panel to the panel's command."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

    from studio.ui.actions import CONFIG, ActionRegistry

    window = QWidget()
    qtbot.addWidget(window)
    canvas, panel, elsewhere = QWidget(), QWidget(), QLineEdit()
    actions = ActionRegistry(canvas, window)
    field = QLineEdit(panel)
    layout = QVBoxLayout(window)
    for part in (canvas, panel, elsewhere):
        layout.addWidget(part)
    done = []
    run = actions.add("run", "Run", lambda: done.append("run"), "Ctrl+Return")
    window.addAction(run)
    apply = actions.add(
        "apply", "Apply", lambda: done.append("apply"), "Ctrl+Return", scope=CONFIG, widget=panel
    )
    assert apply not in panel.actions(), "the panel's key is routed, not a second shortcut"
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    ctrl = Qt.KeyboardModifier.ControlModifier
    for focus, expected in ((field, "apply"), (elsewhere, "run")):
        focus.setFocus()
        qtbot.waitUntil(focus.hasFocus)
        qtbot.keyClick(focus, Qt.Key.Key_Return, ctrl)
        assert done.pop() == expected
    field.setFocus()
    run.trigger()  # a click on the menu entry is the window's command wherever the focus is
    assert done == ["run"]
    sections = dict(actions.sections())
    assert sections["In the Config panel"] == [("Ctrl+Return", "Apply")]
