"""A notebook's dataflow loads and runs from its cells, like a folder of modules."""

from studio.core.graph.snapshot import ErrorKind
from studio.core.protocol import NodeStatus
from studio.kernel.loading.project_load import load_project
from studio.kernel.running.runner import Runner
from tests.notebook_helpers import DRIVER, EXTRA, FUNCTIONS, write_notebook


def test_a_notebook_dataflow_builds_and_runs_from_its_cells(tmp_path):
    write_notebook(tmp_path / "nb.ipynb", "import logging", FUNCTIONS, DRIVER)
    load = load_project(tmp_path)
    assert not load.snapshot.errors, load.snapshot.errors
    nodes = {n.name: n for n in load.snapshot.nodes}
    assert set(nodes) == {"spend", "doubled"}
    assert nodes["doubled"].module == "my_functions"
    assert nodes["doubled"].version  # Hamilton's code version, read from the cell's text
    assert list(load.loaded.driver.execute(["doubled"])["doubled"]) == [20, 40, 60]


def test_the_magics_config_reaches_hamilton(tmp_path):
    write_notebook(tmp_path / "nb.ipynb", FUNCTIONS, EXTRA)
    load = load_project(tmp_path)
    assert not load.snapshot.errors, load.snapshot.errors
    assert "tripled" in {n.name for n in load.snapshot.nodes}


def test_a_save_reloads_only_what_the_cells_now_say(tmp_path):
    path = write_notebook(tmp_path / "nb.ipynb", FUNCTIONS, DRIVER)
    first = load_project(tmp_path, reuse=True)
    assert list(first.loaded.driver.execute(["doubled"])["doubled"]) == [20, 40, 60]
    added = FUNCTIONS + "\n\ndef halved(spend: pd.Series) -> pd.Series:\n    return spend / 2\n"
    write_notebook(path, added.replace("* 2", "* 5"), DRIVER)
    second = load_project(tmp_path, reuse=True)
    assert "halved" in {n.name for n in second.snapshot.nodes}
    assert list(second.loaded.driver.execute(["doubled"])["doubled"]) == [50, 100, 150]


def test_a_syntax_error_in_a_cell_names_the_notebook_cell_and_line(tmp_path):
    bad = FUNCTIONS.replace("return spend * 2", "return spend * * 2")
    write_notebook(tmp_path / "nb.ipynb", "import logging", bad, DRIVER)
    load = load_project(tmp_path)
    (error,) = load.snapshot.errors
    assert error.kind is ErrorKind.SYNTAX
    assert error.file == "nb.ipynb"
    assert "cell 3, line 10" in error.message


def test_a_node_that_fails_points_into_the_notebook(tmp_path):
    failing = FUNCTIONS.replace("return spend * 2", "raise ValueError('no')")
    write_notebook(tmp_path / "nb.ipynb", failing, DRIVER)
    load = load_project(tmp_path)
    node = {n.name: n for n in load.snapshot.nodes}["doubled"]
    assert node.file is not None and node.file.startswith("nb.ipynb")


INCREMENT_ONE = "%%incr_cell_to_module steps 1\ndef base() -> int:\n    return 4\n"
INCREMENT_TWO = "%%incr_cell_to_module steps 2 --display\ndef squared(base: int) -> int:\n"


def test_incremental_cells_build_one_module_and_an_error_names_its_cell(tmp_path):
    second = INCREMENT_TWO + "    return base**2\n"
    path = write_notebook(tmp_path / "nb.ipynb", INCREMENT_ONE, "x = 1", second)
    load = load_project(tmp_path)
    assert not load.snapshot.errors, load.snapshot.errors
    assert {n.name: n.module for n in load.snapshot.nodes} == {"base": "steps", "squared": "steps"}
    assert load.loaded.driver.execute(["squared"])["squared"] == 16

    write_notebook(path, INCREMENT_ONE, "x = 1", INCREMENT_TWO + "    return base **\n")
    (error,) = load_project(tmp_path).snapshot.errors
    assert error.kind is ErrorKind.SYNTAX
    assert error.file == "nb.ipynb" and "cell 4, line 3" in error.message, error.message


def test_the_magics_overrides_are_given_to_a_run_not_computed(tmp_path):
    failing = FUNCTIONS.replace("--display", "--overrides fixed").replace(
        "return pd.Series([10, 20, 30])", "raise RuntimeError('not given')"
    )
    write_notebook(tmp_path / "nb.ipynb", "fixed = {'spend': 7}", failing)
    runner = Runner()
    _cache, hook = runner.adapters()
    load = load_project(tmp_path, adapters=[hook])
    load.loaded.hook = hook
    outcome = runner.run(load.loaded, ["doubled"])
    assert outcome.status == "done", outcome.message
    assert runner.results["doubled"] == 14
    statuses = {n.name: n.status for n in outcome.nodes}
    assert statuses == {"doubled": NodeStatus.COMPUTED, "spend": NodeStatus.GIVEN}
    assert outcome.reused_from_memory == []
    assert "given by nb.ipynb (--overrides), not computed: spend" in outcome.notes
    write_notebook(tmp_path / "nb.ipynb", "fixed = {'spend': 8}", failing)
    load = load_project(tmp_path, adapters=[hook])
    load.loaded.hook = hook
    assert runner.run(load.loaded, ["doubled"]).status == "done"
    assert runner.results["doubled"] == 16  # another given value: computed again


class _Heard:
    """A run listener that keeps what it is told, as the window's event sender is."""

    def __init__(self) -> None:
        self.finished: dict[str, NodeStatus] = {}
        self.planned: list[str] = []

    def run_started(self, execution_path: list[str]) -> None:
        self.planned = list(execution_path)

    def node_started(self, name: str) -> None:
        pass

    def node_finished(self, name, status, _seconds, _error, _result) -> None:
        self.finished[name] = status


def test_a_given_node_is_reported_as_given_and_its_value_is_served(tmp_path):
    cell = FUNCTIONS.replace("--display", "--overrides fixed")
    write_notebook(tmp_path / "nb.ipynb", "fixed = {'spend': 7}", cell)
    runner = Runner()
    load = load_project(tmp_path)
    heard = _Heard()
    outcome = runner.run(load.loaded, ["doubled"], listener=heard)
    assert outcome.status == "done", outcome.message
    assert heard.finished == {"spend": NodeStatus.GIVEN, "doubled": NodeStatus.COMPUTED}
    assert heard.planned == ["doubled"]  # not among the nodes Hamilton computes
    assert runner.results["spend"] == 7  # the value the notebook gives, not its function's
    assert runner.valid_results(runner.signatures) >= {"spend", "doubled"}

    asked = runner.run(load.loaded, ["spend"], listener=(again := _Heard()))
    assert [(n.name, n.status) for n in asked.nodes] == [("spend", NodeStatus.GIVEN)]
    assert again.finished == {"spend": NodeStatus.GIVEN}
    assert asked.reused_from_memory == []
    assert runner.results["spend"] == 7
