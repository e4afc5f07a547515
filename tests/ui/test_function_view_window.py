"""The function view in a real window: one card per function, expanded in place, run whole."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from studio.core.runs.run_state import NodeState
from tests.helpers import decorated_project, finish_run

FUNCTIONS = {"raw", "frame", "p_twice", "total", "label", "nested", "piped", "report"}


def press(window, key, modifier=Qt.KeyboardModifier.NoModifier):
    window.activateWindow()
    window.view.setFocus()
    QTest.keyClick(window.windowHandle(), key, modifier)


def settled(window, qtbot):
    qtbot.waitUntil(lambda: not window.scene.filling and not window.scene.animating, timeout=20_000)


@pytest.fixture
def decorated(open_window, tmp_path):
    return open_window(decorated_project(tmp_path / "decorated", limit=10))


def test_a_decorated_project_opens_as_one_card_per_function(decorated):
    scene = decorated.scene
    functions = set(scene.nodes) - {"rows", "mode"}
    assert functions == FUNCTIONS
    frame = scene.nodes["frame"]
    assert frame.folded == 3 and frame.subtitle.startswith("3 nodes")
    assert scene.nodes["p_twice"].shown == "twice"  # the function's name, not a node's
    assert scene.nodes["total"].checks == 1
    assert "8 functions · 20 nodes" in decorated.status.graph_label.text()


def test_shift_f_shows_hamiltons_nodes_and_e_expands_one_function(decorated, qtbot):
    scene, graph = decorated.scene, decorated.workspace.graph
    with qtbot.waitSignal(decorated.controller.graph_shown, timeout=20_000):
        press(decorated, Qt.Key.Key_F, Qt.KeyboardModifier.ShiftModifier)
    settled(decorated, qtbot)
    assert set(scene.nodes) == {n.name for n in graph.snapshot.nodes}
    assert not decorated.actions["function-view"].isChecked()
    with qtbot.waitSignal(decorated.controller.graph_shown, timeout=20_000):
        press(decorated, Qt.Key.Key_F, Qt.KeyboardModifier.ShiftModifier)
    settled(decorated, qtbot)
    assert decorated.actions["function-view"].isChecked()

    decorated.workspace.selection.set_keys(["frame"])
    with qtbot.waitSignal(decorated.controller.graph_shown, timeout=20_000):
        press(decorated, Qt.Key.Key_E)
    settled(decorated, qtbot)
    assert {"frame", "p", "q"} <= set(scene.nodes) and scene.nodes["frame"].folded == 0
    assert scene.nodes["nested"].folded == 4  # the others stay folded

    decorated.workspace.selection.set_keys(["q"])
    with qtbot.waitSignal(decorated.controller.graph_shown, timeout=20_000):
        press(decorated, Qt.Key.Key_E)
    settled(decorated, qtbot)
    assert "q" not in scene.nodes and scene.nodes["frame"].folded == 3
    assert decorated.workspace.selection.keys == ("frame",)


def test_double_clicking_a_card_runs_its_nodes_and_a_failed_validator_marks_it(decorated, qtbot):
    scene, runs = decorated.scene, decorated.workspace.runs
    decorated.view.centre_on_node("p_twice", animate=False)
    position = decorated.view.mapFromScene(scene.nodes["p_twice"].pos())
    record = finish_run(
        qtbot,
        decorated,
        lambda: qtbot.mouseDClick(
            decorated.view.viewport(), Qt.MouseButton.LeftButton, pos=position
        ),
    )
    assert record.status == "done", record.message
    assert {runs.state.state(n) for n in ("p_twice", "q_twice")} == {NodeState.DONE}
    assert scene.nodes["p_twice"].run.state is NodeState.DONE

    # sum(p_twice) = 12 > 10: total's validator fails, and its card shows it
    decorated.workspace.selection.set_keys(["total"])
    record = finish_run(qtbot, decorated, decorated.actions["run"].trigger)
    assert record.status != "done"
    card = scene.nodes["total"]
    assert card.run.state is NodeState.FAILED
    assert "total" in card.toolTip()


def test_searching_a_folded_node_finds_its_card(decorated, qtbot):
    decorated.search_field.setText("nested.middle")
    qtbot.waitUntil(lambda: decorated.scene.nodes["nested"].search_hit, timeout=5_000)
    assert not decorated.scene.nodes["frame"].search_hit


def test_a_selected_card_shows_its_function_and_its_nodes_in_the_inspector(decorated, qtbot):
    decorated.workspace.selection.set_keys(["p_twice"])
    inspector = decorated.inspector
    qtbot.waitUntil(lambda: "twice makes 2 nodes" in inspector.details_text(), timeout=5_000)
    assert "q_twice" in inspector.details_text()
    qtbot.waitUntil(lambda: "def twice(" in inspector.source_text(), timeout=5_000)


def test_clicking_a_cards_node_count_shows_its_nodes_in_place(decorated, qtbot):
    scene, view = decorated.scene, decorated.view
    view.centre_on_node("nested", animate=False)
    view.set_zoom(1.0)
    view.centre_on_node("nested", animate=False)
    card = scene.nodes["nested"]
    pill = card.mapToScene(card.count_rect().center())
    with qtbot.waitSignal(decorated.controller.graph_shown, timeout=20_000):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(pill))
    settled(decorated, qtbot)
    assert {"nested.start", "nested.middle", "nested.finish"} <= set(scene.nodes)
