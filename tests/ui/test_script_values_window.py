"""The window runs as the driver script does: its computed inputs and config are
evaluated in the kernel once the folder is trusted, shown with their origin, used by
Run All with nothing typed; a typed value wins; a failing one blocks only its runs."""

import time

from studio.core.discovery.project import ValueKind
from studio.core.protocol import RunStatus
from tests.helpers import script_values_project


def _evaluated(window) -> bool:
    model = window.workspace.script_values
    return not model.evaluating and bool(model.of(ValueKind.INPUT, "run"))


def _run(window, qtbot, start):
    record = start()
    assert record is not None
    qtbot.waitUntil(lambda: not window.workspace.runs.running, timeout=60_000)
    return record


def test_run_all_uses_the_scripts_values_and_a_typed_value_wins(open_window, qtbot, tmp_path):
    folder = script_values_project(tmp_path / "hello")
    window = open_window(folder)
    qtbot.waitUntil(lambda: _evaluated(window), timeout=60_000)
    assert "label" in window.scene.nodes  # @config.when saw the computed config

    text, grey, tip = window.inputs_panel.shown("spend")
    assert text == "" and grey.startswith("from run.py:31: pandas.Series (6,)")
    assert "pd.Series" in window.inputs_panel.shown("signups")[2]
    text, grey, tip = window.inputs_panel.shown("broken")
    assert grey.startswith("run.py:34 failed: ZeroDivisionError")
    assert "run.py, line 19, in explode" in tip
    grey, tip = window.config_editor.hint("data_dir")
    assert grey.startswith("from run.py:25: str")

    record = _run(window, qtbot, window.run_controller.run_all)
    assert record.status is RunStatus.DONE, record.message
    assert set(record.targets) == {"spend_per_signup", "total_spend", "label"}
    assert not (folder / "top_level_ran.txt").exists()
    assert not (folder / "after_execute_ran.txt").exists()

    blocked = _run(window, qtbot, lambda: window.run_controller.run(["broken_total"]))
    assert blocked.status is RunStatus.BAD_INPUTS
    assert "input 'broken' (run.py:34" in blocked.message and "ZeroDivisionError" in blocked.message

    window.inputs_panel.set_value("broken", "41")
    assert window.workspace.project.inputs == {"broken": "41"}
    assert "Yours" in window.inputs_panel.shown("broken")[2]
    fixed = _run(window, qtbot, lambda: window.run_controller.run(["broken_total"]))
    assert fixed.status is RunStatus.DONE, fixed.message

    window.inputs_panel.set_value("spend", "pd.Series([1.0, 1.0, 1.0, 1.0, 1.0, 1.0])")
    again = _run(window, qtbot, lambda: window.run_controller.run(["total_spend"]))
    assert again.status is RunStatus.DONE, again.message
    assert "total_spend" in again.nodes  # computed again: the input changed

    window.inputs_panel.set_value("spend", "")  # back to the script's value
    assert "spend" not in window.workspace.project.inputs


def test_an_untrusted_folder_evaluates_nothing(open_window, qtbot, tmp_path):
    folder = script_values_project(tmp_path / "hello")
    window = open_window(folder, wait=False, trust=False)
    qtbot.waitUntil(lambda: window.workspace.graph.snapshot is not None, timeout=60_000)
    qtbot.wait(300)
    assert window.workspace.script_values.of(ValueKind.INPUT, "run") == {}
    assert "the script computes: spend" in window.inputs_panel.shown("spend")[1]


SLOW_MODULE = """\
def doubled(x: int) -> int:
    return 2 * x


def constant() -> int:
    return 7
"""

SLOW_DRIVER = """\
import time
from pathlib import Path

from hamilton import driver

import functions


def slow():
    Path("slow_started.txt").touch()
    time.sleep(60)
    return 1


if __name__ == "__main__":
    dr = driver.Builder().with_modules(functions).build()
    print(dr.execute(["doubled", "constant"], inputs={"x": slow()}))
"""


def test_esc_interrupts_a_slow_script_value_and_a_save_evaluates_it_again(
    open_window, qtbot, tmp_path
):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from studio.ui.runs.script_values_client import BUSY_TEXT

    folder = tmp_path / "slow"
    folder.mkdir()
    (folder / "functions.py").write_text(SLOW_MODULE)
    (folder / "run.py").write_text(SLOW_DRIVER)
    window = open_window(folder)
    model = window.workspace.script_values
    qtbot.waitUntil(lambda: (folder / "slow_started.txt").exists(), timeout=30_000)
    assert model.evaluating and window.statusBar().currentMessage() == BUSY_TEXT
    window.activateWindow()
    window.view.setFocus()
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not model.evaluating, timeout=10_000)
    assert window.statusBar().currentMessage() != BUSY_TEXT
    qtbot.waitUntil(lambda: "interrupted" in window.inputs_panel.shown("x")[1], timeout=5_000)
    assert window.inputs_panel.shown("x")[1].startswith("run.py:")

    started = time.monotonic()
    record = _run(window, qtbot, lambda: window.run_controller.run(["constant"]))
    assert record.status is RunStatus.DONE, record.message
    assert time.monotonic() - started < 20, "the run did not evaluate the slow value again"
    needing = _run(window, qtbot, lambda: window.run_controller.run(["doubled"]))
    assert needing.status is RunStatus.BAD_INPUTS and "interrupted" in needing.message

    script = folder / "run.py"
    script.write_text(script.read_text().replace("time.sleep(60)", "time.sleep(0.1)"))
    qtbot.waitUntil(lambda: model.evaluating, timeout=30_000)
    qtbot.waitUntil(
        lambda: not model.evaluating and window.inputs_panel.shown("x")[1].startswith("from "),
        timeout=30_000,
    )
    assert (
        _run(window, qtbot, lambda: window.run_controller.run(["doubled"])).status is RunStatus.DONE
    )
