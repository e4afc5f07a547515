"""Folding a function card of hundreds of nodes (issue 33, item 4): the dropped items
leave the drawing at once, out of sight and out of reach of clicks, and the canvas
later holds only what is shown."""

import dataclasses

import pytest

from studio.core.graph.display_graph import module_key
from studio.core.graph.snapshot import GraphSnapshot
from studio.core.model import Workspace
from tests.helpers import draw_shown, make_node

MEMBERS = 450
"""Above the 400 stale items a redraw drops one by one."""

SNAPSHOT = GraphSnapshot(
    "flow",
    nodes=(
        make_node("raw"),
        *(
            dataclasses.replace(make_node(f"feature_{i}", ["raw"]), origin="m.make")
            for i in range(MEMBERS)
        ),
        make_node("total", ["feature_5"], group="n"),
        make_node("mean", ["feature_5"], group="n"),
    ),
)
"""One function of 450 nodes from one input; module n (collapsed) reads one of them
twice: a bundled edge, with its count."""


@pytest.fixture
def drawn(qtbot):
    from studio.ui.canvas.scene import GraphScene
    from studio.ui.theme import LIGHT

    workspace = Workspace()
    scene = GraphScene(LIGHT, workspace)

    def draw() -> None:
        draw_shown(scene, "layered")
        scene.finish_filling()

    workspace.graph.accept(SNAPSHOT)
    workspace.graph.set_collapsed({"n"})  # (a graph this big opens with both collapsed)
    workspace.graph.set_expanded(workspace.graph.cards)
    draw()
    yield workspace, scene, draw
    scene.deleteLater()


def counts(scene):
    from studio.ui.canvas.items.count_label import CountLabel

    return [item for item in scene.items() if isinstance(item, CountLabel)]


def node_items(scene):
    from studio.ui.canvas.items.node_item import NodeItem

    return [item for item in scene.items() if isinstance(item, NodeItem)]


def test_folding_hundreds_of_nodes_hides_them_at_once_and_frees_them_later(drawn, qtbot):
    from studio.ui.canvas.items.node_item import NodeItem

    workspace, scene, draw = drawn
    assert len(scene.nodes) == MEMBERS + 1
    was = scene.edges[("feature_5", module_key("n"))].count_label
    assert was is not None and was.isVisible()
    gone = scene.nodes["feature_200"]
    where = gone.sceneBoundingRect().center()
    assert scene.key_at(where) == "feature_200"

    workspace.graph.set_expanded(())
    draw()

    assert set(scene.nodes) == {"raw", "feature_0"}, "one card for the function, and its input"
    assert not gone.isVisible(), "a folded node is not drawn any more"
    under = [i for i in scene.items(where) if isinstance(i, NodeItem)]
    assert gone not in under, "a click where a folded node was does not land on it"
    n = module_key("n")
    assert set(scene.edges) == {("raw", "feature_0"), ("feature_0", n)}
    bundles = {edge.count_label for edge in scene.edges.values()}
    assert len(bundles) == 2 and None not in bundles, "both edges of the card are bundles"
    assert {label for label in counts(scene) if label.isVisible()} == bundles
    assert not was.isVisible(), "the count of the unfolded bundle is not drawn any more"
    qtbot.waitUntil(lambda: len(node_items(scene)) == 2, timeout=5000)
    assert set(counts(scene)) == bundles, "the count of the unfolded bundle left the canvas"
    assert {item.name for item in node_items(scene)} == {"raw", "feature_0"}
    assert all(item.isVisible() for item in node_items(scene))


def test_expanding_again_after_a_fold_draws_every_node(drawn, qtbot):
    workspace, scene, draw = drawn
    workspace.graph.set_expanded(())
    draw()
    workspace.graph.set_expanded(workspace.graph.cards)
    draw()
    qtbot.waitUntil(lambda: len(node_items(scene)) == MEMBERS + 1, timeout=5000)
    assert all(item.isVisible() for item in node_items(scene))
    assert all(edge.isVisible() for edge in scene.edges.values())


def test_while_the_overview_draws_folded_nodes_are_hidden_before_the_items_show(drawn, qtbot):
    """Far out, the overview draws a big graph and the items are transparent: dropped
    items are hidden only as they leave, or at once when the items show again."""
    from studio.ui.canvas.items.node_item import NodeItem

    workspace, scene, draw = drawn
    gone = scene.nodes["feature_200"]
    where = gone.sceneBoundingRect().center()
    scene.layers.show_items(False)  # as the overview does when it draws
    workspace.graph.set_expanded(())
    draw()
    assert gone.scene() is scene and gone.isVisible(), "hidden as it leaves, not before"
    assert gone.effectiveOpacity() == 0.0
    assert not [i for i in scene.items(where) if isinstance(i, NodeItem)], "hit while unseen"
    scene.layers.show_items(True)
    assert gone.scene() is None or not gone.isVisible(), "a folded node shows again"
    assert scene.nodes["feature_0"].isVisible()
    qtbot.waitUntil(lambda: len(node_items(scene)) == 2, timeout=5000)
