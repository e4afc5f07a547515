"""Project discovery reads folders without running them and finds their dataflows."""

from pathlib import Path
from textwrap import dedent

import pytest

from studio.core.discovery.discover import ProjectFolderError, discover
from studio.core.discovery.project import FileKind
from studio.core.resources import example_path


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(dedent(content), encoding="utf-8")
    return root


FEATURES = """
    import pandas as pd

    def raw(path: str) -> pd.DataFrame:
        return pd.read_csv(path)

    def doubled(raw: pd.DataFrame) -> pd.DataFrame:
        return raw * 2
"""


def kinds(project) -> dict[str, FileKind]:
    return {f.path: f.kind for f in project.files}


def test_spaceflights_has_one_dataflow_named_after_its_driver_script():
    project = discover(example_path("spaceflights"))
    assert [flow.name for flow in project.dataflows] == ["run"]
    flow = project.dataflow("run")
    assert flow.modules == ("data_loading", "preprocessing", "data_science", "reporting")
    assert flow.inputs == {"data_dir": "data", "test_size": 0.2, "random_state": 3}
    assert flow.driver == "run.py"
    found = kinds(project)
    assert found["run.py"] is FileKind.DRIVER
    assert found["preprocessing.py"] is FileKind.DATAFLOW
    assert found["data/generate_data.py"] is FileKind.SCRIPT
    assert project.problems == ()


def test_decorators_dataflow_leaves_out_the_subdag_helper_module():
    project = discover(example_path("decorators"))
    flow = project.dataflow()
    assert flow.config == {"scaling": "standard"}
    assert flow.dynamic_execution
    assert "summary_helpers" not in flow.modules
    assert kinds(project)["summary_helpers.py"] is FileKind.DATAFLOW
    assert set(flow.modules) == {
        "orders",
        "rolling",
        "scaling",
        "governance",
        "summaries",
        "cleaning",
        "per_region",
    }


def test_driver_script_is_read_not_imported(tmp_path):
    marker = tmp_path / "imported.txt"
    write(
        tmp_path,
        {
            "features.py": FEATURES,
            "run.py": f"""
                from pathlib import Path
                Path({str(marker)!r}).write_text("the driver script was imported")
                raise SystemExit("importing this script is a mistake")

                import features
                from hamilton import driver

                config = {{"region": "EU", "threshold": 0.5, "when": compute()}}
                dr = (
                    driver.Builder()
                    .with_modules(features)
                    .with_config(config)
                    .allow_module_overrides()
                    .build()
                )
                dr.execute(["doubled"], inputs={{"path": "data.csv"}})
            """,
        },
    )
    project = discover(tmp_path)
    assert not marker.exists()
    flow = project.dataflow("run")
    assert flow.modules == ("features",)
    assert flow.config == {"region": "EU", "threshold": 0.5}
    assert flow.inputs == {"path": "data.csv"}
    assert flow.allow_module_overrides
    assert any("'when'" in note and "compute()" in note for note in flow.notes)


def test_driver_constructor_and_module_lists_are_followed(tmp_path):
    write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/features.py": FEATURES,
            "extra.py": "def more(doubled: int) -> int:\n    return doubled\n",
            "run.py": """
                import importlib
                from hamilton import driver as hd
                from pkg import features
                import extra as plus

                modules = [features, plus]
                config = dict(mode="fast")
                dr = hd.Driver(config, *modules, importlib.import_module("pkg.other"))
            """,
        },
    )
    flow = discover(tmp_path).dataflow()
    assert flow.modules == ("pkg.features", "extra", "pkg.other")
    assert flow.config == {"mode": "fast"}


def test_two_driver_scripts_make_two_dataflows(tmp_path):
    write(
        tmp_path,
        {
            "features.py": FEATURES,
            "model.py": "def fit(doubled: int) -> int:\n    return doubled\n",
            "dask_only.py": "def shards(raw: int) -> int:\n    return raw\n",
            "run.py": """
                from hamilton import driver
                import features, model
                if __name__ == "__main__":
                    driver.Builder().with_modules(features, model).build()
            """,
            "run_dask.py": """
                from hamilton.driver import Builder
                import features, dask_only
                Builder().with_modules(features, dask_only).with_config({"dask": True}).build()
            """,
        },
    )
    project = discover(tmp_path)
    assert [flow.name for flow in project.dataflows] == ["run", "run_dask"]
    assert project.dataflow("run").modules == ("features", "model")
    assert project.dataflow("run_dask").modules == ("features", "dask_only")
    assert project.dataflow("run_dask").config == {"dask": True}
    with pytest.raises(LookupError, match="run, run_dask"):
        project.dataflow("nightly")


