"""Click to run, in the real window with a real kernel: states, log, reuse, stop, failures."""

import os
import pickle
import subprocess
import sys
import threading

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtTest import QTest

from studio.core.runs.run_state import NodeState
from studio.core.time_text import format_seconds
from tests.helpers import finish_run, kernel_value, plan_of

pytestmark = pytest.mark.timeout(150)

UPSTREAM_OF_METRICS = {
    "companies",
    "shuttles",
    "reviews",
    "companies_preprocessed",
    "shuttles_preprocessed",
    "model_input_table",
    "feature_columns",
    "test_rows",
    "train_rows",
    "x_train",
    "x_test",
    "y_train",
    "y_test",
    "regressor",
    "y_pred",
    "r2_score",
    "mean_absolute_error",
    "max_error",
    "evaluation_metrics",
}


def plain_hamilton_metrics(folder) -> dict:
    code = (
        "import pickle, sys, data_loading, preprocessing, data_science, reporting\n"
        "from hamilton import driver\n"
        "dr = driver.Builder().with_modules(data_loading, preprocessing, data_science, reporting)"
        ".build()\n"
        "out = dr.execute(['evaluation_metrics'], inputs={'data_dir': 'data', 'test_size': 0.2,"
        " 'random_state': 3})\n"
        "sys.stdout.buffer.write(pickle.dumps(out['evaluation_metrics']))\n"
    )
    env = {**os.environ, "HAMILTON_TELEMETRY_ENABLED": "false"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=folder, env=env, capture_output=True, check=True
    )
    return pickle.loads(out.stdout)


def press(window, key, modifier=Qt.KeyboardModifier.NoModifier):
    """A key press as the user makes it: through the window, so shortcuts apply."""
    window.activateWindow()
    window.view.setFocus()
    QTest.keyClick(window.windowHandle(), key, modifier)


def states(window):
    return {name: window.workspace.runs.state.state(name) for name in window.scene.nodes}


@pytest.fixture
def spaceflights(example_copy, open_window):
    folder = example_copy("spaceflights")
    return folder, open_window(folder)


def test_double_click_runs_the_upstream_subgraph_like_hamilton(spaceflights, qtbot):
    folder, window = spaceflights
    item = window.scene.nodes["evaluation_metrics"]
    window.view.centre_on_node("evaluation_metrics", animate=False)
    position = window.view.mapFromScene(item.pos())
    record = finish_run(
        qtbot,
        window,
        lambda: qtbot.mouseDClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=position),
    )
    assert record.status == "done", record.message
    assert set(record.computed()) == UPSTREAM_OF_METRICS
    done = {name for name, state in states(window).items() if state is NodeState.DONE}
    assert done == UPSTREAM_OF_METRICS
    assert states(window)["price_by_shuttle_type"] is NodeState.NOT_COMPUTED
    assert all(window.workspace.runs.state.get(n).seconds is not None for n in done)
    assert kernel_value(window, "results.evaluation_metrics") == plain_hamilton_metrics(folder)
    qtbot.waitUntil(
        lambda: "19 computed, 0 reused" in window.run_log.row_text(record.number), timeout=5_000
    )
    import stat

    from studio.core.cache.cache_paths import project_cache_dir

    cache = project_cache_dir(window.workspace.project.root)
    assert any(cache.rglob("*.db")), "the run's results went to the project's cache"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700, "other users cannot read the results"


