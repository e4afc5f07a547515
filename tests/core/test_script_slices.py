"""The statements one computed value of a driver script needs, cut out statically."""

import ast

from studio.core.discovery.discover import discover
from studio.core.drivers.script_slices import slice_value
from tests.helpers import script_values_project


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