def test_folder_without_driver_has_one_dataflow_of_all_dataflow_modules(tmp_path):
    write(
        tmp_path,
        {
            "features.py": FEATURES,
            "helpers.py": "def untyped(x):\n    return x\n",
            "constants.py": "RATE = 0.2\n",
            "_private.py": "def _hidden() -> int:\n    return 1\n",
        },
    )
    project = discover(tmp_path)
    assert len(project.dataflows) == 1
    assert project.dataflows[0].name == tmp_path.name
    assert project.dataflows[0].modules == ("features",)
    found = kinds(project)
    assert found["helpers.py"] is FileKind.OTHER
    assert found["constants.py"] is FileKind.OTHER


def test_broken_files_are_reported_not_fatal(tmp_path):
    write(
        tmp_path,
        {
            "features.py": FEATURES,
            "broken.py": "def oops(:\n    pass\n",
            "latin.py": "def name() -> str:\n    return 'caf\xe9'\n".encode("latin-1"),
            "declared.py": (
                "# -*- coding: latin-1 -*-\ndef name() -> str:\n    return 'caf\xe9'\n"
            ).encode("latin-1"),
        },
    )
    project = discover(tmp_path)
    problems = {p.path: p for p in project.problems}
    assert problems["broken.py"].line == 1
    assert "syntax error" in problems["broken.py"].message
    assert "UTF-8" in problems["latin.py"].message
    assert "declared.py" not in problems
    # A syntax error stays in a driverless dataflow, so that loading it says what is wrong;
    # bytes that are not text at all are skipped (issue 31, case 15), saying so.
    assert kinds(project)["broken.py"] is FileKind.INVALID
    assert kinds(project)["latin.py"] is FileKind.OTHER
    assert problems["latin.py"].message.endswith(": skipped")
    assert project.dataflow().modules == ("broken", "declared", "features")


def test_virtual_environments_hidden_folders_and_tests_are_skipped(tmp_path):
    write(
        tmp_path,
        {
            "features.py": FEATURES,
            "envs/py312/pyvenv.cfg": "home = /usr/bin\n",
            "envs/py312/lib/site-packages/pkg/mod.py": "def f() -> int:\n    return 1\n",
            "nested/.venv/pyvenv.cfg": "home = /usr/bin\n",
            "nested/.venv/lib/thing.py": "def g() -> int:\n    return 1\n",
            ".hidden/secret.py": "def h() -> int:\n    return 1\n",
            "tests/test_features.py": "def test_it() -> None:\n    pass\n",
            "test_top.py": "def test_x() -> None:\n    pass\n",
            "__pycache__/features.py": "def stale() -> int:\n    return 1\n",
        },
    )
    project = discover(tmp_path)
    assert [f.path for f in project.files] == ["features.py"]


def test_pyproject_settings_override_discovery(tmp_path):
    write(
        tmp_path,
        {
            "features.py": FEATURES,
            "model.py": "def fit(doubled: int) -> int:\n    return doubled\n",
            "scratch/try_this.py": "def attempt() -> int:\n    return 1\n",
            "run.py": """
                from hamilton import driver
                import features
                driver.Builder().with_modules(features).with_config({"a": 1, "b": 2}).build()
            """,
            "pyproject.toml": """
                [project]
                name = "demo"

                [tool.studio]
                exclude = ["scratch"]
                config = { b = 20, c = 30 }
                inputs = { path = "x.csv" }

                [tool.studio.dataflows.run]
                modules = ["features", "model"]

                [tool.studio.dataflows.nightly]
                modules = ["features"]
                config = { a = 100 }
            """,
        },
    )
    project = discover(tmp_path)
    assert "scratch/try_this.py" not in [f.path for f in project.files]
    run = project.dataflow("run")
    assert run.modules == ("features", "model")
    assert run.config == {"a": 1, "b": 20, "c": 30}
    assert run.inputs == {"path": "x.csv"}
    nightly = project.dataflow("nightly")
    assert nightly.modules == ("features",)
    assert nightly.config == {"b": 20, "c": 30, "a": 100}


