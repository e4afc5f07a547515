"""Issue 31, case 2 in the window: a result computed from a file is marked stale when
the file changes, naming it, and the next run computes it again."""

import os

import pytest

from studio.core.runs.run_state import NodeState
from studio.ui.canvas.items.node_item import run_phrase

pytestmark = pytest.mark.timeout(120)

FLOW = """
from pathlib import Path


def table() -> list[int]:
    return [int(x) for x in (Path(__file__).parent / "data.csv").read_text().split()]


def total(table: list[int]) -> int:
    return sum(table)
"""


def test_a_changed_data_file_marks_its_results_stale_and_is_read_again(
    open_window, qtbot, tmp_path
):
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "flow.py").write_text(FLOW)
    data = folder / "data.csv"
    data.write_text("1 2\n")
    window = open_window(folder)
    runs = window.workspace.runs
    record = window.run_controller.run(["total"])
    qtbot.waitUntil(lambda: record.finished, timeout=60_000)
    assert record.status == "done", record.message
    assert runs.state.get("total").state is NodeState.DONE
    qtbot.wait(2500)  # a check of the files went by: nothing changed, nothing stale
    assert runs.state.get("total").state is NodeState.DONE

    before = data.stat().st_mtime_ns
    data.write_text("10 20\n")
    os.utime(data, ns=(before + 10**9, before + 10**9))
    qtbot.waitUntil(lambda: runs.state.get("table").state is NodeState.STALE, timeout=10_000)
    assert run_phrase(runs.state.get("table")) == "stale: data.csv changed since it was computed"
    assert runs.state.get("total").stale_reason == "data.csv changed, read by table"

    again = window.run_controller.run(["total"])
    qtbot.waitUntil(lambda: again.finished, timeout=60_000)
    assert {n: str(r.status) for n, r in again.nodes.items()} == {
        "table": "computed",
        "total": "computed",
    }
    qtbot.wait(2500)
    assert runs.state.get("total").state is NodeState.DONE  # fresh, and it stays so
