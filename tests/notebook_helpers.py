"""Small notebooks written with nbformat, as Jupyter would save them."""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

FUNCTIONS = """%%cell_to_module my_functions --display
import pandas as pd


def spend() -> pd.Series:
    return pd.Series([10, 20, 30])


def doubled(spend: pd.Series) -> pd.Series:
    return spend * 2
"""

EXTRA = """%%cell_to_module -m extra --config '{"scale": 3}'
import pandas as pd
from hamilton.function_modifiers import config


@config.when(scale=3)
def tripled__three(spend: pd.Series) -> pd.Series:
    return spend * 3
"""

DRIVER = """from hamilton import driver

dr = driver.Builder().with_modules(my_functions).build()
%time dr.execute(["doubled"])
dr.execute(["doubled"])
"""


def write_notebook(path: Path, *cells: str, outputs: bool = True) -> Path:
    """A notebook of a markdown cell then code cells, the first with an output."""
    notebook = new_notebook()
    notebook.cells.append(new_markdown_cell("# A dataflow in a notebook"))
    for index, source in enumerate(cells):
        cell = new_code_cell(source, execution_count=index + 1)
        if outputs and index == 0:
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="hello\n")]
        notebook.cells.append(cell)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(path))
    return path
