"""Finding one's way in a 1,000-node graph: collapse, expand, focus, search, minimap."""

from collections import deque

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from bench.synthetic import generate


def press(window, key, modifier=Qt.KeyboardModifier.NoModifier):
    """A key press as the user makes it: through the window, so shortcuts apply."""
    window.activateWindow()
    window.view.setFocus()
    QTest.keyClick(window.windowHandle(), key, modifier)


def reach(snapshot, root, upstream, depth=None):
    """Nodes `depth` edges from `root` (all when None), found from the snapshot's edges."""
    step: dict[str, set[str]] = {}
    for a, b in snapshot.edges():
        source, target = (b, a) if upstream else (a, b)
        step.setdefault(source, set()).add(target)
    seen, queue = {root}, deque([(root, 0)])
    while queue:
        name, distance = queue.popleft()
        if depth is not None and distance == depth:
            continue
        for other in step.get(name, ()):
            if other not in seen:
                seen.add(other)
                queue.append((other, distance + 1))
    return seen


@pytest.fixture
def big(open_window, tmp_path, qtbot):
    folder = tmp_path / "features"
    generate(folder, 1000)
    window = open_window(folder)
    qtbot.waitUntil(lambda: not window.scene.filling, timeout=20_000)
    return window


def settled(window, qtbot):
    qtbot.waitUntil(lambda: not window.scene.filling and not window.scene.animating, timeout=20_000)


def test_a_big_graph_opens_with_modules_as_boxes(big):
    scene, snapshot = big.scene, big.workspace.graph.snapshot
    modules = {n.group for n in snapshot.nodes if n.group}
    assert set(scene.modules) == modules
    assert set(scene.nodes) == {n.name for n in snapshot.nodes if n.is_external_input}
    assert scene.edges and all(count >= 1 for count in scene.drawn.edge_counts.values())
    assert f"({len(modules)} collapsed)" in big.status.graph_label.text()


def test_c_expands_a_module_and_collapses_it_again(big, qtbot):
    scene = big.scene
    box = scene.modules["features_02"]
    members = set(box.module.members)
    before = len(scene.nodes)
    assert "features_02" in [name for name, _ in scene.key_labels.important()]  # far out too
    box.setSelected(True)
    with qtbot.waitSignal(big.controller.graph_shown, timeout=20_000):
        press(big, Qt.Key.Key_C)
    settled(big, qtbot)
    assert "features_02" not in scene.modules
    assert len(scene.nodes) == before + len(members)
    assert members <= set(scene.nodes)
    region = scene.regions["features_02"].rect()
    assert big.view.visible_scene_rect().contains(region)  # opened whole, not a zoomed-in middle

    big.workspace.selection.select_nodes([sorted(members)[0]])
    with qtbot.waitSignal(big.controller.graph_shown, timeout=20_000):
        press(big, Qt.Key.Key_C)
    settled(big, qtbot)
    assert "features_02" in scene.modules
    assert len(scene.nodes) == before


def test_expand_all_draws_every_node_and_collapse_all_folds_them(big, qtbot):
    scene, snapshot = big.scene, big.workspace.graph.snapshot
    with qtbot.waitSignal(big.controller.graph_shown, timeout=20_000):
        press(big, Qt.Key.Key_E, Qt.KeyboardModifier.ShiftModifier)
    settled(big, qtbot)
    assert len(scene.nodes) == len(snapshot.nodes)
    assert not scene.modules
    assert set(scene.edges) == set(snapshot.edges())
    # The view was never moved: it shows the whole bigger graph, so no minimap; zoomed in,
    # part of it is out of view and the minimap shows.
    assert big.view.visible_scene_rect().contains(scene.graph_rect())
    assert not big.navigation.minimap.isVisible()
    big.view.zoom_by(4.0)
    assert big.navigation.minimap.isVisible()
    with qtbot.waitSignal(big.controller.graph_shown, timeout=20_000):
        press(big, Qt.Key.Key_C, Qt.KeyboardModifier.ShiftModifier)
    settled(big, qtbot)
    assert len(scene.modules) == len({n.group for n in snapshot.nodes if n.group})


def test_focus_shows_exactly_the_lineage_to_the_chosen_depth(big, qtbot):
    scene, snapshot = big.scene, big.workspace.graph.snapshot
    with qtbot.waitSignal(big.controller.graph_shown, timeout=20_000):
        big.navigation.expand_all()
    settled(big, qtbot)
    root = "m3_join_0"
    big.workspace.selection.select_nodes([root])
    with qtbot.waitSignal(big.controller.graph_shown, timeout=20_000):
        press(big, Qt.Key.Key_U)
    settled(big, qtbot)
    assert set(scene.nodes) == reach(snapshot, root, upstream=True)
    assert big.navigation.focus_bar.isVisible()

    with qtbot.waitSignal(big.controller.graph_shown, timeout=20_000):
        press(big, Qt.Key.Key_1)
    settled(big, qtbot)
    assert set(scene.nodes) == reach(snapshot, root, upstream=True, depth=1)

    with qtbot.waitSignal(big.controller.graph_shown, timeout=20_000):
        press(big, Qt.Key.Key_D)
    settled(big, qtbot)
    assert set(scene.nodes) == reach(snapshot, root, upstream=False, depth=1)

    with qtbot.waitSignal(big.controller.graph_shown, timeout=20_000):
        press(big, Qt.Key.Key_W)
    settled(big, qtbot)
    assert len(scene.nodes) == len(snapshot.nodes)
    assert not big.navigation.focus_bar.isVisible()


def test_search_reveals_a_node_hidden_in_a_collapsed_module(big, qtbot):
    scene = big.scene
    assert "m2_f3_1" not in scene.nodes
    big.search_field.setText("m2_f3_1")
    assert big.navigation.search_matches[:1] == ["m2_f3_1"]
    with qtbot.waitSignal(big.controller.graph_shown, timeout=20_000):
        big.navigation.next_match()
    settled(big, qtbot)
    qtbot.waitUntil(lambda: big.workspace.selection.names() == ["m2_f3_1"], timeout=5_000)
    assert "m2_f3_1" in scene.nodes
    assert "features_02" not in scene.modules


def test_a_save_redraws_what_is_in_view_at_once_and_the_rest_after(big, qtbot):
    """At 1:1 in a big graph the cards on screen move to their new place as the drawing shows."""
    scene, view, controller = big.scene, big.view, big.controller
    with qtbot.waitSignal(controller.graph_shown, timeout=20_000):
        big.workspace.graph.set_collapsed(set())
    settled(big, qtbot)
    view.reset_zoom()
    view.centerOn(scene.key_centre("m0_agg_0"))
    qtbot.wait(100)

    def misplaced(items):
        return [item.name for item in items if item.pos() != scene.key_centre(item.name)]

    seen: list[tuple[bool, int, list[str]]] = []

    def look(*_args):
        area = view.mapToScene(view.viewport().rect()).boundingRect()
        cards = [item for item in scene.items(area) if getattr(item, "name", None) in scene.nodes]
        seen.append((scene.filling, len(cards), misplaced(cards)))

    controller.graph_shown.connect(look)
    target = controller.root / "features_00.py"
    with qtbot.waitSignal(controller.graph_shown, timeout=30_000):
        target.write_text(
            target.read_text()
            + "\n\ndef wide_new_feature(m0_a: pd.Series) -> pd.Series:\n    return m0_a * 2\n"
        )
    [(filling, cards, wrong)] = seen
    assert filling and cards > 5 and wrong == []
    settled(big, qtbot)
    assert "wide_new_feature" in scene.nodes
    assert misplaced(scene.nodes.values()) == []
