"""The kernel's runner with real Hamilton: same results, reuse, interrupts, failures."""

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

from studio.core.discovery.discover import discover
from studio.core.protocol import NodeStatus
from studio.core.runs.run_plan import RunMode
from studio.kernel.loading.project_load import load_flow
from studio.kernel.running.runner import Runner

INPUTS = {"data_dir": '"data"', "test_size": "0.2", "random_state": "3"}


def load(folder: Path, runner: Runner):
    project = discover(folder)
    cache, hook = runner.adapters()
    loaded = load_flow(project, project.dataflow(), {}, [a for a in (cache, hook) if a])
    loaded.hook = hook
    return loaded


@pytest.fixture
def spaceflights(example_copy, monkeypatch):
    folder = example_copy("spaceflights")
    monkeypatch.chdir(folder)
    return folder


def plain_hamilton(folder: Path, nodes: list[str]) -> dict:
    code = (
        "import json, sys, pickle\n"
        "import data_loading, preprocessing, data_science, reporting\n"
        "from hamilton import driver\n"
        "dr = driver.Builder().with_modules(data_loading, preprocessing, data_science, reporting)"
        ".build()\n"
        f"out = dr.execute({nodes!r}, inputs={{'data_dir': 'data', 'test_size': 0.2, "
        "'random_state': 3})\n"
        "sys.stdout.buffer.write(pickle.dumps(out))\n"
    )
    env = {**os.environ, "HAMILTON_TELEMETRY_ENABLED": "false"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=folder, env=env, capture_output=True, check=True
    )
    import pickle

    return pickle.loads(done.stdout)


def test_results_equal_plain_hamilton(spaceflights, tmp_path):
    runner = Runner(cache_path=tmp_path / "cache")
    outcome = runner.run(
        load(spaceflights, runner),
        ["evaluation_metrics", "price_by_shuttle_type"],
        input_expressions=INPUTS,
    )
    assert outcome.status == "done", outcome.message
    reference = plain_hamilton(spaceflights, ["evaluation_metrics", "price_by_shuttle_type"])
    assert runner.results["evaluation_metrics"] == reference["evaluation_metrics"]
    pd.testing.assert_frame_equal(
        runner.results["price_by_shuttle_type"], reference["price_by_shuttle_type"]
    )
    assert "model_input_table" in runner.results  # intermediate results are kept too
    assert len([n for n in outcome.nodes if n.status == "computed"]) == 20


def test_edit_recomputes_only_the_node_and_its_downstream(spaceflights, tmp_path):
    runner = Runner(cache_path=tmp_path / "cache")
    runner.run(load(spaceflights, runner), ["evaluation_metrics"], input_expressions=INPUTS)
    again = runner.run(load(spaceflights, runner), ["evaluation_metrics"], input_expressions=INPUTS)
    assert [n.name for n in again.nodes] == []
    assert again.reused_from_memory == ["evaluation_metrics"]

    module = spaceflights / "reporting.py"
    module.write_text(
        module.read_text().replace(
            "return float(np.max(np.abs(y_test - y_pred)))",
            "return float(np.max(np.abs(y_test - y_pred))) + 1.0",
        )
    )
    edited = runner.run(
        load(spaceflights, runner), ["evaluation_metrics"], input_expressions=INPUTS
    )
    assert edited.status == "done"
    assert sorted(n.name for n in edited.nodes if n.status == "computed") == [
        "evaluation_metrics",
        "max_error",
    ]
    assert set(edited.reused_from_memory) == {"y_test", "y_pred", "r2_score", "mean_absolute_error"}
    assert runner.results["evaluation_metrics"]["max_error"] == pytest.approx(
        plain_hamilton(spaceflights, ["max_error"])["max_error"]
    )


def test_results_survive_a_restart_through_the_disk_cache(spaceflights, tmp_path):
    first = Runner(cache_path=tmp_path / "cache")
    first.run(load(spaceflights, first), ["evaluation_metrics"], input_expressions=INPUTS)
    restarted = Runner(cache_path=tmp_path / "cache")  # a new kernel: nothing in memory
    outcome = restarted.run(
        load(spaceflights, restarted), ["evaluation_metrics"], input_expressions=INPUTS
    )
    assert outcome.status == "done"
    assert {n.status for n in outcome.nodes} == {"reused"}
    assert len(outcome.nodes) == 19
    assert restarted.results["evaluation_metrics"] == first.results["evaluation_metrics"]
    recomputed = restarted.run(
        load(spaceflights, restarted),
        ["evaluation_metrics"],
        input_expressions=INPUTS,
        recompute=True,
    )
    assert {n.status for n in recomputed.nodes} == {"computed"}