def test_studio_toml_and_broken_settings(tmp_path):
    write(tmp_path, {"features.py": FEATURES, "studio.toml": 'modules = ["features"]\nbad = 1\n'})
    project = discover(tmp_path)
    assert "unknown key" in project.problems[0].message
    (tmp_path / "studio.toml").write_text('config = { mode = "x" }\n')
    assert discover(tmp_path).dataflow().config == {"mode": "x"}


def test_driver_script_in_a_subfolder_searches_its_own_folder(tmp_path):
    write(
        tmp_path,
        {
            "flows/features.py": FEATURES,
            "flows/run.py": """
                from hamilton import driver
                import features
                driver.Builder().with_modules(features).build()
            """,
        },
    )
    flow = discover(tmp_path).dataflow()
    assert flow.search_path == "flows"
    assert flow.modules == ("features",)


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ProjectFolderError, match="does not exist"):
        discover(tmp_path / "nope")
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(ProjectFolderError, match="not a folder"):
        discover(tmp_path / "file.txt")


@pytest.mark.parametrize(
    "source",
    [
        "import os\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING: import pandas as pd\n",
        "try: import polars as pl\nexcept ImportError: pl = None\n",
        "def main():\n    from hamilton import driver as d\n    return d.Builder().build()\n",
        "from hamilton.function_modifiers import extract_columns\n\ndef a() -> int:\n"
        "    return 1\n",
        "import hamilton.driver as hd\nif __name__ == '__main__':\n    hd.Driver({}, a)\n",
    ],
)
def test_what_the_text_shows_absent_is_not_searched_for_and_nothing_is_missed(source):
    """Imports in blocks and driver constructions are found whether or not the text
    lets the reader skip walking the tree."""
    import ast

    from studio.core.discovery.module_reader import read_facts

    tree = ast.parse(source)
    quick, thorough = read_facts(tree, "pkg", source), read_facts(tree, "pkg")
    assert quick.bindings == thorough.bindings
    assert quick.driver_calls == thorough.driver_calls
    assert quick.public_functions == thorough.public_functions


@pytest.mark.parametrize(
    "blob",
    [
        bytes(range(256)) * 4,
        b"def a() -> int:\n    return 1\n\x00\x00\x00",
        b"\xff\xfe\x80abc = \x81\x82\n",  # not UTF-8 from its first byte
        b'def b() -> str:\n    return "\xe9t\xe9"\n',  # Latin-1 without a coding line
        b'# -*- coding: ascii -*-\ndef c() -> str:\n    return "\xe9"\n',
        b"# -*- coding: klingon -*-\ndef d() -> int:\n    return 1\n",
    ],
)
def test_a_binary_py_file_is_skipped_with_a_warning_naming_it(tmp_path, blob):
    """Issue 31, case 15: one binary `.py` sank the whole project, naming no file."""
    (tmp_path / "good.py").write_text("def a() -> int:\n    return 1\n", encoding="utf-8")
    (tmp_path / "blob.py").write_bytes(blob)
    project = discover(tmp_path)
    flow = project.dataflow()
    assert flow.modules == ("good",)
    assert any(p.path == "blob.py" and p.message.endswith(": skipped") for p in project.problems)


def test_an_undecodable_file_is_named_with_its_line_and_byte_and_a_declared_one_loads(tmp_path):
    """Issue 31, case 15: a file that is not UTF-8 (and declares no other encoding) was
    kept and failed the whole load; it is skipped, saying where. One that declares its
    encoding is read in it."""
    (tmp_path / "good.py").write_text("def a() -> int:\n    return 1\n", encoding="utf-8")
    (tmp_path / "latin.py").write_bytes(b'def b() -> str:\n    return "\xe9t\xe9"\n')
    (tmp_path / "declared.py").write_bytes(
        b'# -*- coding: latin-1 -*-\ndef c() -> str:\n    return "\xe9t\xe9"\n'
    )
    project = discover(tmp_path)
    assert set(project.dataflow().modules) == {"good", "declared"}
    assert [str(p) for p in project.problems] == [
        "latin.py:2: is not UTF-8 text (byte 0xe9 cannot be read as UTF-8): skipped"
    ]
