"""A driver script's materializers in the kernel: Hamilton's own nodes, drawn as
materializers, run only when asked by name."""

from pathlib import Path
from textwrap import dedent

import pytest

from studio.core.discovery.discover import discover
from studio.core.graph.snapshot import NodeKind, NodeRole
from studio.core.protocol import NodeStatus, RunStatus
from studio.core.runs.run_plan import RunMode
from studio.kernel.loading.project_load import load_flow
from studio.kernel.running.runner import Runner

FLOW = """
    import pandas as pd

    def mat_table() -> pd.DataFrame:
        return pd.DataFrame({"a": [1, 2, 3]})

    def mat_total(mat_table: pd.DataFrame) -> int:
        return int(mat_table["a"].sum())
"""

SCRIPT = """
    import os
    from hamilton import base, driver
    from hamilton.io.materialization import to
    import mat_flow

    dr = driver.Builder().with_modules(mat_flow).build()
    dr.materialize(
        to.csv(id="save_table", dependencies=["mat_table"], path="out/table.csv"),
        to.pickle(
            id="save_both",
            dependencies=["mat_table", "mat_total"],
            combine=base.DictResult(),
            path="out/both.pkl",
        ),
        to.pickle(id="save_later", dependencies=["mat_total"], path=os.environ["OUT"]),
        additional_vars=["mat_total"],
    )
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "mat_flow.py").write_text(dedent(FLOW), encoding="utf-8")
    (tmp_path / "run.py").write_text(dedent(SCRIPT), encoding="utf-8")
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _load(folder: Path, runner: Runner):
    project = discover(folder)
    cache, hook = runner.adapters()
    loaded = load_flow(project, project.dataflow(), {}, [a for a in (cache, hook) if a])
    loaded.hook = hook
    return loaded


def test_hamilton_adds_the_materializer_nodes_and_they_have_their_own_kind(project, tmp_path):
    loaded = _load(project, Runner(cache_path=tmp_path / "cache"))
    snapshot = loaded.snapshot
    assert snapshot.ok, snapshot.errors
    kinds = {n.name: n.kind for n in snapshot.nodes}
    assert kinds["mat_table"] is NodeKind.FUNCTION
    for name in ("save_table", "save_both", "save_both_build_result", "save_later"):
        assert kinds[name] is NodeKind.MATERIALIZER, name
    saver = snapshot.node("save_table")
    assert saver.dependencies == ("mat_table",)
    assert (saver.file, saver.line) == ("run.py", 9)
    assert set(snapshot.node("save_both").dependencies) == {"save_both_build_result"}
    # Computed when the script runs: shown, not made (Hamilton has no such node).
    assert snapshot.node("save_later").role is NodeRole.MATERIALIZER
    assert "save_later" not in loaded.driver.graph.nodes


def test_a_materializer_writes_its_file_only_when_run_by_name(project, tmp_path):
    runner = Runner(cache_path=tmp_path / "cache")
    loaded = _load(project, runner)
    flow = discover(project).dataflow()

    everything = runner.run(loaded, list(flow.outputs), RunMode.ALL)
    assert everything.status is RunStatus.DONE, everything.message
    assert not (project / "out" / "table.csv").exists()
    sinks = runner.run(loaded, [], RunMode.ALL)
    assert "save_table" not in sinks.targets and "mat_total" in sinks.targets
    downstream = runner.run(loaded, ["mat_table"], RunMode.DOWNSTREAM)
    assert not any(name.startswith("save_") for name in downstream.targets)
    assert not list((project / "out").iterdir())

    asked = runner.run(loaded, ["save_table", "save_both"])
    assert asked.status is RunStatus.DONE, asked.message
    assert (project / "out" / "table.csv").read_text().splitlines()[0] == "a"
    assert (project / "out" / "both.pkl").exists()

    (project / "out" / "table.csv").unlink()
    again = runner.run(loaded, ["save_table"])
    assert again.status is RunStatus.DONE
    assert (project / "out" / "table.csv").exists(), "asked again, it writes again"


def test_a_failing_or_unmade_materializer_fails_like_a_node(project, tmp_path):
    runner = Runner(cache_path=tmp_path / "cache")
    loaded = _load(project, runner)
    (project / "out").rmdir()
    failed = runner.run(loaded, ["save_table"], root=project)
    assert failed.status is RunStatus.FAILED
    assert failed.failed_node == "save_table"
    assert "non-existent directory" in failed.message
    statuses = {n.name: n.status for n in failed.nodes}
    assert statuses["save_table"] is NodeStatus.FAILED

    refused = runner.run(loaded, ["save_later"])
    assert refused.status is RunStatus.FAILED
    assert "save_later" in refused.message and "run.py:16" in refused.message