def test_after_an_edit_only_that_node_and_its_downstream_recompute(spaceflights, qtbot):
    folder, window = spaceflights
    finish_run(qtbot, window, lambda: window.run_controller.run(["evaluation_metrics"]))
    module = folder / "reporting.py"
    module.write_text(
        module.read_text().replace(
            "return float(np.max(np.abs(y_test - y_pred)))",
            "return float(np.max(np.abs(y_test - y_pred))) * 2",
        )
    )
    qtbot.waitUntil(
        lambda: window.workspace.runs.state.state("max_error") is NodeState.STALE, timeout=15_000
    )
    assert window.workspace.runs.state.state("evaluation_metrics") is NodeState.STALE
    assert window.workspace.runs.state.state("r2_score") is NodeState.DONE
    window.workspace.selection.select_nodes(["evaluation_metrics"])
    assert window.workspace.runs.durations.path.exists()
    plan = plan_of(qtbot, window, ["evaluation_metrics"])
    assert plan.computed == ["max_error", "evaluation_metrics"]
    assert {"y_test", "y_pred", "r2_score", "mean_absolute_error"} == set(plan.reused)
    assert plan.untimed == ["max_error"] and plan.maybe_cached == ["evaluation_metrics"]
    window.actions["run"].hover()
    qtbot.waitUntil(
        lambda: (
            "Computes 2 nodes, reuses 4, 1 maybe from the disk cache; about "
            in window.actions["run"].toolTip()
        ),
        timeout=15_000,
    )
    plan_thread_busy = threading.Event()
    window.run_controller._forecaster._pool.submit(plan_thread_busy.wait, 30)

    def run_while_the_plan_thread_is_busy():
        qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.wait(1_000)
        # Sent now, the run would write the disk cache before its plan reads it.
        assert window.workspace.runs.state.state("max_error") is NodeState.STALE
        plan_thread_busy.set()

    record = finish_run(qtbot, window, run_while_the_plan_thread_is_busy)
    assert record.status == "done"
    assert sorted(record.computed()) == ["evaluation_metrics", "max_error"]
    assert record.forecast == plan.headline()
    panel = window.results_panel
    window.workspace.selection.select_nodes(["max_error"])
    qtbot.waitUntil(lambda: not panel.compare_button.isHidden(), timeout=10_000)
    panel.compare_button.click()
    qtbot.waitUntil(lambda: "+100.0 %" in panel.comparison.toPlainText(), timeout=10_000)
    assert panel.comparison.toPlainText().startswith("max_error: previous value → now")
    panel.compare_button.click()
    assert panel.stack.currentWidget() is not panel.comparison
    window.workspace.selection.select_nodes(["r2_score"])
    assert panel.compare_button.isHidden()
    qtbot.waitUntil(lambda: "computed" in panel.header.text(), timeout=10_000)
    assert "r2_score" in panel.header.text() and panel.compare_button.isHidden()
    assert {"y_test", "y_pred", "r2_score", "mean_absolute_error"} <= set(record.reused())
    assert window.workspace.runs.state.state("max_error") is NodeState.DONE
    metrics = kernel_value(window, "results['evaluation_metrics']")
    assert metrics["max_error"] == pytest.approx(
        2 * plain_hamilton_metrics(folder)["max_error"] / 2 * 1
    )


def test_results_are_reused_after_a_kernel_restart(spaceflights, qtbot):
    _, window = spaceflights
    finish_run(qtbot, window, lambda: window.run_controller.run(["evaluation_metrics"]))
    with qtbot.waitSignal(window.controller.load_finished, timeout=60_000):
        window.restart_kernel()
    assert all(state is NodeState.NOT_COMPUTED for state in states(window).values())
    record = finish_run(qtbot, window, lambda: window.run_controller.run(["evaluation_metrics"]))
    assert record.status == "done"
    assert record.computed() == []
    assert set(record.reused()) == UPSTREAM_OF_METRICS
    assert window.workspace.runs.state.state("model_input_table") is NodeState.REUSED


@pytest.fixture
def troubled(troubled_spaceflights, open_window):
    return troubled_spaceflights, open_window(troubled_spaceflights)


def test_escape_stops_an_endless_loop_and_the_next_run_works(troubled, qtbot):
    _, window = troubled
    window.run_controller.run(["forever"])
    qtbot.waitUntil(
        lambda: window.workspace.runs.state.state("forever") is NodeState.RUNNING, timeout=30_000
    )
    with qtbot.waitSignal(window.workspace.runs.running_changed, timeout=3_000):
        press(window, Qt.Key.Key_Escape)
    record = window.workspace.runs.records[-1]
    assert record.status == "interrupted"
    assert record.nodes["forever"].status == "interrupted"
    assert window.workspace.runs.state.state("forever") is NodeState.INTERRUPTED
    assert (
        finish_run(qtbot, window, lambda: window.run_controller.run(["r2_score"])).status == "done"
    )


SLEEPY_MODULE = """
import time


def data_dir() -> str:
    return "data"


def sleepy(data_dir: str) -> int:
    for _ in range(300):
        time.sleep(0.1)
    return 1


def after(sleepy: int) -> int:
    return sleepy + 1
"""


def test_an_interrupted_node_shows_how_long_it_ran_and_an_interrupted_badge(
    open_window, qtbot, tmp_path
):
    folder = tmp_path / "sleepy"
    folder.mkdir()
    (folder / "slow.py").write_text(SLEEPY_MODULE)
    window = open_window(folder)
    window.run_controller.run(["after"])
    runs = window.workspace.runs
    qtbot.waitUntil(lambda: runs.state.state("sleepy") is NodeState.RUNNING, timeout=30_000)
    qtbot.wait(2_000)
    with qtbot.waitSignal(runs.running_changed, timeout=5_000):
        press(window, Qt.Key.Key_Escape)
    record = runs.records[-1]
    assert record.status == "interrupted" and record.failed_node == "sleepy"
    assert 1.8 < record.nodes["sleepy"].seconds < 10
    run = runs.state.get("sleepy")
    assert run.state is NodeState.INTERRUPTED and 1.8 < run.seconds < 10
    card = window.scene.nodes["sleepy"]
    assert card.run.state is NodeState.INTERRUPTED
    shown = format_seconds(run.seconds)
    assert shown.endswith(" s") and f"interrupted after {shown}" in card.toolTip()
    assert runs.state.state("after") is NodeState.NOT_COMPUTED, "not failed: it never ran"
    qtbot.waitUntil(
        lambda: f"interrupted in sleepy after {shown}" in window.run_log.row_text(record.number),
        timeout=5_000,
    )
    window.workspace.selection.select_nodes(["sleepy"])
    qtbot.waitUntil(
        lambda: f"interrupted after {shown}" in window.results_panel.message.text(), timeout=5_000
    )


