"""The statements one computed value of a driver script needs, cut out statically."""

import ast

import pytest

from studio.core.discovery.discover import discover
from studio.core.drivers.script_callers import ProjectCallers
from studio.core.drivers.script_slices import SliceError, slice_value
from tests.helpers import CALLER_MODULE, caller_project, script_values_project


def _slices(folder):
    flow = discover(folder).dataflow()
    tree = ast.parse((folder / flow.driver).read_text())
    return {v.key: slice_value(tree, v.span) for v in flow.script_values}


def test_a_value_needs_its_imports_and_assignments_never_the_rest(tmp_path):
    slices = _slices(script_values_project(tmp_path / "hello"))
    spend = slices["spend"]
    assert spend.text == "import pandas as pd\nspend = pd.Series([10, 10, 20, 40, 40, 50])\nspend"
    assert slices["data_dir"].text == "import os\nos.path.join(os.getcwd(), 'data')"
    for cut in slices.values():
        assert "top_level_ran" not in cut.text and "after_execute_ran" not in cut.text
        assert "execute" not in cut.text and "Builder" not in cut.text


def test_functions_are_followed_through_what_they_read(tmp_path):
    slices = _slices(script_values_project(tmp_path / "hello"))
    weights = slices["weights"]
    assert weights.lines == (12, 13, 14, 15)
    assert weights.text.endswith("make_weights()")


def test_a_value_in_a_function_takes_module_code_then_the_functions_own(tmp_path):
    script = """\
import pandas as pd
from hamilton import driver
import functions

SCALE = 2
unrelated = open("never.txt")


def main(rows=3):
    frame = pd.DataFrame({"a": range(rows)})
    frame["b"] = frame["a"] * SCALE
    dr = driver.Driver({}, functions)
    dr.execute(["x"], inputs={"frame": frame})
    later = 1


if __name__ == "__main__":
    main()
"""
    tree = ast.parse(script)
    inputs = next(
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Dict) and ast.unparse(n).startswith("{'frame'")
    )
    value = inputs.values[0]
    span = (value.lineno, value.col_offset, value.end_lineno, value.end_col_offset)
    cut = slice_value(tree, span)
    assert cut.text.splitlines() == [
        "import pandas as pd",
        "SCALE = 2",
        "rows = 3",
        "frame = pd.DataFrame({'a': range(rows)})",
        "frame['b'] = frame['a'] * SCALE",
        "frame",
    ]


def _caller_slices(folder):
    found = discover(folder)
    flow = found.dataflow()
    tree = ast.parse((folder / flow.driver).read_text())
    modules = {file.path: file.module for file in found.files}
    callers = ProjectCallers(folder, modules, flow.driver)
    return {v.key: slice_value(tree, v.span, callers) for v in flow.script_values}


def test_an_argument_of_the_drivers_function_comes_from_its_one_caller(tmp_path):
    folder = caller_project(tmp_path / "taxes")
    slices = _caller_slices(folder)
    income = slices["income"]
    assert income.text == "income = __studio_arguments__['income']\nincome"
    (given,) = income.given
    assert (given.name, given.script, given.origin) == (
        "income",
        folder / "script.py",
        "script.py:15",
    )
    assert income.origins == ("script.py:15",)
    assert given.value.text.splitlines() == [
        "import pandas as pd",
        "",
        "def read_incomes(name):",
        "    return pd.read_csv(name)['income']",
        "income = read_incomes('incomes.csv')",
        "income",
    ]
    assert slices["rate"].given[0].value.text == "RATE = 0.25\nRATE"
    for cut in (given.value, slices["rate"].given[0].value):
        assert "ran.txt" not in cut.text and "TaxCalculator" not in cut.text
        assert "wrapper" not in cut.text


def test_a_function_called_from_several_places_gives_no_value(tmp_path):
    folder = caller_project(tmp_path / "taxes")
    (folder / "other.py").write_text(
        "import wrapper\n\n\nwrapper.TaxCalculator.calculate(1.0, 0.5)\n"
    )
    with pytest.raises(SliceError) as raised:
        _caller_slices(folder)
    assert str(raised.value) == (
        "it uses `income`, an argument of calculate(), called from several places "
        "(other.py:4, script.py:15): give it in the Inputs panel"
    )


def test_module_functions_are_followed_through_the_module_by_position_or_keyword(tmp_path):
    folder = tmp_path / "project"
    (folder / "pipeline").mkdir(parents=True)
    (folder / "pipeline" / "__init__.py").write_text("")
    (folder / "pipeline" / "functions.py").write_text(CALLER_MODULE)
    (folder / "pipeline" / "wrapper.py").write_text(
        "from hamilton import driver\n"
        "from pipeline import functions\n\n\n"
        "def run(income, rate):\n"
        "    dr = driver.Builder().with_modules(functions).build()\n"
        '    return dr.execute(["taxed"], inputs={"income": income, "rate": rate})\n'
    )
    (folder / "main.py").write_text(
        "import pandas as pd\n"
        "import pipeline.wrapper as w\n\n"
        "incomes = pd.Series([1.0])\n"
        "w.run(incomes, rate=0.1)\n"
    )
    slices = _caller_slices(folder)
    assert slices["income"].given[0].value.text == (
        "import pandas as pd\nincomes = pd.Series([1.0])\nincomes"
    )
    assert slices["rate"].given[0].value.text == "0.1"
    assert slices["rate"].origins == ("main.py:5",)


def test_a_call_in_the_drivers_own_file_gives_the_argument(tmp_path):
    script = """\
from hamilton import driver
import functions


def main(rate):
    dr = driver.Builder().with_modules(functions).build()
    dr.execute(["taxed"], inputs={"rate": rate})


if __name__ == "__main__":
    main(*[0.1])
"""
    (tmp_path / "functions.py").write_text(CALLER_MODULE)
    (tmp_path / "run.py").write_text(script)
    with pytest.raises(SliceError, match=r"given at run.py:11 in a way I cannot follow"):
        _caller_slices(tmp_path)
    (tmp_path / "run.py").write_text(script.replace("main(*[0.1])", "main(0.2)"))
    cut = _caller_slices(tmp_path)["rate"]
    assert cut.given[0].value.text == "0.2" and cut.origins == ("run.py:11",)


def test_an_argument_no_call_gives_is_known_only_when_the_script_runs(tmp_path):
    folder = caller_project(tmp_path / "taxes")
    (folder / "script.py").unlink()
    with pytest.raises(SliceError, match="argument of calculate\\(\\), known only when"):
        _caller_slices(folder)
