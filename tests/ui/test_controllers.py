"""The graph and run controllers with a real kernel and scene, but no window."""

import pytest

from studio.core.model import Workspace
from studio.core.protocol import ErrorCode, RunStatus
from studio.core.protocol.requests import HelloParams
from studio.core.runs.run_state import NodeState

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def parts(qtbot, studio_config):
    from studio.ui.canvas.scene import GraphScene
    from studio.ui.kernel.session import KernelSession
    from studio.ui.project.graph_controller import GraphController
    from studio.ui.runs.run_controller import RunController
    from studio.ui.theme import LIGHT

    workspace = Workspace()
    session = KernelSession()
    scene = GraphScene(LIGHT, workspace)
    graph = GraphController(session, workspace, scene, lambda: None)
    runs = RunController(session, workspace, graph)
    yield workspace, session, scene, graph, runs
    graph.shutdown()
    session.shutdown()


def test_opening_a_project_loads_lays_out_and_draws_it(parts, example_copy, qtbot):
    workspace, _, scene, graph, _ = parts
    folder = example_copy("spaceflights")
    with qtbot.waitSignal(graph.graph_shown, timeout=60_000) as shown:
        graph.open_project(folder)
    snapshot, first = shown.args
    assert first and snapshot is workspace.graph.snapshot
    assert [f.name for f in workspace.project.dataflows] == ["run"]
    assert set(scene.nodes) == {n.name for n in snapshot.nodes}
    # The same graph again (a layout served from the cache) is drawn too.
    with qtbot.waitSignal(graph.graph_shown, timeout=60_000):
        workspace.graph.relayout()


def test_a_save_that_keeps_the_shape_needs_no_layout(parts, example_copy, qtbot):
    workspace, _, scene, graph, _ = parts
    folder = example_copy("spaceflights")
    with qtbot.waitSignal(graph.graph_shown, timeout=60_000):
        graph.open_project(folder)
    layouts = []
    graph.layouts.finished.connect(lambda *args: layouts.append(args))
    module = folder / "reporting.py"
    with qtbot.waitSignal(graph.graph_shown, timeout=30_000) as shown:
        module.write_text(
            module.read_text().replace(
                "return float(np.max(np.abs(y_test - y_pred)))",
                "return float(1.0 * np.max(np.abs(y_test - y_pred)))",
            )
        )
    assert shown.args[1] is False and layouts == []
    assert "max_error" in workspace.graph.changed
    assert scene.nodes["max_error"].changed


def test_a_run_feeds_the_runs_model_and_a_failed_load_names_the_file(parts, tmp_path, qtbot):
    workspace, session, _, graph, runs = parts
    (tmp_path / "arith.py").write_text(
        "def one() -> int:\n    return 1\n\n\ndef two(one: int) -> int:\n    return one + 1\n"
    )
    with qtbot.waitSignal(graph.graph_shown, timeout=60_000):
        graph.open_project(tmp_path)
    ended = []
    workspace.runs.running_changed.connect(lambda running: running or ended.append(True))
    record = runs.run(["two"])
    qtbot.waitUntil(lambda: bool(ended), timeout=60_000)
    assert record.status is RunStatus.DONE
    assert workspace.runs.state.state("two") is NodeState.DONE
    assert workspace.runs.state.state("one") is NodeState.DONE
    notices = []
    graph.notice.connect(notices.append)
    (tmp_path / "arith.py").write_text("def one( -> int:\n")
    qtbot.waitUntil(lambda: bool(notices), timeout=30_000)
    assert "arith.py, line 1" in notices[0].text
    assert workspace.graph.snapshot is not None  # the last good graph stays
    replies = []
    session.shutdown()
    session.request(HelloParams(), replies.append)
    qtbot.waitUntil(lambda: bool(replies), timeout=5_000)
    assert replies[0].code is ErrorCode.NO_KERNEL