def test_a_failing_node_is_red_with_a_traceback_that_opens_the_code(troubled, qtbot):
    _, window = troubled
    record = finish_run(qtbot, window, lambda: window.run_controller.run(["boom"]))
    assert record.status == "failed"
    assert record.failed_node == "boom"
    assert window.workspace.runs.state.state("boom") is NodeState.FAILED
    assert "ZeroDivisionError: division by zero" in window.run_log.detail_text()
    frame = next(i for i, f in enumerate(record.frames) if f.in_project and f.file == "trouble.py")
    window.run_log._on_link(QUrl(f"frame:{frame}"))
    assert window.inspector.excerpt.path.name == "trouble.py"
    assert window.inspector.excerpt.focus_line == 13


def test_a_missing_input_is_named_without_a_traceback(spaceflights, qtbot):
    _, window = spaceflights
    window.inputs_panel.set_value("data_dir", "")
    record = finish_run(qtbot, window, lambda: window.run_controller.run(["shuttles"]))
    assert record.status == "missing_inputs"
    assert record.missing == ["data_dir"]
    assert record.traceback == ""
    assert "data_dir (str)" in window.banner.text()
    assert window.inputs_dock.isVisible()
    window.inputs_panel.set_value("data_dir", '"data"')
    assert not window.banner.isVisible()  # its cause is gone
    assert (
        finish_run(qtbot, window, lambda: window.run_controller.run(["shuttles"])).status == "done"
    )
    assert not window.banner.isVisible()


def test_a_node_that_kills_its_process_fails_the_run_and_a_new_kernel_starts(troubled, qtbot):
    _, window = troubled
    old_pid = window.session.pid
    record = finish_run(qtbot, window, lambda: window.run_controller.run(["die"]))
    assert record.status == "failed"
    assert "kernel died" in record.message and "exit code 7" in record.message
    assert "while running die" in record.message and record.failed_node == "die"
    assert "The kernel died while running die" in window.banner.text()
    qtbot.waitUntil(lambda: window.session.pid not in (None, old_pid), timeout=30_000)
    assert (
        finish_run(qtbot, window, lambda: window.run_controller.run(["r2_score"])).status == "done"
    )
    assert not window.banner.isVisible()  # the next run made the message out of date


def test_what_a_node_prints_appears_in_the_run_log(troubled, qtbot):
    _, window = troubled
    record = finish_run(qtbot, window, lambda: window.run_controller.run(["chatty"]))
    assert "hello from a node" in "".join(record.output)
    assert "hello from a node" in window.run_log.detail_text()
    # The console is built only when first seen (not at launch), and then shows what
    # the runs before printed, as one built at launch would have.
    assert not window.console.built
    window.docks.show("console")
    assert window.console.built
    qtbot.waitUntil(lambda: "hello from a node" in window.console.text(), timeout=10_000)
    assert window.console.text().count("hello from a node") == 1


def test_run_downstream_and_run_all(spaceflights, qtbot):
    _, window = spaceflights
    window.workspace.selection.select_nodes(["model_input_table"])
    record = finish_run(qtbot, window, window.actions["run-downstream"].trigger)
    assert {"evaluation_metrics", "price_by_shuttle_type"} <= set(record.targets) | set(
        record.computed()
    )
    assert window.workspace.runs.state.state("price_by_shuttle_type") is NodeState.DONE
    everything = finish_run(qtbot, window, window.actions["run-all"].trigger)
    assert everything.status == "done" and everything.computed() == []


def test_input_values_are_kept_per_project(spaceflights, open_window, qtbot):
    folder, window = spaceflights
    window.inputs_panel.set_value("random_state", "7")
    window.close()
    again = open_window(folder)
    assert again.inputs_panel.expressions()["random_state"] == "7"
    assert again.inputs_panel.expressions()["data_dir"] == "'data'"


def test_the_result_cache_is_private_bounded_and_its_size_shown(spaceflights, qtbot):
    import stat

    _, window = spaceflights
    clear = window.actions["clear-results"]
    assert finish_run(
        qtbot, window, lambda: window.run_controller.run(["model_input_table"])
    ).status == ("done")
    assert clear.text().startswith("Clear Results (") and "KB on disk" in clear.text()
    results = [p for p in window.workspace.project.cache_dir.iterdir() if p.is_file()]
    assert results and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in results)
    window.workspace.runs.cache_limit = 1  # as Run ▸ Result Cache Limit… would set it (in bytes)
    assert (
        finish_run(qtbot, window, lambda: window.run_controller.run(["r2_score"])).status == "done"
    )
    assert clear.text() == "Clear Results (0 B on disk)"
