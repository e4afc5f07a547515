"""Each driver of a script loads the graph plain Hamilton builds the way the script builds it."""

import importlib
import sys
from pathlib import Path
from textwrap import dedent

import pytest

from studio.core.discovery.discover import discover
from studio.kernel.loading.project_load import load_flow


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).write_text(dedent(text), encoding="utf-8")
    return root


def plain_hamilton_graph(root: Path, modules: list[str], config: dict, adapters=()) -> dict:
    """The graph as the script itself would build it: {node: sorted dependencies}."""
    from hamilton import driver

    sys.path.insert(0, str(root))
    try:
        for name in modules:
            sys.modules.pop(name, None)
        imported = [importlib.import_module(name) for name in modules]
        builder = driver.Builder().with_modules(*imported).with_config(config)
        if adapters:
            builder = builder.with_adapters(*adapters)
        dr = builder.build()
    finally:
        sys.path.remove(str(root))
        for name in modules:
            sys.modules.pop(name, None)
    return {n.name: sorted(n.input_types) for n in dr.graph.nodes.values()}


def studio_graph(root: Path, dataflow: str) -> dict:
    project = discover(root)
    loaded = load_flow(project, project.dataflow(dataflow))
    assert loaded.snapshot.ok, loaded.snapshot.errors
    return {n.name: sorted(n.dependencies) for n in loaded.snapshot.nodes}


FRAMES = """
    from hamilton.function_modifiers import config

    @config.when(load="small")
    def rows__small() -> list:
        return [1, 2]

    @config.when(load="big")
    def rows__big(size: int) -> list:
        return list(range(size))

    def count(rows: list) -> int:
        return len(rows)
"""


def test_two_chains_with_two_configs_give_two_graphs(tmp_path):
    write(
        tmp_path,
        {
            "frames.py": FRAMES,
            "run.py": """
                from hamilton import driver
                import frames

                small = driver.Builder().with_modules(frames).with_config({"load": "small"}).build()
                big = driver.Builder().with_modules(frames).with_config({"load": "big"}).build()
            """,
        },
    )
    for name, load in (("run · small", "small"), ("run · big", "big")):
        expected = plain_hamilton_graph(tmp_path, ["frames"], {"load": load})
        assert studio_graph(tmp_path, name) == expected
    assert "size" in studio_graph(tmp_path, "run · big")
    assert "size" not in studio_graph(tmp_path, "run · small")


def test_drivers_of_conflicting_modules_are_never_merged(tmp_path):
    write(
        tmp_path,
        {
            "v1.py": "def total(x: int) -> int:\n    return x\n",
            "v2.py": "def total(x: int, y: int) -> int:\n    return x + y\n",
            "run.py": """
                from hamilton import driver
                import v1, v2

                def old():
                    return driver.Driver({}, v1)

                def new():
                    return driver.Driver({}, v2)
            """,
        },
    )
    assert studio_graph(tmp_path, "run · old") == plain_hamilton_graph(tmp_path, ["v1"], {})
    assert studio_graph(tmp_path, "run · new") == plain_hamilton_graph(tmp_path, ["v2"], {})


def test_config_built_in_steps_builds_the_graph_the_script_builds(tmp_path):
    write(
        tmp_path,
        {
            "frames.py": FRAMES,
            "run.py": """
                from hamilton import driver
                import frames

                cfg = {"load": "small"}
                cfg.update(load="big", size=3)
                dr = driver.Builder().with_modules(frames).with_config(cfg).build()
            """,
        },
    )
    expected = plain_hamilton_graph(tmp_path, ["frames"], {"load": "big", "size": 3})
    assert studio_graph(tmp_path, "run") == expected


def test_the_dask_adapter_relaxes_types_as_in_the_script_without_a_cluster(tmp_path):
    pytest.importorskip("dask.dataframe")
    from hamilton.plugins import h_dask

    write(
        tmp_path,
        {
            "lazy.py": """
                import dask.dataframe as dd
                import pandas as pd

                def spend() -> dd.Series:
                    return dd.from_pandas(pd.Series([1.0, 2.0]), npartitions=1)

                def doubled(spend: pd.Series) -> pd.Series:
                    return spend * 2
            """,
            "run.py": """
                from dask.distributed import Client, LocalCluster
                from hamilton import driver
                from hamilton.plugins import h_dask
                import lazy

                client = Client(LocalCluster())
                adapter = h_dask.DaskGraphAdapter(client, h_dask.DaskDataFrameResult())
                dr = driver.Driver({}, lazy, adapter=adapter)
            """,
        },
    )
    flow = discover(tmp_path).dataflow()
    assert flow.adapters == ("hamilton.plugins.h_dask.DaskGraphAdapter",)
    with pytest.raises(ValueError, match="spend"):
        plain_hamilton_graph(tmp_path, ["lazy"], {})
    expected = plain_hamilton_graph(tmp_path, ["lazy"], {}, [h_dask.DaskGraphAdapter(None)])
    assert studio_graph(tmp_path, "run") == expected


def test_a_user_defined_validator_is_named_not_run(tmp_path):
    marker = tmp_path / "validator-ran.txt"
    write(
        tmp_path,
        {
            "frames.py": FRAMES,
            "run.py": f"""
                from pathlib import Path
                from hamilton import driver
                from hamilton.lifecycle import api
                import frames

                class Refuse(api.StaticValidator):
                    def run_to_validate_node(self, *, node, **kwargs):
                        Path({str(marker)!r}).write_text("ran")
                        return False, "refused"

                dr = driver.Builder().with_modules(frames).with_adapters(Refuse()).build()
            """,
        },
    )
    assert discover(tmp_path).dataflow().adapters == ("Refuse",)
    assert studio_graph(tmp_path, "run") == plain_hamilton_graph(tmp_path, ["frames"], {})
    assert not marker.exists()


def test_one_error_per_missing_package_naming_every_module_that_imports_it(tmp_path):
    write(
        tmp_path,
        {
            "a.py": "import sklearn\n\n\ndef a() -> int:\n    return 1\n",
            "b.py": "\nfrom sklearn import svm\n\n\ndef b() -> int:\n    return 1\n",
        },
    )
    project = discover(tmp_path)
    (error,) = load_flow(project, project.dataflow()).snapshot.errors
    assert (error.file, error.line) == ("a.py", 1)
    assert error.message.endswith("No module named 'sklearn' (also imported by b.py:2)")
    assert error.hint.startswith("install scikit-learn into this environment: ")
