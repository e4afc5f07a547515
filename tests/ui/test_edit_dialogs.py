"""The Add Node dialog: defaults from what the node uses; a refusal keeps it open."""

from studio.core.discovery.discover import discover
from studio.core.editing.dataflow_editor import DataflowEditor
from studio.ui.editing.add_node_dialog import AddNodeDialog

STEPS = """import pandas as pd


def raw(path: str) -> pd.DataFrame:
    return pd.read_csv(path)
"""


def test_add_node_dialog_defaults_refuses_and_plans(qtbot, tmp_path):
    (tmp_path / "steps.py").write_text(STEPS)
    (tmp_path / "more.py").write_text("def other() -> int:\n    return 1\n")
    found = discover(tmp_path)
    editor = DataflowEditor(found.root, found.dataflows, found.dataflow())
    dialog = AddNodeDialog(editor, ["raw"], None)
    qtbot.addWidget(dialog)
    assert dialog.module_box.currentText() == "steps"
    assert dialog.returns_field.text() == "pd.DataFrame"
    dialog.name_field.setText("raw")
    dialog.accept()
    assert dialog.plan is None and not dialog.problem.isHidden()
    assert dialog.problem.text() == "A node named `raw` already exists"
    dialog.name_field.setText("row_count")
    dialog.returns_field.setText("int")
    dialog.accept()
    assert dialog.result() == AddNodeDialog.DialogCode.Accepted
    assert dialog.plan.summary == "Add node row_count"
    assert "+def row_count(raw: pd.DataFrame) -> int:" in dialog.plan.diff(tmp_path)
