"""The canvas scene on its own: it draws the graph model and follows the other models."""

import pytest

from studio.core.graph.display_graph import module_key
from studio.core.graph.emphasis import Emphasis
from studio.core.graph.snapshot import GraphSnapshot
from studio.core.layout import compute_layout
from studio.core.model import Workspace
from studio.core.runs.run_records import RunRecord
from studio.core.runs.run_state import NodeState
from tests.helpers import draw_shown, make_node

node = make_node


SNAPSHOT = GraphSnapshot(
    "flow",
    nodes=(
        node("raw", group="load"),
        node("clean", ["raw"], group="load"),
        node("model", ["clean"], group="fit"),
        node("report", ["model"], group="fit"),
    ),
)


@pytest.fixture
def drawn(qtbot):
    from studio.ui.canvas.scene import GraphScene
    from studio.ui.theme import LIGHT

    workspace = Workspace()
    scene = GraphScene(LIGHT, workspace)

    def draw(animate: bool = False) -> None:
        draw_shown(scene, animate=animate)

    workspace.graph.accept(SNAPSHOT)
    draw()
    yield workspace, scene, draw
    scene.deleteLater()


def test_one_item_per_node_and_edge_of_the_display(drawn):
    workspace, scene, draw = drawn
    assert set(scene.nodes) == {"raw", "clean", "model", "report"}
    assert set(scene.edges) == {("raw", "clean"), ("clean", "model"), ("model", "report")}
    workspace.graph.collapse("load")
    draw()
    assert set(scene.nodes) == {"model", "report"}
    assert set(scene.modules) == {"load"}
    assert (module_key("load"), "model") in scene.edges


def test_the_model_selection_selects_items_and_emphasises_the_lineage(drawn):
    workspace, scene, _ = drawn
    workspace.selection.select_nodes(["model"])
    assert [i.name for i in scene.selectedItems()] == ["model"]
    emphasis = {name: item.emphasis for name, item in scene.nodes.items()}
    assert emphasis == {
        "raw": Emphasis.UPSTREAM,
        "clean": Emphasis.UPSTREAM,
        "model": Emphasis.SELECTED,
        "report": Emphasis.DOWNSTREAM,
    }
    workspace.selection.set_keys(())
    assert {item.emphasis for item in scene.nodes.values()} == {Emphasis.NORMAL}


def test_a_click_on_an_item_becomes_the_model_selection(drawn):
    workspace, scene, _ = drawn
    scene.nodes["clean"].setSelected(True)
    assert workspace.selection.keys == ("clean",)
    assert scene.nodes["raw"].emphasis is Emphasis.UPSTREAM


def test_run_badges_follow_the_runs_model_by_themselves(drawn):
    workspace, scene, draw = drawn
    runs = workspace.runs
    runs.start(RunRecord(1, ["model"], "upstream"))
    runs.planned(["raw", "clean", "model"])
    assert scene.nodes["raw"].run.state is NodeState.QUEUED
    runs.node_finished("raw", NodeState.DONE, 0.2, "sig", "")
    assert scene.nodes["raw"].run.state is NodeState.DONE
    workspace.graph.collapse("load")
    draw()
    assert scene.modules["load"].states[NodeState.DONE] == 1
    runs.node_finished("clean", NodeState.FAILED, 0.1, None, "boom")
    assert scene.modules["load"].states[NodeState.FAILED] == 1


def test_a_redraw_animates_kept_items_to_their_new_place(drawn, qtbot):
    workspace, scene, draw = drawn
    workspace.graph.accept(
        GraphSnapshot("flow", nodes=(*SNAPSHOT.nodes, node("extra", ["raw"], group="fit")))
    )
    draw(animate=True)
    assert scene.animating
    assert scene.nodes["extra"].opacity() < 1.0
    qtbot.waitUntil(lambda: not scene.animating, timeout=2_000)
    assert scene.nodes["extra"].opacity() == 1.0
    for name, item in scene.nodes.items():
        assert item.pos() == scene.key_centre(name), name


def test_a_big_drawing_fills_in_between_frames_to_its_last_item(qtbot):
    """Over 1,500 items, the items in view come at once and the rest in short tasks
    between frames, each going on where the last stopped, to the last edge."""
    from studio.ui.canvas.scene import BIG_GRAPH, GraphScene
    from studio.ui.theme import LIGHT

    count = BIG_GRAPH // 2 + 50
    chain = GraphSnapshot(
        "flow",
        nodes=tuple(node(f"n{i}", [f"n{i - 1}"] if i else []) for i in range(count)),
    )
    workspace = Workspace()
    scene = GraphScene(LIGHT, workspace)
    workspace.graph.accept(chain)
    workspace.graph.set_collapsed(())
    display = workspace.graph.display
    layout = compute_layout(scene.sizes.layout_request(display, workspace.graph.direction))
    scene.show_graph(display, layout, animate=False)
    assert scene.filling, "a big drawing fills in between frames"
    assert len(scene.nodes) < count
    qtbot.waitUntil(lambda: not scene.filling, timeout=10_000)
    assert set(scene.nodes) == {f"n{i}" for i in range(count)}
    assert len(scene.edges) == count - 1
    scene.deleteLater()
