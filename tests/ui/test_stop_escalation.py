"""Stop when a node ignores the interrupt: it escalates and the banner says how far
(issue 31, case 10). Real window, real kernel."""

import pytest

from studio.core.runs.run_state import NodeState
from studio.ui.runs.run_controller import STOP_STEP_MS
from tests.helpers import finish_run

pytestmark = pytest.mark.timeout(150)

DEAF = """
import signal
import time


def a() -> int:
    return 1


def deaf(a: int) -> int:
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        while True:
            time.sleep(0.05)
    finally:
        signal.signal(signal.SIGINT, previous)


def stuck(a: int) -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    time.sleep(3600)  # in C: nothing raised in Python reaches it
    return a
"""


@pytest.fixture
def window(open_window, tmp_path):
    folder = tmp_path / "deaf"
    folder.mkdir()
    (folder / "flow.py").write_text(DEAF)
    return open_window(folder)


def _stop_while_running(window, qtbot, node: str) -> None:
    runs = window.workspace.runs
    window.run_controller.run([node])
    qtbot.waitUntil(lambda: runs.state.state(node) is NodeState.RUNNING, timeout=30_000)
    qtbot.wait(300)
    assert window.run_controller.stop()


def test_a_node_ignoring_the_interrupt_is_stopped_by_one_raised_inside_it(window, qtbot):
    _stop_while_running(window, qtbot, "deaf")
    runs = window.workspace.runs
    qtbot.waitUntil(lambda: not runs.running, timeout=STOP_STEP_MS + 5_000)
    record = runs.records[-1]
    assert record.status == "interrupted" and record.failed_node == "deaf"
    assert window.banner.text() == (
        "The node did not stop on the interrupt (it may ignore Ctrl+C): Stop raised it inside "
        "the node, which stopped it."
    )
    assert finish_run(qtbot, window, lambda: window.run_controller.run(["a"])).status == "done"


def test_a_node_that_no_interrupt_reaches_gets_a_new_kernel(window, qtbot):
    session = window.session
    first = session.pid
    _stop_while_running(window, qtbot, "stuck")
    runs = window.workspace.runs
    qtbot.waitUntil(lambda: "did not stop on the interrupt" in window.banner.text(), timeout=10_000)
    qtbot.waitUntil(lambda: not runs.running, timeout=2 * STOP_STEP_MS + 10_000)
    assert runs.records[-1].status != "done"
    assert "the kernel was restarted" in window.banner.text()
    qtbot.waitUntil(lambda: session.pid not in (None, first) and session.info, timeout=60_000)
    qtbot.waitUntil(lambda: window.workspace.graph.snapshot is not None, timeout=30_000)
    record = finish_run(qtbot, window, lambda: window.run_controller.run(["a"]))
    assert record.status == "done", record.message
