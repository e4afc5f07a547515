"""Edits of a notebook's module cells land in the cell, and nowhere else in the notebook."""

import json

import nbformat
import pytest

from studio.core.discovery.discover import discover
from studio.core.editing.dataflow_editor import DataflowEditor
from studio.core.editing.edit_plan import EditRefusedError
from studio.core.editing.notebook_edits import with_cell_source
from studio.core.editing.source_save import plan_source_save
from tests.notebook_helpers import DRIVER, FUNCTIONS, write_notebook


def jupyter_save_with(path, cell_number: int, source: str) -> bytes:
    """What Jupyter writes for the notebook with that cell's source changed."""
    notebook = nbformat.read(str(path), as_version=nbformat.NO_CONVERT)
    notebook.cells[cell_number - 1].source = source
    text = nbformat.writes(notebook)
    return (text if text.endswith("\n") else text + "\n").encode()


@pytest.fixture
def notebook_project(tmp_path):
    path = write_notebook(tmp_path / "nb.ipynb", FUNCTIONS, DRIVER)
    same_name = tmp_path / "my_functions.py"  # must never be touched by the notebook's edits
    same_name.write_text("def spend() -> int:\n    return 1\n")
    project = discover(tmp_path)
    flow = next(f for f in project.dataflows if f.driver == "nb.ipynb")
    return path, DataflowEditor(tmp_path, project.dataflows, flow), same_name


def test_a_rename_is_written_into_the_cell_as_jupyter_would_save_it(notebook_project):
    path, editor, same_name = notebook_project
    before = path.read_bytes()
    plan = editor.rename("spend", "outlay")
    assert plan.files() == [path]
    plan.apply()
    cell = nbformat.read(str(path), as_version=4).cells[1]
    assert "def outlay() -> pd.Series" in cell.source
    assert "def doubled(outlay: pd.Series)" in cell.source
    assert cell.source.startswith("%%cell_to_module my_functions --display\n")
    assert cell.outputs[0]["text"] == "hello\n"  # outputs kept
    assert path.read_bytes() == jupyter_save_with(path, 2, cell.source)
    assert "outlay" not in same_name.read_text()
    plan.undo()
    assert path.read_bytes() == before


def test_a_connect_edit_changes_only_that_cells_source(notebook_project):
    path, editor, _ = notebook_project
    editor.add("bonus", []).apply()
    plan = editor.connect("bonus", "doubled")
    plan.apply()
    cell = nbformat.read(str(path), as_version=4).cells[1]
    assert "bonus" in cell.source.split("def doubled(")[1].split(")")[0]
    assert path.read_bytes() == jupyter_save_with(path, 2, cell.source)


def test_a_function_saved_from_the_inspector_goes_into_its_cell(notebook_project):
    path, _, _ = notebook_project
    stand_in = path / "my_functions.py"
    opened = "def doubled(spend: pd.Series) -> pd.Series:\n    return spend * 2"
    edited = "def doubled(spend: pd.Series) -> pd.Series:\n    return spend + spend"
    before = path.read_bytes()
    plan = plan_source_save(stand_in, 9, opened, edited)
    plan.apply()
    cell = nbformat.read(str(path), as_version=4).cells[1]
    assert "return spend + spend" in cell.source
    assert path.read_bytes() == jupyter_save_with(path, 2, cell.source)
    plan.undo()
    assert path.read_bytes() == before


def test_a_notebook_not_laid_out_by_jupyter_keeps_its_own_layout(tmp_path):
    path = write_notebook(tmp_path / "nb.ipynb", FUNCTIONS)
    data = json.loads(path.read_text())
    path.write_text(json.dumps(data, indent=2, ensure_ascii=True))  # another tool's layout
    raw = path.read_bytes()
    after = with_cell_source(raw, 2, lambda old: old.replace("* 2", "* 3"))
    assert after.count(b"\n") == raw.count(b"\n")
    changed = [(a, b) for a, b in zip(raw.split(b"\n"), after.split(b"\n"), strict=True) if a != b]
    assert len(changed) == 1 and b"* 3" in changed[0][1]


def test_a_module_of_several_incremental_cells_is_refused(tmp_path):
    first = "%%incr_cell_to_module inc 1\ndef a() -> int:\n    return 1\n"
    second = "%%incr_cell_to_module inc 2\ndef b(a: int) -> int:\n    return a + 1\n"
    write_notebook(tmp_path / "nb.ipynb", first, second)
    project = discover(tmp_path)
    editor = DataflowEditor(tmp_path, project.dataflows, project.dataflow())
    with pytest.raises(EditRefusedError, match="several cells"):
        editor.rename("a", "z")


def test_a_rename_used_by_another_module_cell_changes_both_sources_and_keeps_all_outputs(
    tmp_path,
):
    users = (
        "%%cell_to_module report\nimport pandas as pd\n\n\n"
        "def total(doubled: pd.Series) -> float:\n    return float(doubled.sum())\n"
    )
    path = write_notebook(tmp_path / "nb.ipynb", FUNCTIONS, users)
    notebook = nbformat.read(str(path), as_version=4)
    notebook.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="60\n")]
    notebook.cells[2].metadata["tags"] = ["keep-me"]
    nbformat.write(notebook, str(path))
    before = path.read_bytes()
    project = discover(tmp_path)
    (flow,) = project.dataflows
    plan = DataflowEditor(tmp_path, project.dataflows, flow).rename("doubled", "twice")
    plan.apply()
    after = nbformat.read(str(path), as_version=4)
    assert "def twice(spend" in after.cells[1].source
    assert "def total(twice: pd.Series)" in after.cells[2].source
    for old, new in zip(notebook.cells, after.cells, strict=True):  # only sources changed
        assert {k: v for k, v in old.items() if k != "source"} == {
            k: v for k, v in new.items() if k != "source"
        }
    for number in (1, 2):
        notebook.cells[number].source = after.cells[number].source
    expected = nbformat.writes(notebook)
    assert path.read_bytes() == (expected if expected.endswith("\n") else expected + "\n").encode()
    plan.undo()
    assert path.read_bytes() == before


def test_a_rename_in_a_module_an_insert_line_makes_is_written_to_its_file(tmp_path):
    steps = tmp_path / "src" / "steps.py"
    steps.parent.mkdir()
    steps.write_text("def a() -> int:\n    return 1\n\n\ndef b(a: int) -> int:\n    return a + 1\n")
    path = write_notebook(
        tmp_path / "interactive.ipynb",
        "%insert_module src/steps.py",
        "from hamilton import driver\ndr = driver.Builder().with_modules(steps).build()",
    )
    before = path.read_bytes()
    project = discover(tmp_path)
    (flow,) = project.dataflows
    plan = DataflowEditor(tmp_path, project.dataflows, flow).rename("a", "first")
    assert plan.files() == [steps]
    plan.apply()
    assert "def first() -> int" in steps.read_text()
    assert "def b(first: int)" in steps.read_text()
    assert path.read_bytes() == before  # the notebook holds no code of it
