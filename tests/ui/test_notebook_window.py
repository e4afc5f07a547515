"""A folder holding a notebook opens, runs and follows Jupyter's saves like a folder of modules.

Real window, real kernel, real watchdog; the notebook is written with nbformat as
Jupyter writes it.
"""

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
