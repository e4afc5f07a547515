"""Driver scripts as people really write them: one dataflow per driver, read, never run."""

from pathlib import Path
from textwrap import dedent

from studio.core.discovery.discover import discover

LOADERS = {
    "prep.py": """
        import pandas as pd

        def signups(raw: pd.DataFrame) -> pd.Series:
            return raw["signups"]

        def total(signups: pd.Series) -> int:
            return int(signups.sum())
    """,
    "load_csv.py": """
        import pandas as pd

        def raw(db_path: str) -> pd.DataFrame:
            return pd.read_csv(db_path)
    """,
    "load_mock.py": """
        import pandas as pd

        def raw() -> pd.DataFrame:
            return pd.DataFrame({"signups": [1, 2]})
    """,
}


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")
    return root


def flows(root: Path) -> dict:
    return {flow.name: flow for flow in discover(root).dataflows}


def test_one_dataflow_per_click_command_named_after_it(tmp_path):
    write(tmp_path, LOADERS)
    write(
        tmp_path,
        {
            "run.py": """
                import click
                import load_csv, load_mock, prep
                import hamilton.driver

                OUTPUTS = ["total", "signups"]

                @click.group()
                def main():
                    pass

                @main.command()
                def csv():
                    dr = hamilton.driver.Driver({"db_path": "data.csv"}, load_csv, prep)
                    print(dr.execute(OUTPUTS))

                @main.command(name="fake")
                def mock():
                    dr = hamilton.driver.Driver({}, load_mock, prep)
                    print(dr.execute(OUTPUTS))

                if __name__ == "__main__":
                    main()
            """
        },
    )
    found = flows(tmp_path)
    assert list(found) == ["run · csv", "run · fake"]
    assert found["run · csv"].modules == ("load_csv", "prep")
    assert found["run · csv"].config == {"db_path": "data.csv"}
    assert found["run · fake"].modules == ("load_mock", "prep")
    assert found["run · fake"].config == {}
    assert found["run · fake"].outputs == ("total", "signups")


def test_one_dataflow_per_if_branch(tmp_path):
    write(tmp_path, LOADERS)
    write(
        tmp_path,
        {
            "run.py": """
                import sys
                from hamilton import driver
                import load_csv, load_mock, prep

                source = sys.argv[1]
                if source == "csv":
                    dr = driver.Builder().with_modules(load_csv, prep).build()
                else:
                    dr = driver.Builder().with_modules(load_mock, prep).build()
                dr.execute(["total"], inputs={"db_path": "x.csv"})
            """
        },
    )
    found = flows(tmp_path)
    assert list(found) == ["run · source == 'csv'", "run · else"]
    assert found["run · else"].modules == ("load_mock", "prep")
    # The execute call after the branches uses whichever driver was built.
    assert found["run · else"].inputs == {"db_path": "x.csv"}


def test_two_builder_chains_differing_in_config_keep_their_own(tmp_path):
    write(
        tmp_path,
        {
            "frames.py": """
                from hamilton.function_modifiers import config

                @config.when(load="pandas")
                def df__pandas() -> dict:
                    return {"lib": "pandas"}

                @config.when(load="polars")
                def df__polars() -> list:
                    return ["polars"]

                def rows(df: object) -> int:
                    return len(df)
            """,
            "example.py": """
                from hamilton import driver
                import frames

                pandas_dr = driver.Builder().with_config({"load": "pandas"}).with_modules(frames)
                pandas_dr = pandas_dr.build()
                polars_dr = (
                    driver.Builder()
                    .with_config({"load": "polars"})
                    .with_modules(frames)
                    .build()
                )
            """,
        },
    )
    found = flows(tmp_path)
    assert {name: flow.config for name, flow in found.items()} == {
        "example · pandas_dr": {"load": "pandas"},
        "example · polars_dr": {"load": "polars"},
    }


def test_the_same_variable_in_two_chains_is_told_apart_by_what_differs(tmp_path):
    write(tmp_path, {"frames.py": "def rows(df: dict) -> int:\n    return len(df)\n"})
    write(
        tmp_path,
        {
            "example.py": """
                import asyncio
                from hamilton import async_driver, driver
                import frames

                dr = driver.Builder().with_config({"load": "pandas"}).with_modules(frames).build()
                dr = driver.Builder().with_config({"load": "polars"}).with_modules(frames).build()

                async def serve():
                    dr = await async_driver.Builder().with_modules(frames).build()
                    return await dr.execute(["rows"])
            """,
        },
    )
    found = flows(tmp_path)
    assert set(found) == {"example · load=pandas", "example · load=polars", "example · serve"}
    assert found["example · serve"].is_async
    assert found["example · serve"].outputs == ("rows",)
    assert not found["example · load=polars"].is_async


