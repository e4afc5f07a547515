"""A module that never finishes importing: the window names it, Esc interrupts it, and
saving the module loads it again (issue 17)."""

import pytest

pytestmark = pytest.mark.timeout(180)

STUCK = """
import time


def a() -> int:
    return 1


while True:
    time.sleep(0.05)
"""

FIXED = """
def a() -> int:
    return 1
"""


@pytest.fixture
def stuck_project(tmp_path, monkeypatch):
    import studio.ui.project.load_watch as load_watch

    monkeypatch.setattr(load_watch, "SLOW_LOAD_SECONDS", 1.5)
    folder = tmp_path / "stuck"
    folder.mkdir()
    (folder / "slow.py").write_text(STUCK)
    (folder / "fast.py").write_text("def b(a: int) -> int:\n    return a\n")
    return folder


def test_a_stuck_import_is_named_and_esc_interrupts_it(open_window, qtbot, stuck_project):
    window = open_window(stuck_project, wait=False)
    qtbot.waitUntil(lambda: "slow" in window.banner.text(), timeout=60_000)
    assert "importing slow for" in window.banner.text()
    assert window.load_watch.module == "slow"
    window._on_escape()
    qtbot.waitUntil(lambda: "slow was interrupted" in window.banner.text(), timeout=30_000)
    assert window.load_watch.seconds == 0.0  # no load goes on
    with qtbot.waitSignal(window.controller.graph_shown, timeout=60_000):
        (stuck_project / "slow.py").write_text(FIXED)
    assert window.workspace.graph.snapshot.node("b") is not None


def test_saving_the_stuck_module_replaces_the_load_that_hangs(open_window, qtbot, stuck_project):
    window = open_window(stuck_project, wait=False)
    qtbot.waitUntil(lambda: window.load_watch.module == "slow", timeout=60_000)
    qtbot.waitUntil(lambda: window.load_watch.seconds > 2.5, timeout=10_000)
    with qtbot.waitSignal(window.controller.graph_shown, timeout=60_000):
        (stuck_project / "slow.py").write_text(FIXED)
    assert {n.name for n in window.workspace.graph.snapshot.nodes} == {"a", "b"}
