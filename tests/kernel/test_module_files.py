"""Modules made from a file under a name of their own: a notebook's `%insert_module`
file, and a contributed dataflow `dataflows.import_module` names, taken from
Hamilton's download folder or the installed `hamilton.contrib`, never downloaded."""

import os
from pathlib import Path

import pytest

from studio.core.discovery.discover import discover
from studio.core.discovery.static_graph import static_snapshot
from studio.kernel.loading.project_load import load_project
from tests.kernel.test_packages import contributed_dataflow, write
from tests.notebook_helpers import write_notebook

RUN = """
from hamilton import dataflows, driver

my_flow = dataflows.import_module("my_flow", "someone")
dr = driver.Builder().with_modules(my_flow).build()
"""
DOWNLOADED = Path(".hamilton/dataflows/{commit}/contrib/hamilton/contrib/user/someone/my_flow")


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A home folder of the test's own: Hamilton's download folder is under it."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    return folder


def test_an_inserted_module_loads_and_runs_from_its_file(tmp_path):
    write(tmp_path / "src" / "steps.py", "def a() -> int:\n    return 1\n")
    write_notebook(
        tmp_path / "nb" / "interactive.ipynb",
        "from hamilton import driver",
        "%insert_module ../src/steps.py",
        "dr = driver.Builder().with_modules(steps).build()",
    )
    load = load_project(tmp_path / "nb")
    assert not load.snapshot.errors, load.snapshot.errors
    assert load.loaded.driver.execute(["a"])["a"] == 1
    write(tmp_path / "src" / "steps.py", "def a() -> int:\n    return 2\n")  # a save
    assert load_project(tmp_path / "nb", reuse=True).loaded.driver.execute(["a"])["a"] == 2


def test_a_downloaded_dataflow_is_taken_from_hamiltons_folder(tmp_path, home):
    older = contributed_dataflow(home / str(DOWNLOADED).format(commit="old"))
    os.utime(older / "__init__.py", (1_600_000_000, 1_600_000_000))  # downloaded in 2020
    newest = contributed_dataflow(home / str(DOWNLOADED).format(commit="c0ffee"))
    write(tmp_path / "project" / "run.py", RUN)
    load = load_project(tmp_path / "project")
    assert load.dataflow is not None
    assert load.dataflow.module_files == {"my_flow": str(newest / "__init__.py")}
    assert not load.snapshot.errors, load.snapshot.errors
    assert load.loaded.driver.execute(["scaled"], inputs={"text": '{"n": 2}'})["scaled"] == 21
    (note,) = load.dataflow.notes
    assert "someone/my_flow of `dataflows.import_module('my_flow', 'someone')`" in note
    assert "Hamilton's download folder (the newest downloaded version, c0ffee)" in note
    project = discover(tmp_path / "project")  # drawn before trust too
    assert {"raw", "scaled"} <= {n.name for n in static_snapshot(project, project.dataflow()).nodes}


def test_a_given_version_is_taken_and_an_installed_contrib_package_else(
    tmp_path, home, monkeypatch
):
    contributed_dataflow(home / str(DOWNLOADED).format(commit="c0ffee"))
    write(tmp_path / "project" / "run.py", RUN.replace('"someone")', '"someone", "abc")'))
    site = tmp_path / "site"
    installed = contributed_dataflow(site / "hamilton" / "contrib" / "user" / "someone" / "my_flow")
    monkeypatch.syspath_prepend(str(site))
    flow = discover(tmp_path / "project").dataflow()
    assert flow.module_files == {"my_flow": str(installed / "__init__.py")}
    assert "is taken from the installed hamilton.contrib" in flow.notes[0]


def test_a_dataflow_found_nowhere_says_what_to_run(tmp_path, home):
    write(tmp_path / "project" / "run.py", RUN)
    load = load_project(tmp_path / "project")
    assert load.dataflow is not None and not load.dataflow.module_files
    (note,) = load.dataflow.notes
    assert "the studio never downloads code and finds no copy" in note
    command = "from hamilton import dataflows; dataflows.import_module('my_flow', 'someone')"
    assert f'`python -c "{command}"`' in note
    assert "pip install apache-hamilton-contrib" in note
    (error,) = load.snapshot.errors  # the load says the module is not there, and why
    assert "module 'my_flow' (named by run.py) was not found" in error.message
    assert error.hint == note


def test_a_notebooks_driver_cell_takes_the_downloaded_dataflow(tmp_path, home):
    folder = contributed_dataflow(home / str(DOWNLOADED).format(commit="c0ffee"))
    write_notebook(tmp_path / "nb.ipynb", "import pandas", RUN)
    flow = discover(tmp_path).dataflow()
    assert flow.module_files == {"my_flow": str(folder / "__init__.py")}
    assert flow.notes[0].startswith("cell 3, line 4: someone/my_flow of")
