"""Packages load under the names `import` gives them; odd annotations get stable names."""

import sys
from pathlib import Path
from textwrap import dedent

from studio.core.discovery.discover import discover
from studio.kernel.loading.project_load import load_project


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dedent(text))
    return path


def contributed_dataflow(folder: Path) -> Path:
    """A folder laid out as Hamilton's contributed dataflows are: the code in the
    package's `__init__.py`, a helper module beside it imported relatively, and a module
    named like an installed library (which must not shadow it)."""
    write(
        folder / "__init__.py",
        """
        import json

        from . import helpers
        from .helpers import scale


        def raw(text: str) -> dict:
            return json.loads(text)


        def scaled(raw: dict) -> int:
            return scale(raw["n"]) + helpers.OFFSET
        """,
    )
    write(folder / "helpers.py", "OFFSET = 1\n\n\ndef scale(n: int) -> int:\n    return n * 10\n")
    write(folder / "json.py", "raise RuntimeError('a package module taken for the library')\n")
    write(folder / "README.md", "dr = driver.Builder().with_modules(my_flow).build()\n")
    return folder


def test_a_folder_that_is_a_package_loads_under_its_own_name(tmp_path):
    folder = contributed_dataflow(tmp_path / "my_flow")
    project = discover(folder)
    modules = {f.path: f.module for f in project.files}
    assert modules["__init__.py"] == "my_flow"
    assert modules["helpers.py"] == "my_flow.helpers"
    flow = project.dataflow()
    assert flow.modules == ("my_flow",)

    load = load_project(folder)
    assert not load.snapshot.errors, load.snapshot.errors
    names = {n.name for n in load.snapshot.nodes}
    assert {"raw", "scaled", "text"} <= names
    assert load.loaded.driver.execute(["scaled"], inputs={"text": '{"n": 4}'})["scaled"] == 41
    assert str(folder) not in sys.path  # its modules would shadow installed libraries


def test_a_copied_package_with_a_run_script_loads_as_the_script_says(tmp_path):
    contributed_dataflow(tmp_path / "project" / "my_flow")
    write(
        tmp_path / "project" / "run.py",
        """
        from hamilton import driver

        import my_flow

        dr = driver.Builder().with_modules(my_flow).build()
        print(dr.execute(["scaled"], inputs={"text": '{"n": 1}'}))
        """,
    )
    load = load_project(tmp_path / "project")
    assert load.dataflow is not None and load.dataflow.driver == "run.py"
    assert not load.snapshot.errors, load.snapshot.errors
    assert load.loaded.driver.execute(["scaled"], inputs={"text": '{"n": 2}'})["scaled"] == 21


def test_dataflows_import_module_names_the_copied_package(tmp_path):
    contributed_dataflow(tmp_path / "project" / "my_flow")
    write(
        tmp_path / "project" / "run.py",
        """
        from hamilton import dataflows, driver

        my_flow = dataflows.import_module("my_flow", "someone")
        dr = driver.Builder().with_modules(my_flow).build()
        """,
    )
    load = load_project(tmp_path / "project")
    assert load.dataflow is not None and load.dataflow.modules == ("my_flow",)
    assert not load.snapshot.errors, load.snapshot.errors
    (note,) = load.dataflow.notes  # says it takes the copy, not a download
    assert "line 4: `dataflows.import_module('my_flow', 'someone')` downloads" in note
    assert "never downloads code and takes the project's copy my_flow" in note
    assert not load.dataflow.module_files


def test_a_main_block_of_a_package_beside_a_run_script_is_named_after_the_package(tmp_path):
    folder = contributed_dataflow(tmp_path / "project" / "my_flow")
    with (folder / "__init__.py").open("a") as module:
        module.write(
            "\n\nif __name__ == '__main__':\n    import __init__ as my_flow\n\n"
            "    from hamilton import driver\n\n"
            "    dr = driver.Driver({'default': 'True'}, my_flow)\n"
        )
    write(
        tmp_path / "project" / "run.py",
        """
        from hamilton import driver

        import my_flow

        dr = driver.Builder().with_modules(my_flow).build()
        """,
    )
    project = discover(tmp_path / "project")
    assert [flow.name for flow in project.dataflows] == ["run", "my_flow"]
    block = project.dataflow("my_flow")
    assert (block.modules, block.search_path, block.config) == (
        ("my_flow",),
        ".",
        {"default": "True"},
    )
    load = load_project(tmp_path / "project", "my_flow")
    assert not load.snapshot.errors, load.snapshot.errors
    assert load.loaded.driver.execute(["scaled"], inputs={"text": '{"n": 3}'})["scaled"] == 31


def test_an_annotation_that_is_not_a_type_has_the_same_name_on_every_load(tmp_path):
    write(
        tmp_path / "flow.py",
        """
        import json


        def client(url: str) -> json.loads:
            return json.loads(url)


        def size(client: json.loads) -> int:
            return len(client)
        """,
    )
    first = {n.name: n for n in load_project(tmp_path).snapshot.nodes}
    (tmp_path / "flow.py").write_text((tmp_path / "flow.py").read_text() + "\n")
    second = {n.name: n for n in load_project(tmp_path).snapshot.nodes}
    assert first["client"].type == "json.loads"
    assert second["client"].type == first["client"].type


def test_a_contributed_dataflows_main_block_builds_the_package(tmp_path):
    folder = contributed_dataflow(tmp_path / "my_flow")
    with (folder / "__init__.py").open("a") as module:
        module.write(
            dedent(
                """

                if __name__ == "__main__":
                    import __init__ as my_flow

                    from hamilton import driver

                    dr = driver.Driver({"default": "True"}, my_flow)
                """
            )
        )
    load = load_project(folder)
    assert load.dataflow is not None
    assert (load.dataflow.name, load.dataflow.modules) == ("my_flow", ("my_flow",))
    assert load.dataflow.config == {"default": "True"}
    assert not load.snapshot.errors, load.snapshot.errors
    assert {"raw", "scaled"} <= {n.name for n in load.snapshot.nodes}
