"""A folder holding a notebook opens, runs and follows Jupyter's saves like a folder of modules.

Real window, real kernel, real watchdog; the notebook is written with nbformat as
Jupyter writes it.
"""

import nbformat
import pytest

from tests.helpers import finish_run, kernel_value
from tests.notebook_helpers import DRIVER, FUNCTIONS, write_notebook

pytestmark = pytest.mark.timeout(150)


def test_a_notebook_is_drawn_run_and_reloaded_on_save(tmp_path, open_window, qtbot):
    folder = tmp_path / "nbproject"
    path = write_notebook(folder / "analysis.ipynb", "import logging", FUNCTIONS, DRIVER)
    window = open_window(folder)
    assert set(window.scene.nodes) == {"spend", "doubled"}
    assert window.workspace.project.dataflows[0].driver == "analysis.ipynb"

    record = finish_run(qtbot, window, lambda: window.run_controller.run(["doubled"]))
    assert record.status == "done", record.message
    assert list(kernel_value(window, "results['doubled']")) == [20, 40, 60]

    added = FUNCTIONS + "\n\ndef halved(spend: pd.Series) -> pd.Series:\n    return spend / 2\n"
    write_notebook(path, "import logging", added, DRIVER)  # a save from Jupyter
    qtbot.waitUntil(lambda: "halved" in window.scene.nodes, timeout=15_000)
    assert ("spend", "halved") in window.scene.edges


def test_a_notebook_node_shows_its_cell_and_opens_in_jupyter(
    tmp_path, open_window, qtbot, monkeypatch
):
    folder = tmp_path / "nbproject"
    notebook = write_notebook(folder / "analysis.ipynb", FUNCTIONS, DRIVER)
    window = open_window(folder)
    window.scene.nodes["doubled"].setSelected(True)
    inspector = window.inspector
    qtbot.waitUntil(lambda: inspector.source_text().startswith("def doubled("), timeout=5_000)
    assert inspector.open_button.text() == "Open in Jupyter"
    assert inspector._source_title.text().startswith("analysis.ipynb, cell 2, line 9")
    assert "analysis.ipynb, cell 2, line 9" in inspector.details_text()

    empty = tmp_path / "no-jupyter"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    inspector.open_button.click()
    assert "Jupyter is not installed" in inspector._source_title.text()

    # A Jupyter on the PATH is started on the notebook, in its folder.
    fake = tmp_path / "bin" / "jupyter-lab"
    fake.parent.mkdir()
    opened = tmp_path / "opened.txt"
    fake.write_text(f'#!/bin/sh\necho "$@ $(pwd)" > {opened}\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake.parent))
    inspector.open_button.click()
    qtbot.waitUntil(opened.exists, timeout=5_000)
    assert opened.read_text().split() == [str(notebook), str(folder)]


def test_a_function_saved_in_the_inspector_goes_into_its_cell_and_undo_restores_it(
    tmp_path, open_window, qtbot
):
    folder = tmp_path / "nbproject"
    notebook = write_notebook(folder / "analysis.ipynb", FUNCTIONS, DRIVER)
    before = notebook.read_bytes()
    window = open_window(folder)
    window.scene.nodes["doubled"].setSelected(True)
    inspector = window.inspector
    qtbot.waitUntil(lambda: inspector.source_text().startswith("def doubled("), timeout=5_000)
    inspector.replace_text(
        inspector.source_text().replace("(spend: pd.Series)", "(spend: pd.Series, rate: float)")
    )
    inspector.save()
    qtbot.waitUntil(lambda: "rate" in window.scene.nodes, timeout=15_000)
    cell = nbformat.read(str(notebook), as_version=4).cells[1]
    assert "def doubled(spend: pd.Series, rate: float)" in cell.source
    assert cell.outputs[0]["text"] == "hello\n"

    window.graph_edits.undo()
    qtbot.waitUntil(lambda: "rate" not in window.scene.nodes, timeout=15_000)
    assert notebook.read_bytes() == before


def test_a_save_with_a_syntax_error_names_the_notebook_cell_and_line(tmp_path, open_window, qtbot):
    folder = tmp_path / "nbproject"
    path = write_notebook(folder / "analysis.ipynb", "import logging", FUNCTIONS, DRIVER)
    window = open_window(folder)
    assert set(window.scene.nodes) == {"spend", "doubled"}

    bad = FUNCTIONS.replace("def doubled(spend: pd.Series)", "def doubled(spend: pd.Series")
    write_notebook(path, "import logging", bad, DRIVER)  # a save from Jupyter
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=20_000)
    text = window.banner.text()
    assert "analysis.ipynb" in text and "cell 3, line 9" in text, text
    assert set(window.scene.nodes) == {"spend", "doubled"}  # the last good graph stays


def test_a_given_node_shows_given_opens_its_value_and_a_new_value_makes_results_stale(
    tmp_path, open_window, qtbot
):
    from studio.core.runs.run_state import NodeState

    folder = tmp_path / "nbproject"
    cell = FUNCTIONS.replace("--display", "--overrides fixed")
    path = write_notebook(folder / "analysis.ipynb", "fixed = {'spend': 7}", cell)
    window = open_window(folder)
    record = finish_run(qtbot, window, window.run_controller.run_all)
    assert record.status == "done", record.message
    assert "given by analysis.ipynb (--overrides), not computed: spend" in record.notes
    assert record.given() == ["spend"] and "1 computed, 0 reused, 1 given" in record.summary()
    qtbot.waitUntil(lambda: record.forecast.startswith("computes 1 node, 1 given"))
    assert kernel_value(window, "results['doubled']") == 14
    state = window.run_controller.runs.state
    assert state.state("doubled") is NodeState.DONE
    assert state.state("spend") is NodeState.GIVEN
    run = window.run_log._tree.topLevelItem(window.run_log._tree.topLevelItemCount() - 1)
    rows = {run.child(i).text(0).split(":")[0]: run.child(i) for i in range(run.childCount())}
    assert rows["spend"].text(1) == "" and rows["doubled"].text(1) != ""  # given: no time
    card = window.scene.nodes["spend"]
    assert card.run.state is NodeState.GIVEN
    assert "given by analysis.ipynb (--overrides), not computed" in card.toolTip()

    window.workspace.selection.select_nodes(["spend"])  # a click on its card
    panel = window.results_panel
    qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.text, timeout=15_000)
    assert panel.text.toPlainText().strip() == "7"
    header = panel.header.text()
    assert "given by analysis.ipynb (--overrides)" in header and "took" not in header
    assert "given by analysis.ipynb (--overrides)" in window.inspector.details_text()

    write_notebook(path, "fixed = {'spend': 8}", cell)  # a save from Jupyter
    qtbot.waitUntil(lambda: state.state("doubled") is NodeState.STALE, timeout=15_000)
    assert state.state("spend") is NodeState.STALE  # the kernel holds the value given before
    why = "the value analysis.ipynb gives spend (--overrides) changed"
    assert state.get("doubled").stale_reason == why
    assert why in window.scene.nodes["doubled"].toolTip()
    write_notebook(path, "fixed = {'spend': 7}", cell)  # the value the results came from
    qtbot.waitUntil(lambda: state.state("doubled") is NodeState.DONE, timeout=15_000)
    assert state.state("spend") is NodeState.GIVEN