@pytest.fixture
def trouble(troubled_spaceflights, monkeypatch):
    monkeypatch.chdir(troubled_spaceflights)
    return troubled_spaceflights


def test_an_endless_loop_is_interrupted_and_the_next_run_works(trouble, tmp_path):
    runner = Runner(cache_path=tmp_path / "cache")
    loaded = load(trouble, runner)
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        outcome = runner.run(loaded, ["forever"], input_expressions=INPUTS)
    finally:
        timer.cancel()
    assert outcome.status == "interrupted"
    assert outcome.failed_node == "forever"
    [node] = [n for n in outcome.nodes if n.name == "forever"]
    assert node.status == "interrupted" and 0.2 < node.seconds < 10, "the time it ran"
    assert runner.run(loaded, ["r2_score"], input_expressions=INPUTS).status == "done"


def test_a_raising_node_fails_with_its_traceback(trouble, tmp_path):
    runner = Runner(cache_path=tmp_path / "cache")
    outcome = runner.run(load(trouble, runner), ["boom"], input_expressions=INPUTS, root=trouble)
    assert outcome.status == "failed"
    assert outcome.failed_node == "boom"
    assert outcome.message == "ZeroDivisionError: division by zero"
    mine = [f for f in outcome.frames if f.in_project]
    assert mine[-1].file == "trouble.py" and mine[-1].line == 13
    assert mine[-1].text == "return 1 / 0"
    assert "Traceback" in outcome.traceback


def test_missing_and_bad_inputs_are_named(spaceflights, tmp_path):
    runner = Runner(cache_path=tmp_path / "cache")
    loaded = load(spaceflights, runner)
    missing = runner.run(loaded, ["x_train"], input_expressions={"data_dir": '"data"'})
    assert missing.status == "missing_inputs"
    assert missing.missing == ["test_size", "random_state"]
    assert "test_size (float)" in missing.message
    assert missing.traceback == ""
    bad = runner.run(loaded, ["shuttles"], input_expressions={"data_dir": "data/x"})
    assert bad.status == "bad_inputs"
    assert "data_dir" in bad.message and "name 'data' is not defined" in bad.message
    typed = runner.run(loaded, ["companies"], input_expressions={"data_dir": 'str(Path("data"))'})
    assert typed.status == "done"


def test_decorators_example_runs_every_sink(example_copy, monkeypatch, tmp_path):
    folder = example_copy("decorators")
    monkeypatch.chdir(folder)
    runner = Runner(cache_path=tmp_path / "cache")
    outcome = runner.run(load(folder, runner), [], RunMode.ALL, {"data_dir": '"data"'})
    assert outcome.status == "done", outcome.message
    assert list(runner.results["revenue_by_region"]["region"]) == ["west", "east", "north", "south"]
    assert "revenue_scaled" in runner.results
    assert json.loads(json.dumps(runner.results["revenue_summary"]))["total"] > 0


def test_a_node_calling_sys_exit_fails_as_itself_and_the_process_goes_on(tmp_path, monkeypatch):
    """Issue 31: the command line printed nothing and exited 0; the window said
    AssertionError (Hamilton's cache adapter asserts while the exit unwinds)."""
    folder = tmp_path / "exits"
    folder.mkdir()
    (folder / "flow.py").write_text(
        "import sys\n\n\ndef a() -> int:\n    return 1\n\n\n"
        "def quits(a: int) -> int:\n    sys.exit(3)\n\n\n"
        "def fine(a: int) -> int:\n    return a + 1\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.chdir(folder)
    runner = Runner(cache_path=tmp_path / "cache")
    loaded = load(folder, runner)
    outcome = runner.run(loaded, ["quits"], root=folder)
    assert outcome.status == "failed" and outcome.failed_node == "quits"
    assert outcome.message.startswith("SystemExit: the node called sys.exit(3)")
    # The node itself is reported failed (the canvas marks it), not left unfinished.
    quits = next(n for n in outcome.nodes if n.name == "quits")
    assert quits.status is NodeStatus.FAILED
    assert quits.error.startswith("SystemExit: the node called sys.exit(3)")
    assert "quits" not in runner.results
    assert runner.run(loaded, ["fine"], root=folder).status == "done"
    assert runner.results["fine"] == 2
