"""Notebooks read as Hamilton's notebook extension runs them: module cells, driver cells."""

import pytest

from studio.core.discovery.discover import discover
from studio.core.discovery.magic_arguments import magic_parser, parse_magic_line
from studio.core.discovery.notebook_cells import CellPlace, notebook_reading
from studio.core.discovery.project import FileKind
from studio.core.discovery.static_graph import static_snapshot
from studio.core.discovery.watch_rules import is_relevant_change
from tests.notebook_helpers import DRIVER, EXTRA, FUNCTIONS, write_notebook


def test_a_notebook_with_a_driver_cell_is_a_dataflow_named_after_it(tmp_path):
    write_notebook(tmp_path / "analysis.ipynb", "import logging", FUNCTIONS, EXTRA, DRIVER)
    project = discover(tmp_path)
    (flow,) = project.dataflows
    assert flow.name == "analysis"
    assert flow.driver == "analysis.ipynb"
    assert flow.modules == ("my_functions",)
    assert flow.outputs == ("doubled",)
    assert not flow.notes  # nothing the reading left out
    assert [f.kind for f in project.files] == [FileKind.NOTEBOOK]


def test_without_a_driver_cell_the_module_cells_make_one_with_the_magics_config(tmp_path):
    write_notebook(tmp_path / "nb.ipynb", FUNCTIONS, EXTRA)
    (flow,) = discover(tmp_path).dataflows
    assert flow.modules == ("my_functions", "extra")
    assert flow.config == {"scale": 3}


def test_module_cells_are_the_cell_bodies_and_a_later_cell_replaces_an_earlier(tmp_path):
    later = FUNCTIONS.replace("* 2", "* 4")
    path = write_notebook(tmp_path / "nb.ipynb", FUNCTIONS, later)
    reading = notebook_reading(path)
    module = reading.modules["my_functions"]
    assert module.source == later.partition("\n")[2]
    assert module.cells == [3]
    assert module.place(1) == CellPlace(3, 2)


def test_incremental_cells_join_in_the_order_of_their_ids(tmp_path):
    first = "%%incr_cell_to_module inc 2\ndef b(a: int) -> int:\n    return a + 1\n"
    second = "%%incr_cell_to_module inc 1\ndef a() -> int:\n    return 1\n"
    path = write_notebook(tmp_path / "nb.ipynb", first, second)
    module = notebook_reading(path).modules["inc"]
    assert module.source.startswith("def a()")
    assert "\n\ndef b(a: int)" in module.source
    assert module.place(1) == CellPlace(3, 2)  # the cell with id 1 comes first


def test_magic_lines_are_parsed_with_the_magics_own_arguments():
    from hamilton.plugins import jupyter_magic

    ours = magic_parser("cell_to_module")
    theirs = jupyter_magic.HamiltonMagics.cell_to_module.parser
    assert [(a.option_strings, a.dest, a.nargs, a.const) for a in ours._actions] == [
        (a.option_strings, a.dest, a.nargs, a.const) for a in theirs._actions
    ]
    call = parse_magic_line("%%cell_to_module x --builder b --config a=1 -x out --display")
    assert call is not None
    assert (call.module, call.builder, call.config, call.execute) == ("x", "b", {"a": "1"}, "out")
    assert parse_magic_line("%%cell_to_module -m named").module == "named"
    assert parse_magic_line("%%cell_to_module x --config cfg").config_variable == "cfg"
    assert parse_magic_line("%%capture") is None


def test_a_builder_given_to_the_magic_takes_the_cells_that_name_it(tmp_path):
    builder = "from hamilton import driver\nmy_builder = driver.Builder().with_config({'k': 1})\n"
    cell = FUNCTIONS.replace("--display", "--builder my_builder --execute")
    write_notebook(tmp_path / "nb.ipynb", builder, cell)
    (flow,) = discover(tmp_path).dataflows
    assert flow.modules == ("my_functions",)
    assert flow.config == {"k": 1}


def test_a_notebook_beside_a_driver_script_gives_a_second_dataflow(tmp_path):
    (tmp_path / "functions.py").write_text("def a() -> int:\n    return 1\n")
    (tmp_path / "run.py").write_text(
        "from hamilton import driver\nimport functions\n"
        "dr = driver.Builder().with_modules(functions).build()\n"
    )
    write_notebook(
        tmp_path / "run.ipynb",
        "from hamilton import driver\nimport functions\n"
        "dr = driver.Builder().with_modules(functions).build()\n",
    )
    names = [flow.name for flow in discover(tmp_path).dataflows]
    assert names == ["run", "run.ipynb"]