def test_module_lists_built_from_literals(tmp_path):
    write(tmp_path, LOADERS)
    write(
        tmp_path,
        {
            "run_import.py": """
                import importlib
                from hamilton import driver

                module_names = ["load_csv", "prep"]
                modules = [importlib.import_module(m) for m in module_names]
                dr = driver.Driver({"db_path": "a.csv"}, *modules)
            """,
            "run_inline.py": """
                import importlib
                from hamilton import driver

                mods = [importlib.import_module(m) for m in ["load_mock"]]
                mods.append(importlib.import_module("prep"))
                dr = driver.Builder().with_modules(*mods).build()
            """,
            "run_stages.py": """
                import sys
                from hamilton import driver
                import load_csv, load_mock, prep

                stages = {"real": [load_csv, prep], "fake": [load_mock, prep]}
                stage = sys.argv[1]
                dr = driver.Builder().with_modules(*stages[stage]).build()
            """,
        },
    )
    found = flows(tmp_path)
    assert found["run_import"].modules == ("load_csv", "prep")
    assert found["run_inline"].modules == ("load_mock", "prep")
    assert found["run_stages · real"].modules == ("load_csv", "prep")
    assert found["run_stages · fake"].modules == ("load_mock", "prep")
    assert any("real, fake" in note for note in found["run_stages · fake"].notes)


def test_config_built_in_steps_keeps_what_is_literal_and_names_the_rest(tmp_path):
    write(tmp_path, LOADERS)
    write(
        tmp_path,
        {
            "run.py": """
                import os
                import sys
                from hamilton import driver
                import load_csv, prep

                base = {"db_path": "data.csv", "region": "EU"}
                cfg = dict(base, mode="fast")
                cfg.update({"threshold": 0.5})
                cfg["limit"] = 10
                cfg = {**cfg, "region": "US"}
                cfg["token"] = os.environ["TOKEN"]
                del cfg["mode"]
                if len(sys.argv) > 1:
                    cfg["limit"] = int(sys.argv[1])
                dr = driver.Builder().with_modules(load_csv, prep).with_config(cfg).build()
            """,
        },
    )
    flow = flows(tmp_path)["run"]
    assert flow.config == {"db_path": "data.csv", "region": "US", "threshold": 0.5, "limit": 10}
    assert flow.config_hints["token"] == "set at run time in run.py:12 (`os.environ['TOKEN']`)"
    assert "run.py:15 may change it" in flow.config_hints["limit"]
    token_notes = [note for note in flow.notes if "'token'" in note]
    assert len(token_notes) == 1
    assert "os.environ['TOKEN']" in token_notes[0]


def test_config_that_is_an_argument_of_the_enclosing_function(tmp_path):
    write(tmp_path, LOADERS)
    write(
        tmp_path,
        {
            "run.py": """
                from hamilton import driver
                import load_csv, prep

                def main(path: str):
                    dr = (
                        driver.Builder()
                        .with_modules(load_csv, prep)
                        .with_config({"db_path": path, "rows": 3})
                        .build()
                    )
                    return dr.execute(["total"])
            """,
        },
    )
    flow = flows(tmp_path)["run"]
    assert flow.config == {"rows": 3}
    assert flow.config_hints == {"db_path": "set at run time in run.py:9 (`path`)"}


def test_adapters_are_named_with_their_dotted_class(tmp_path):
    write(tmp_path, LOADERS)
    write(
        tmp_path,
        {
            "run.py": """
                from hamilton import base, driver
                from hamilton.plugins import h_dask
                import load_csv, prep

                class Checker:
                    pass

                adapter = h_dask.DaskGraphAdapter(client, base.PandasDataFrameResult())
                dr = driver.Driver({}, load_csv, prep, adapter=adapter)
                dr2 = driver.Builder().with_modules(load_csv, prep).with_adapters(Checker()).build()
            """,
        },
    )
    found = flows(tmp_path)
    assert found["run · dr"].adapters == ("hamilton.plugins.h_dask.DaskGraphAdapter",)
    assert found["run · dr2"].adapters == ("Checker",)


def test_a_generic_wrapper_class_is_not_a_dataflow(tmp_path):
    write(tmp_path, LOADERS)
    write(
        tmp_path,
        {
            "run.py": """
                from hamilton import driver
                import load_csv, prep

                class Wrapper:
                    def fit(self):
                        self.dr = driver.Driver(self.config, *self.modules)

                dr = driver.Driver({}, load_csv, prep)
            """,
        },
    )
    assert [(f.name, f.modules) for f in discover(tmp_path).dataflows] == [
        ("run", ("load_csv", "prep"))
    ]
    assert discover(tmp_path).problems == ()


def test_modules_picked_by_a_function_of_the_script(tmp_path):
    write(tmp_path, LOADERS)
    write(
        tmp_path,
        {
            "run.py": """
                import sys
                from hamilton import driver
                import load_csv, load_mock, prep

                def loader(name):
                    if name == "csv":
                        return load_csv
                    return load_mock

                dr = driver.Driver({}, loader(sys.argv[1]), prep)
            """,
        },
    )
    found = flows(tmp_path)
    assert found["run · load_csv"].modules == ("load_csv", "prep")
    assert found["run · load_mock"].modules == ("load_mock", "prep")


