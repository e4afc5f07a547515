"""Labels far out (issue 29, item 4d): never over another card, never past the edge of
the canvas, and a click or double-click on one acts on its card as on the card."""

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from studio.core.graph.snapshot import GraphSnapshot
from studio.ui.canvas.items.edge_item import EdgeItem
from studio.ui.canvas.items.module_item import ModuleItem
from studio.ui.canvas.items.node_item import NodeItem
from tests.helpers import drawn_in_view, make_node

FEATURES = [f"a_rather_long_feature_name_number_{i:02d}" for i in range(10)]
SNAPSHOT = GraphSnapshot(
    "flow",
    nodes=(
        make_node("source_table"),
        *(make_node(name, ["source_table"]) for name in FEATURES),
        make_node("summary", FEATURES[:3]),
    ),
)


@pytest.fixture
def far(qtbot):
    """A scene in a real view, zoomed out far enough for the labels, its right part cut
    by the view's edge."""
    workspace, scene, view = drawn_in_view(qtbot, SNAPSHOT, (300, 220), "dot")
    view.set_zoom(0.4)
    graph = scene.graph_rect()
    view.centerOn(QPointF(graph.center().x() + graph.width() / 3, graph.center().y()))
    workspace.selection.set_keys(["summary"])
    view.grab()  # paints: the labels are placed
    yield workspace, scene, view
    view.close()
    scene.deleteLater()


def test_a_label_never_covers_another_card_nor_leaves_the_canvas(far):
    _workspace, scene, view = far
    placed = scene.key_labels.placed()
    assert placed, "no label at all"
    seen = view.visible_scene_rect()
    boxes = {key: rect for key, (rect, _colour) in scene.geometry.boxes.items()}
    for box, key, text, _colour in placed:
        assert seen.contains(box), f"the label of {key} runs past the edge of the canvas"
        covered = [other for other, rect in boxes.items() if other != key and rect.intersects(box)]
        assert not covered, f"the label of {key} ({text!r}) covers {covered}"


def _off_card_point(scene, placed) -> tuple[str, QPointF]:
    """A point on a label but off its card (where a click used to miss the card)."""
    for box, key, _text, _colour in placed:
        card = scene.geometry.boxes[key][0]
        for point in (
            QPointF(box.left() + 1, box.center().y()),
            QPointF(box.center().x(), box.top() + 0.5),
        ):
            if not card.contains(point):
                return key, point
    pytest.fail("every label lies within its card")


def test_a_click_on_a_label_selects_its_card_and_a_double_click_runs_it(far, qtbot):
    workspace, scene, view = far
    key, point = _off_card_point(scene, scene.key_labels.placed())
    workspace.selection.set_keys([])
    at = view.mapFromScene(point)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert workspace.selection.keys == (key,), "a click on the label did not select its card"
    with qtbot.waitSignal(scene.node_activated, timeout=1_000) as ran:
        QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert ran.args == [key]


def test_a_right_click_on_a_label_opens_its_cards_menu(far, qtbot):
    _workspace, scene, view = far
    key, point = _off_card_point(scene, scene.key_labels.placed())
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, view.mapFromScene(point), view.mapToGlobal(QPoint())
    )
    with qtbot.waitSignal(view.node_menu_requested, timeout=1_000) as menu:
        QApplication.sendEvent(view.viewport(), event)
    assert menu.args[0] == key


def test_a_click_beside_the_labels_still_clears_the_selection(far):
    workspace, scene, view = far
    assert workspace.selection.keys
    seen = view.visible_scene_rect()
    drawn = (NodeItem, ModuleItem, EdgeItem)
    points = [
        QPointF(x, y)
        for x in range(int(seen.left()) + 4, int(seen.right()), 20)
        for y in range(int(seen.top()) + 4, int(seen.bottom()), 20)
    ]
    empty = next(
        p
        for p in points
        if not [i for i in scene.items(p) if isinstance(i, drawn)]
        and scene.key_labels.label_at(p.x(), p.y()) is None
    )
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(empty))
    assert workspace.selection.keys == ()


def test_at_a_mid_size_graphs_fit_zoom_every_card_in_view_is_named(qtbot):
    """Not only the outputs: each card's name, whole, where the cards leave room."""
    from studio.ui.canvas.key_labels import SHOW_BELOW

    names = [f"feature_{i:02d}" for i in range(24)]
    snapshot = GraphSnapshot(
        "flow",
        nodes=(
            make_node("source_table"),
            *(make_node(name, ["source_table"]) for name in names),
            make_node("summary", names),
        ),
    )
    _workspace, scene, view = drawn_in_view(
        qtbot,
        snapshot,
        (700, 520),
        "grouped",
        frame=(700.0, 520.0),  # spread, as the window
    )
    view.fit_all()
    assert view.transform().m11() < SHOW_BELOW
    view.grab()
    placed = {key: text for _box, key, text, _colour in scene.key_labels.placed()}
    assert set(placed) == {"source_table", "summary", *names}
    assert all(placed[name] == name for name in names), "a name was shortened"
    view.close()
    scene.deleteLater()


def test_a_big_drawings_cards_are_filed_between_frames_and_labelled_as_at_once(
    far, qtbot, monkeypatch
):
    """A big drawing's cards are filed in steps (here: two cards a step): no label is
    written from a half-made filing, and once filed they are the labels a filing made
    at once writes."""
    import studio.ui.canvas.key_labels as key_labels

    _workspace, scene, view = far
    at_once = [(key, text) for _box, key, text, _colour in scene.key_labels.placed()]
    assert at_once
    monkeypatch.setattr(key_labels, "_FILED_PER_STEP", 2)
    scene.key_labels.geometry_changed()
    view.grab()
    assert scene.key_labels.placed() == [], "labels written from a half-made filing"
    qtbot.waitUntil(lambda: not scene.key_labels._work.pending, timeout=2_000)
    view.grab()
    in_steps = [(key, text) for _box, key, text, _colour in scene.key_labels.placed()]
    assert in_steps == at_once
