"""A driver script's materializers in the window: drawn as materializers, written only
when run by name (Run All computes what they would save and writes nothing)."""

import os

import pytest

from studio.core.graph.snapshot import NodeKind
from tests.helpers import finish_run

pytestmark = pytest.mark.timeout(150)

FLOW = '''import pandas as pd


def table() -> pd.DataFrame:
    """The rows to save."""
    return pd.DataFrame({"a": [1, 2, 3]})


def total(table: pd.DataFrame) -> int:
    return int(table["a"].sum())
'''

SCRIPT = """from hamilton import driver
from hamilton.io.materialization import to

import mat_window

dr = driver.Builder().with_modules(mat_window).build()
dr.materialize(
    to.csv(id="save_table", dependencies=["table"], path="table.csv"),
    additional_vars=["total"],
)
"""


def test_materializer_nodes_are_drawn_apart_and_run_only_when_asked(open_window, qtbot, tmp_path):
    (tmp_path / "mat_window.py").write_text(FLOW, encoding="utf-8")
    (tmp_path / "run.py").write_text(SCRIPT, encoding="utf-8")
    window = open_window(tmp_path, size=(1000, 640))
    item = window.scene.nodes["save_table"]
    assert item.info.kind is NodeKind.MATERIALIZER
    assert item.info.file == "run.py"
    shot = os.environ.get("STUDIO_MATERIALIZER_SHOT")
    if shot:
        window.legend.set_expanded(True)
        qtbot.wait(200)
        window.grab().save(shot)

    record = finish_run(qtbot, window, window.run_controller.run_all)
    assert record.status == "done", record.message
    assert "save_table" not in record.nodes and "total" in record.nodes
    assert not (tmp_path / "table.csv").exists()

    record = finish_run(qtbot, window, lambda: window.run_controller.run(["save_table"]))
    assert record.status == "done", record.message
    assert (tmp_path / "table.csv").read_text().splitlines()[0] == "a"
