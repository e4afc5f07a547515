"""The draw scheduler with a real scene and real layouts: a big drawing's layout request
is built over several turns of the event loop, and only the newest drawing is shown."""

import time

import pytest

from studio.core.graph.snapshot import GraphSnapshot
from studio.core.layout import Direction
from studio.core.model import Workspace
from tests.helpers import make_node

pytestmark = pytest.mark.timeout(60)


def _chain(prefix: str, count: int, group: str = "m") -> GraphSnapshot:
    names = [f"{prefix}_{i}_{'w' * (i % 7)}" for i in range(count)]
    nodes = [
        make_node(name, deps=names[i - 1 : i], group=group, type_="pd.Series" if i % 2 else "int")
        for i, name in enumerate(names)
    ]
    return GraphSnapshot("features", tuple(nodes))


def test_a_request_built_in_steps_is_the_one_built_at_once(qtbot, monkeypatch):
    from studio.ui.canvas import box_sizes
    from studio.ui.canvas.box_sizes import BoxSizes

    monkeypatch.setattr(box_sizes, "REQUEST_STEP", 7)
    workspace = Workspace()
    workspace.graph.accept(_chain("node", 60))
    display = workspace.graph.display
    steps = list(BoxSizes().request_steps(display, Direction.LEFT_RIGHT))
    at_once = BoxSizes().layout_request(display, Direction.LEFT_RIGHT)
    assert steps[:-1] == [None] * 8, "the request was not built in steps"
    assert steps[-1] == at_once
    assert len({node.width for node in at_once.nodes}) > 3, "the names were too alike"


def test_only_the_newest_drawing_is_shown_when_it_comes_while_an_older_is_prepared(
    qtbot, monkeypatch
):
    from studio.ui.canvas import box_sizes
    from studio.ui.canvas.box_sizes import BoxSizes
    from studio.ui.canvas.scene import GraphScene
    from studio.ui.project import draw_scheduler
    from studio.ui.project.draw_scheduler import DrawScheduler
    from studio.ui.theme import LIGHT

    monkeypatch.setattr(draw_scheduler, "_BUILD_TURN_SECONDS", 0.0)
    monkeypatch.setattr(box_sizes, "REQUEST_STEP", 1)
    real_node = BoxSizes.node
    measured = []

    def slow_node(self, info):  # 2 ms a card: the first request takes several slices
        measured.append(info.name)
        time.sleep(0.002)
        return real_node(self, info)

    monkeypatch.setattr(BoxSizes, "node", slow_node)
    workspace = Workspace()
    scene = GraphScene(LIGHT, workspace)
    scheduler = DrawScheduler(workspace.graph, scene, lambda: None, {})
    shown = []
    scheduler.drawn.connect(lambda snapshot, first: shown.append(snapshot))
    workspace.graph.accept(_chain("old", 40))
    qtbot.waitUntil(lambda: bool(measured), timeout=10_000)
    newest = _chain("new", 10)
    workspace.graph.accept(newest)
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    qtbot.wait(300)  # the first drawing's layout would have come by now
    scheduler.shutdown()
    assert len([n for n in measured if n.startswith("old")]) < 40, "the old request was built"
    assert shown == [newest]
    assert set(scene.nodes) == {info.name for info in newest.nodes}
