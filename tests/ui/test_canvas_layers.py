"""What lies above what on the canvas (issue 29, item 4e): an edge's count is never
hidden under a module box."""

import pytest

from studio.core.graph.display_graph import module_key
from studio.core.graph.snapshot import GraphSnapshot
from studio.core.model import Workspace
from studio.ui.canvas.items.count_label import CountLabel
from studio.ui.canvas.items.module_item import ModuleItem
from tests.helpers import draw_shown, make_node

SNAPSHOT = GraphSnapshot(
    "flow",
    nodes=(
        make_node("raw_a", group="load"),
        make_node("raw_b", group="load"),
        make_node("joined", ["raw_a", "raw_b"], group="fit"),
        make_node("model", ["joined"], group="fit"),
        make_node("report", ["model"], group="show"),
    ),
)


@pytest.fixture
def scene(qtbot):
    from studio.ui.canvas.scene import GraphScene
    from studio.ui.theme import LIGHT

    workspace = Workspace()
    scene = GraphScene(LIGHT, workspace)

    def draw() -> None:
        draw_shown(scene)

    workspace.graph.accept(SNAPSHOT)
    workspace.graph.set_collapsed({"load", "fit"})
    draw()
    yield workspace, scene, draw
    scene.deleteLater()


def labels(scene):
    return [item for item in scene.items() if isinstance(item, CountLabel)]


def test_the_count_of_a_bundled_edge_is_drawn_above_a_module_box(scene):
    _workspace, scene, _draw = scene
    bundle = scene.edges[(module_key("load"), module_key("fit"))]
    assert bundle.count == 2
    assert labels(scene) == [bundle.count_label]
    centre = bundle.count_label.sceneBoundingRect().center()
    box = scene.modules["fit"]
    box.setPos(centre)  # a box under the middle of the bundle
    on_top = [i for i in scene.items(centre) if isinstance(i, CountLabel | ModuleItem)]
    assert on_top[0] is bundle.count_label, "the count is hidden under the module box"


def test_a_count_goes_with_its_bundle(scene):
    workspace, scene, draw = scene
    workspace.graph.set_collapsed(set())
    draw()
    assert labels(scene) == [], "a count stayed after its bundle was expanded"
