"""A folder not yet trusted: decorators drawn as Hamilton would, the rest said honestly."""

import pytest

pytestmark = pytest.mark.timeout(120)

MODULE = """
from pathlib import Path

import pandas as pd
import some_library_not_installed as lib
from hamilton.function_modifiers import extract_columns

Path("imported.log").write_text("the module ran")


def raw() -> pd.DataFrame:
    return pd.DataFrame({"a": [1], "b": [2]})


@extract_columns("a", "b")
def table(raw: pd.DataFrame) -> pd.DataFrame:
    return raw


@lib.memoize
def summary(a: pd.Series, hidden: int) -> float:
    return float(a.sum())
"""


def test_untrusted_folder_expands_literal_decorators_and_marks_the_rest(open_window, tmp_path):
    folder = tmp_path / "decorated"
    folder.mkdir()
    (folder / "flow.py").write_text(MODULE)
    window = open_window(folder, trust=False)
    # one card per function: the extracted columns fold into `table`'s; no `hidden` input
    assert set(window.scene.nodes) == {"raw", "table", "summary"}
    assert set(window.scene.nodes["table"].members) == {"table", "a", "b"}
    assert not (folder / "imported.log").exists()
    label = window.status.graph_label.text()
    assert label.startswith(
        "3 functions · 5 nodes read from source, 1 function expands when trusted · "
    )
    summary = window.scene.nodes["summary"]
    assert "decorators make its nodes when the folder is trusted" in summary.toolTip()
    assert "decorators make" not in window.scene.nodes["table"].toolTip()
