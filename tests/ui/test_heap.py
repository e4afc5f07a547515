"""The cycle collector is held off while a big graph is drawn, and only then.

A collection during a big drawing walks every object the drawing has made so
far, holding the interpreter (at 20,000 nodes one took 106-151 ms): the
window holds the collector off from the display change to the last item made,
then freezes what was made. Every way a drawing can end lets it run again.
"""

import gc

import pytest

from studio.core.graph.snapshot import GraphSnapshot
from tests.helpers import make_node

pytestmark = pytest.mark.timeout(60)


def _modules(count: int, size: int) -> GraphSnapshot:
    nodes = []
    for m in range(count):
        names = [f"m{m}_n{i}" for i in range(size)]
        nodes += [
            make_node(name, deps=names[max(0, i - 2) : i], group=f"mod{m}")
            for i, name in enumerate(names)
        ]
    return GraphSnapshot("features", tuple(nodes))


@pytest.fixture
def drawing(qtbot, studio_config):
    """A graph controller and scene, its holds wired as the window wires them."""
    from studio.core.model import Workspace
    from studio.ui import heap
    from studio.ui.canvas.scene import GraphScene
    from studio.ui.kernel.session import KernelSession
    from studio.ui.project.graph_controller import GraphController
    from studio.ui.theme import LIGHT

    workspace = Workspace()
    session = KernelSession()
    scene = GraphScene(LIGHT, workspace)
    controller = GraphController(session, workspace, scene, lambda: None)
    heap.DrawingHold(controller, scene)
    collections: list[bool] = []
    """For each collection: whether the scene had made every item of its drawing."""

    def count(phase: str, _info: dict) -> None:
        if phase == "start":
            collections.append(bool(scene.nodes) and not scene.filling)

    gc.callbacks.append(count)
    yield workspace, scene, controller, collections
    gc.callbacks.remove(count)
    heap.settle()
    controller.shutdown()
    session.shutdown()
    gc.enable()


def test_no_collection_runs_while_a_big_graph_is_drawn_and_its_objects_are_frozen_after(
    qtbot, drawing
):
    workspace, scene, controller, collections = drawing
    shown: list[object] = []
    controller.drawing.drawn.connect(lambda snapshot, _first: shown.append(snapshot))
    workspace.graph.accept(_modules(8, 200))  # 1,600 nodes: a big graph, opened collapsed
    qtbot.waitUntil(lambda: bool(shown) and not scene.filling and gc.isenabled(), timeout=20_000)
    frozen_before = gc.get_freeze_count()
    workspace.graph.set_collapsed(set())  # every module's nodes: a big drawing
    assert not gc.isenabled(), "the collector ran on while the drawing was on its way"
    collections.clear()
    qtbot.waitUntil(lambda: len(scene.nodes) == 1_600 and not scene.filling, timeout=20_000)
    qtbot.waitUntil(gc.isenabled, timeout=2_000)
    assert all(collections), "a collection ran during the drawing"
    assert gc.get_freeze_count() > frozen_before + 1_600 * 5, "the drawing was not frozen"


def test_a_settle_queued_by_the_last_drawing_does_not_end_the_next_hold(qtbot, drawing):
    """The last drawing's settle waits for a turn of its own; a big drawing that began
    meanwhile keeps the collector off (it used to be let run on its items)."""
    from studio.ui import heap

    workspace, scene, controller, _collections = drawing
    shown: list[object] = []
    controller.drawing.drawn.connect(lambda snapshot, _first: shown.append(snapshot))
    workspace.graph.accept(_modules(8, 200))
    qtbot.waitUntil(lambda: bool(shown) and not scene.filling and gc.isenabled(), timeout=20_000)
    controller.drawing.drawn.emit(workspace.graph.snapshot, False)  # a settle queued
    heap.hold()  # the next big drawing, on its way
    qtbot.wait(50)
    assert not gc.isenabled()
    heap.settle()


def test_a_small_graph_is_drawn_with_the_collector_on(qtbot, drawing):
    workspace, scene, _controller, _collections = drawing
    workspace.graph.accept(_modules(2, 20))
    assert gc.isenabled()
    qtbot.waitUntil(lambda: len(scene.nodes) == 40, timeout=10_000)
    assert gc.isenabled()


def test_a_failed_layout_lets_the_collector_run_again(qtbot, drawing, monkeypatch):
    from studio.ui.canvas import layout_runner

    def fail(_request, _engine):
        raise RuntimeError("no layout today")

    monkeypatch.setattr(layout_runner, "compute_layout", fail)
    workspace, _scene, controller, _collections = drawing
    failures: list[str] = []
    controller.drawing.failed.connect(failures.append)
    workspace.graph.accept(_modules(8, 200))
    assert not gc.isenabled()
    qtbot.waitUntil(lambda: bool(failures), timeout=20_000)
    assert gc.isenabled()


def test_a_hold_that_no_drawing_ends_ends_by_itself(qtbot, drawing, monkeypatch):
    from studio.ui import heap

    monkeypatch.setattr(heap, "HOLD_LIMIT_MS", 50)
    heap.hold()
    assert not gc.isenabled()
    qtbot.waitUntil(gc.isenabled, timeout=2_000)