def test_a_broken_notebook_is_a_problem_not_a_failure(tmp_path):
    (tmp_path / "broken.ipynb").write_text("{not json")
    (tmp_path / "flow.py").write_text("def a() -> int:\n    return 1\n")
    project = discover(tmp_path)
    assert [flow.modules for flow in project.dataflows] == [("flow",)]
    assert any(p.path == "broken.ipynb" for p in project.problems)


def test_a_syntax_error_in_a_module_cell_is_named_by_cell_and_line(tmp_path):
    bad = FUNCTIONS.replace("def doubled(spend: pd.Series)", "def doubled(spend: pd.Series")
    write_notebook(tmp_path / "nb.ipynb", "x = 1", bad)
    problems = [str(p) for p in discover(tmp_path).problems]
    assert any("nb.ipynb: cell 3, line 9" in p for p in problems), problems


def test_a_save_from_jupyter_is_a_change_that_matters(tmp_path):
    assert is_relevant_change(tmp_path, tmp_path / "analysis.ipynb")
    assert not is_relevant_change(tmp_path, tmp_path / ".ipynb_checkpoints" / "a-checkpoint.ipynb")
    assert not is_relevant_change(tmp_path, tmp_path / ".~analysis.ipynb")


def test_an_untrusted_notebook_is_drawn_from_its_cells(tmp_path):
    from studio.core.discovery.static_graph import static_snapshot

    write_notebook(tmp_path / "nb.ipynb", FUNCTIONS, DRIVER)
    project = discover(tmp_path)
    snapshot = static_snapshot(project, project.dataflow())
    assert {n.name for n in snapshot.nodes} == {"spend", "doubled"}


def test_jupyter_is_taken_from_the_project_environment_before_the_path(tmp_path):
    from studio.core.editing.notebook_sources import jupyter_command

    notebook = tmp_path / "nb.ipynb"
    env = tmp_path / ".venv"
    (env / "bin").mkdir(parents=True)
    (env / "bin" / "jupyter-notebook").write_text("")
    on_path = {"jupyter-lab": "/usr/bin/jupyter-lab"}
    assert jupyter_command(notebook, [env], on_path.get) == [
        str(env / "bin" / "jupyter-notebook"),
        str(notebook),
    ]
    assert jupyter_command(notebook, [], on_path.get) == ["/usr/bin/jupyter-lab", str(notebook)]
    assert jupyter_command(notebook, [], {"jupyter": "/x/jupyter"}.get) == [
        "/x/jupyter",
        "lab",
        str(notebook),
    ]
    assert jupyter_command(notebook, [], {}.get) is None


def test_drivers_told_apart_by_line_are_named_by_their_cell(tmp_path):
    other = "dr = driver.Builder().with_modules(my_functions).with_config({'x': 1}).build()\n"
    cells = (FUNCTIONS, DRIVER.replace("%time ", "# "), "from hamilton import driver\n" + other)
    write_notebook(tmp_path / "nb.ipynb", *cells)
    names = [flow.name for flow in discover(tmp_path).dataflows]
    assert len(names) == 2 and all(name.startswith("nb · ") for name in names), names
    assert not any("line" in name for name in names), names


def test_a_python_without_nbformat_reads_the_notebook_as_its_json(tmp_path, monkeypatch):
    import sys

    from studio.core.discovery.notebook_cells import read_notebook_text

    path = write_notebook(tmp_path / "nb.ipynb", FUNCTIONS, DRIVER)
    monkeypatch.setitem(sys.modules, "nbformat", None)  # `import nbformat` raises
    reading = read_notebook_text(path.read_text())
    assert list(reading.modules) == ["my_functions"]
    assert "def doubled" in reading.modules["my_functions"].source


def test_the_magics_variables_give_config_inputs_and_outputs(tmp_path):
    values = "settings = {'scale': 3}\nrun_inputs = {'rate': 0.5}\nwanted = ['doubled']\n"
    cell = FUNCTIONS.replace("--display", "--config settings --inputs run_inputs --execute wanted")
    write_notebook(tmp_path / "nb.ipynb", values, cell)
    (flow,) = discover(tmp_path).dataflows
    assert flow.config == {"scale": 3}
    assert flow.inputs == {"rate": 0.5}
    assert flow.outputs == ("doubled",)


