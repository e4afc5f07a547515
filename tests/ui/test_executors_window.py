"""Picking where runs execute in the window: the toolbar selector, the settings page,
the status bar, Stop, and the owned cluster's end (issue 18). Real kernel, real Dask."""

import psutil
import pytest
from PySide6.QtCore import Qt

from studio.core.runs.executors import ExecutorChoice
from studio.core.runs.run_state import NodeState
from studio.ui.app_settings import AppSettings
from studio.ui.runs.executor_dialog import ExecutorDialog
from tests.helpers import finish_run, kernel_value

pytestmark = pytest.mark.timeout(240)

FLOW = """
import time
from pathlib import Path


def seed() -> int:
    return 4


def left(seed: int) -> list:
    return [seed * i for i in range(10)]


def right(seed: int) -> dict:
    return {"seed": seed, "half": seed / 2}


def total(left: list, right: dict) -> float:
    return sum(left) + right["half"]


def slow(seed: int) -> int:
    time.sleep(60)
    return seed
"""


@pytest.fixture
def parallel(tmp_path):
    root = tmp_path / "parallel"
    root.mkdir()
    (root / "flow.py").write_text(FLOW)
    return root


def pick(window, title: str) -> None:
    """As the user does: choose an entry of the Run toolbar's selector."""
    combo = window.executor.combo
    index = combo.findText(title)
    assert index >= 0, [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def cluster_processes(window) -> list[psutil.Process]:
    """The kernel's child processes but Python's resource tracker (one per process that
    started others, it ends with the kernel)."""
    children = psutil.Process(window.session.pid).children(recursive=True)
    return [p for p in children if "resource_tracker" not in " ".join(p.cmdline())]


def test_a_run_on_the_dask_picked_in_the_toolbar_matches_local_and_the_cluster_ends_after(
    open_window, parallel, qtbot
):
    window = open_window(parallel)
    local = finish_run(qtbot, window, lambda: window.run_controller.run(["total"]))
    assert local.status == "done"
    expected = kernel_value(window, "results['total']")

    pick(window, "Dask")
    assert window.workspace.project.executor == ExecutorChoice.parse("dask")
    assert "starts with the first run" in window.executor.label.text()
    record = finish_run(qtbot, window, lambda: window.run_controller.run(["total"], recompute=True))
    assert record.status == "done", record.message
    assert record.executor == "Dask (local cluster)"
    assert "on Dask (local cluster)" in record.summary()
    for name in ("seed", "left", "right", "total"):
        assert window.workspace.runs.state.state(name) is NodeState.DONE
        assert record.nodes[name].status == "computed"
    assert kernel_value(window, "results['total']") == expected
    qtbot.waitUntil(lambda: "2 workers" in window.executor.label.text(), timeout=10_000)
    assert "dashboard</a>" in window.executor.label.text()
    workers = cluster_processes(window)
    assert len(workers) >= 2

    # Stop interrupts the kernel's process group, the cluster's processes included:
    # the running node ends, the cluster lives on for the next run.
    window.run_controller.run(["slow"])
    qtbot.waitUntil(
        lambda: window.workspace.runs.state.state("slow") is NodeState.RUNNING, timeout=60_000
    )
    with qtbot.waitSignal(window.workspace.runs.running_changed, timeout=15_000):
        window.view.setFocus()
        qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    stopped = window.workspace.runs.records[-1]
    assert stopped.status == "interrupted"
    assert stopped.nodes["slow"].status == "interrupted" and stopped.nodes["slow"].seconds > 0
    assert window.workspace.runs.state.state("slow") is NodeState.INTERRUPTED
    again = finish_run(qtbot, window, lambda: window.run_controller.run(["left"], recompute=True))
    assert again.status == "done", again.message

    window.project_session.save()
    assert AppSettings().project_state(parallel.resolve())["executor"] == "dask"
    workers = cluster_processes(window)
    pick(window, "Local")  # runs no longer go to the cluster: it is stopped
    assert not window.executor.label.isVisible()
    psutil.wait_procs(workers, timeout=30)
    left = [p for p in workers if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert not left, [p.cmdline() for p in left]


def test_the_settings_page_attaches_to_a_cluster_by_address_and_refuses_a_wrong_one(qtbot):
    dialog = ExecutorDialog(ExecutorChoice.parse("threads"), {"dask": True, "ray": False})
    qtbot.addWidget(dialog)
    assert dialog.buttons[ExecutorChoice.parse("threads").kind].isChecked()
    address = dialog.addresses[ExecutorChoice.parse("dask").kind]
    qtbot.keyClicks(address, "tcp://10.1.2.3:8786")
    assert dialog.choice() == ExecutorChoice.parse("dask=tcp://10.1.2.3:8786")
    assert any(
        "dataflow-studio[ray]" in label.text() for label in dialog.findChildren(type(dialog.error))
    )


def test_a_run_on_an_engine_the_kernel_lacks_says_how_to_install_it(open_window, parallel, qtbot):
    window = open_window(parallel)
    kernel_value(window, "__import__('sys').modules.__setitem__('ray', None)")
    pick(window, "Ray")
    record = finish_run(qtbot, window, lambda: window.run_controller.run(["total"]))
    assert record.status == "failed"
    assert window.banner.isVisible()
    assert 'pip install "dataflow-studio[ray]"' in window.banner.text()


def test_choosing_an_engine_the_projects_python_lacks_offers_its_install_command(
    open_window, project_venv, qtbot
):
    from PySide6.QtWidgets import QApplication

    python = project_venv / ".venv" / "bin" / "python"
    window = open_window(project_venv, wait=False)  # it imports `shapes`: its own Python
    window.project_session.use_interpreter(python)
    qtbot.waitUntil(
        lambda: window.session.info is not None and window.session.info.executable == str(python),
        timeout=60_000,
    )
    assert window.session.info.engines == {"dask": False, "ray": False}
    pick(window, "Ray")
    assert window.banner.isVisible()
    assert f"{python} -m pip install ray" in window.banner.text()
    window.banner._action.click()
    assert QApplication.clipboard().text() == f"{python} -m pip install ray"