def test_folder_without_driver_and_conflicting_modules(tmp_path):
    write(
        tmp_path,
        {
            "common.py": "def raw() -> int:\n    return 1\n",
            "plots.py": "def chart(unrelated: int) -> int:\n    return unrelated\n",
            "features.py": "def doubled(raw: int) -> int:\n    return raw * 2\n",
            "features_v2.py": (
                "def doubled(raw: int) -> int:\n    return raw + raw\n\n"
                "def tripled(raw: int) -> int:\n    return raw * 3\n"
            ),
        },
    )
    project = discover(tmp_path)
    found = {flow.name: flow.modules for flow in project.dataflows}
    assert found == {
        f"{tmp_path.name} · features": ("common", "features"),
        f"{tmp_path.name} · features_v2": ("common", "features_v2"),
        f"{tmp_path.name} · plots": ("plots",),
    }
    [problem] = project.problems
    assert problem.path == "features.py"
    assert "`doubled`" in problem.message and "features_v2.py" in problem.message


def test_command_line_defaults_are_the_config_as_meant(tmp_path):
    write(tmp_path, LOADERS)
    write(
        tmp_path,
        {
            "run_argparse.py": """
                import argparse
                from hamilton import driver
                import load_csv, prep

                parser = argparse.ArgumentParser()
                parser.add_argument("--db-path", default="data.csv")
                parser.add_argument("--rows", type=int)
                args = parser.parse_args()
                dr = driver.Builder().with_modules(load_csv, prep).with_config(
                    dict(db_path=args.db_path, rows=args.rows)
                ).build()
            """,
            "run_click.py": """
                import click
                from hamilton import driver
                import load_csv, prep

                @click.command()
                @click.option("--path", "db_path", default="other.csv")
                def main(db_path: str, limit: int = 5):
                    cfg = {"db_path": db_path, "limit": limit}
                    return driver.Driver(cfg, load_csv, prep)
            """,
        },
    )
    found = flows(tmp_path)
    argparse_flow = found["run_argparse"]
    assert argparse_flow.config == {"db_path": "data.csv"}
    assert "run_argparse.py:7 may change it" in argparse_flow.config_hints["db_path"]
    assert "--db-path" in argparse_flow.config_hints["db_path"]
    assert "set at run time" in argparse_flow.config_hints["rows"]
    click_flow = found["run_click"]
    assert click_flow.config == {"db_path": "other.csv", "limit": 5}
    assert "--path" in click_flow.config_hints["db_path"]


def test_config_returned_by_a_function_of_the_script_gives_one_dataflow_each(tmp_path):
    write(tmp_path, LOADERS)
    write(
        tmp_path,
        {
            "run.py": """
                import sys
                from hamilton import driver
                import load_csv, prep

                def model_config(kind):
                    if kind == "svm":
                        return {"clf": "svm", "gamma": 0.1}
                    return {"clf": "tree", "depth": 3}

                config = {"db_path": "a.csv"}
                config.update(model_config(sys.argv[1]))
                dr = driver.Driver(config, load_csv, prep)
            """,
        },
    )
    found = flows(tmp_path)
    assert found["run · clf=svm"].config == {"db_path": "a.csv", "clf": "svm", "gamma": 0.1}
    assert found["run · clf=tree"].config == {"db_path": "a.csv", "clf": "tree", "depth": 3}


def test_outputs_given_as_functions_and_materialized_are_what_the_script_asks(tmp_path):
    write(tmp_path, LOADERS)
    write(
        tmp_path,
        {
            "run.py": """
                import sqlite3
                from hamilton import driver
                from hamilton.io.materialization import to
                import load_mock, prep
                from prep import total

                conn = sqlite3.connect(":memory:")
                cur = conn.cursor()
                cur.execute("DROP TABLE IF EXISTS test;")
                conn.cursor().execute("CREATE TABLE test (x int);")
                dr = driver.Driver({}, load_mock, prep)
                wanted = [prep.signups, total]
                dr.execute(wanted)
                dr.materialize(
                    to.csv(id="save_raw", dependencies=["raw"], path="raw.csv"),
                    additional_vars=["total"],
                )
            """,
        },
    )
    flow = flows(tmp_path)["run"]
    assert flow.outputs == ("signups", "total", "raw")


def test_inputs_of_a_driver_made_by_a_function_of_the_script(tmp_path):
    write(tmp_path, LOADERS)
    write(
        tmp_path,
        {
            "run.py": """
                from hamilton import driver
                import load_csv, prep

                def _create_driver():
                    return driver.Driver({}, load_csv, prep)

                def _inputs():
                    return {"db_path": "data.csv"}

                def main():
                    dr = _create_driver()
                    dr.execute(["total"], inputs=_inputs())
            """,
        },
    )
    flow = flows(tmp_path)["run"]
    assert flow.outputs == ("total",)
    assert flow.inputs == {"db_path": "data.csv"}  # followed through the function