def test_an_inserted_module_is_the_file_the_line_names(tmp_path):
    steps = tmp_path / "src" / "steps.py"
    steps.parent.mkdir()
    steps.write_text("def a() -> int:\n    return 1\n\n\ndef b(a: int) -> int:\n    return a + 1\n")
    write_notebook(
        tmp_path / "nb" / "interactive.ipynb",
        "from hamilton import driver\n%load_ext hamilton.plugins.jupyter_magic",
        "%insert_module ../src/steps.py",
        "dr = driver.Builder().with_modules(steps).build()",
    )
    project = discover(tmp_path / "nb")  # the file is outside the folder opened
    (flow,) = project.dataflows
    assert flow.modules == ("steps",)
    assert flow.module_files == {"steps": str(steps)}
    assert any("cell 3, line 1: module steps is " in note for note in flow.notes), flow.notes
    assert {n.name for n in static_snapshot(project, flow).nodes} == {"a", "b"}
    project = discover(tmp_path)  # inside the folder: named from it
    assert project.dataflows[0].module_files == {"steps": "src/steps.py"}
    ran = FUNCTIONS.replace("my_functions --display", "steps")  # the cell it inserts, run
    write_notebook(tmp_path / "nb" / "interactive.ipynb", "%insert_module ../src/steps.py", ran)
    project = discover(tmp_path / "nb")
    assert not project.problems and not project.dataflows[0].module_files


def test_an_inserted_module_whose_file_is_missing_is_a_problem(tmp_path):
    write_notebook(tmp_path / "interactive.ipynb", "%insert_module ../src/gone.py")
    project = discover(tmp_path)
    assert not project.dataflows
    with pytest.raises(LookupError) as raised:
        project.dataflow()
    message = str(raised.value)
    assert (
        "interactive.ipynb: cell 2, line 1: `%insert_module ../src/gone.py` names a file" in message
    )


def test_the_magics_overrides_are_the_dataflows_given_values(tmp_path):
    call = parse_magic_line("%%cell_to_module x --display viz --overrides fixed -x")
    assert call is not None
    assert (call.display, call.overrides, call.execute) == ("viz", "fixed", True)
    cell = FUNCTIONS.replace("--display", "--display --overrides fixed --inputs given")
    values = "given = dict(rate=0.5)\nfixed = dict(spend=[1, 2])\n"  # as Hamilton's example
    write_notebook(tmp_path / "nb.ipynb", values, cell)
    (flow,) = discover(tmp_path).dataflows
    assert flow.modules == ("my_functions",)
    assert flow.overrides == {"spend": [1, 2]}
    assert flow.inputs == {"rate": 0.5}
    assert "given, not computed: spend" in flow.describe()
    write_notebook(tmp_path / "nb.ipynb", "fixed = make()", cell)
    (flow,) = discover(tmp_path).dataflows
    assert not flow.overrides
    assert any("`--overrides fixed` is computed in the notebook" in n for n in flow.notes)


def test_a_module_cell_writing_its_file_is_associated_with_that_file(tmp_path):
    assert parse_magic_line("%%cell_to_module x -w").write_to_file is True
    assert parse_magic_line("%%cell_to_module x --write_to_file a.py").write_to_file == "a.py"
    cell = FUNCTIONS.replace("--display", "--display -w")
    write_notebook(tmp_path / "nb.ipynb", "import pandas", cell)

    def note() -> str:
        (flow,) = discover(tmp_path).dataflows
        assert flow.modules == ("my_functions",) and not flow.module_files  # the cell's
        (found,) = [n for n in flow.notes if "--write_to_file" in n]
        return found

    assert note().startswith("cell 3: `--write_to_file` writes module my_functions to ")
    assert "my_functions.py when the cell runs" in note() and "not written yet" in note()
    body = cell.split("\n", 1)[1]
    (tmp_path / "my_functions.py").write_text(body)  # what running the cell writes
    assert "it holds the cell's code" in note()
    (copy,) = [f for f in discover(tmp_path).files if f.path == "my_functions.py"]
    assert "a copy nb.ipynb, cell 3 writes (`--write_to_file`)" in copy.reason
    (tmp_path / "my_functions.py").write_text(body.replace("* 2", "* 3"))
    assert "holds other code than the cell: run cell 3 to write it again" in note()


def test_incremental_cells_write_their_joined_module_where_the_line_says(tmp_path):
    first = "%%incr_cell_to_module steps 1 -w out/steps_copy.py\ndef a() -> int:\n    return 1\n"
    second = "%%incr_cell_to_module steps 2\ndef b(a: int) -> int:\n    return a\n"
    write_notebook(tmp_path / "nb.ipynb", first, second)
    joined = notebook_reading(tmp_path / "nb.ipynb").modules["steps"].source
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "steps_copy.py").write_text(joined)
    (flow,) = discover(tmp_path).dataflows
    (found,) = [n for n in flow.notes if "--write_to_file" in n]
    assert "cell 2: `--write_to_file` writes module steps to out/steps_copy.py" in found
    assert "it holds the cell's code" in found
