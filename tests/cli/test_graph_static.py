"""`studio graph --static`: the graph read from the source, nothing of the project run."""

import json
import os
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

STUDIO = [sys.executable, "-m", "studio"]

FUNCTIONS = """
    from pathlib import Path

    import pandas as pd
    import a_package_that_is_not_installed as missing
    from hamilton.function_modifiers import config, extract_columns

    Path(__file__).with_name("imported.txt").write_text("the module ran")


    def raw(path: str) -> pd.DataFrame:
        return pd.read_csv(path)


    @extract_columns("a", "b")
    def table(raw: pd.DataFrame) -> pd.DataFrame:
        return raw


    @config.when(scale="big")
    def total__big(a: pd.Series, b: pd.Series) -> float:
        return float(a.sum() + b.sum()) * 1000


    @config.when_not(scale="big")
    def total__small(a: pd.Series) -> float:
        return float(a.sum())


    @missing.cached
    def report(total: float, mystery: int) -> str:
        return str(total)
"""

DRIVER = """
    from pathlib import Path

    from hamilton import driver

    import functions

    Path("driver-ran.txt").write_text("the driver ran")
    dr = driver.Builder().with_modules(functions).with_config({"scale": "big"}).build()
"""


def studio_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "HAMILTON_TELEMETRY_ENABLED": "false"}
    return subprocess.run(
        [*STUDIO, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )


def write_project(folder: Path) -> Path:
    folder.mkdir()
    (folder / "functions.py").write_text(dedent(FUNCTIONS))
    (folder / "run.py").write_text(dedent(DRIVER))
    # A project environment whose Python leaves a mark when anything runs it.
    python = folder / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    (folder / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    python.write_text(f"#!/bin/sh\ntouch {folder / 'interpreter-ran.txt'}\nexit 1\n")
    python.chmod(0o755)
    return folder


def test_static_graph_runs_nothing_and_marks_the_function_it_cannot_expand(tmp_path):
    folder = write_project(tmp_path / "project")
    done = studio_cli("graph", str(folder), "--static", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    nodes = {n["name"]: n for n in data["nodes"]}
    assert sorted(nodes) == ["a", "b", "path", "raw", "report", "scale", "table", "total"]
    assert sorted(nodes["total"]["dependencies"]) == ["a", "b"]  # the driver's config chose
    assert nodes["report"]["expanded"] is False
    assert nodes["report"]["dependencies"] == ["total"]  # `mystery` is no input
    assert all(n["expanded"] for name, n in nodes.items() if name != "report")
    assert "1 function expands when trusted" in " ".join(data["warnings"])
    for mark in ("imported.txt", "driver-ran.txt", "interpreter-ran.txt"):
        assert not (folder / mark).exists(), mark


def test_static_text_and_config_option(tmp_path):
    folder = write_project(tmp_path / "project")
    done = studio_cli(
        "graph",
        str(folder),
        "--static",
        "--format",
        "text",
        "--config",
        "scale=small",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.strip().startswith("total "))
    assert line.rstrip().endswith("<- a")
    assert not (folder / "interpreter-ran.txt").exists()


def test_static_of_a_missing_folder_or_dataflow_exits_2(tmp_path):
    done = studio_cli("graph", str(tmp_path / "nowhere"), "--static", cwd=tmp_path)
    assert done.returncode == 2
    assert "does not exist" in done.stderr
    folder = write_project(tmp_path / "project")
    done = studio_cli("graph", str(folder), "--static", "--dataflow", "other", cwd=tmp_path)
    assert done.returncode == 2
    assert "other" in done.stderr
