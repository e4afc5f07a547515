"""Runs on threads, processes, a Dask cluster and Ray give what a local run gives (issue 18).

Real engines: Hamilton's task executors, a `LocalCluster` of two worker
processes, `ray.init(num_cpus=2)`. Each test names the behaviour a user
would see in the window or on the command line.
"""

import _thread
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from studio.core.protocol import NodeStatus, RunStatus
from studio.core.runs.executors import ExecutorChoice
from studio.kernel.loading.project_load import load_project
from studio.kernel.running.runner import Runner

pytestmark = pytest.mark.timeout(240)

MODULE = """
import time
from pathlib import Path

import pandas as pd


def seed() -> int:
    return 3


def frame(seed: int) -> pd.DataFrame:
    return pd.DataFrame({"x": range(seed, seed + 5), "y": [v * 0.5 for v in range(5)]})


def doubled(frame: pd.DataFrame) -> pd.Series:
    return frame["x"] * 2


def label(seed: int) -> str:
    return f"seed {seed}"


def mapping(seed: int) -> dict:
    return {"seed": seed, "squares": [i * i for i in range(seed)]}


def total(doubled: pd.Series, mapping: dict, label: str) -> float:
    return float(doubled.sum()) + len(mapping["squares"]) + len(label)


def fails(seed: int) -> int:
    raise ValueError(f"bad seed {seed}")


def slow(seed: int, marker: str) -> int:
    Path(marker).write_text("running")
    time.sleep(60)
    return seed
"""

EXECUTORS = ["threads", "processes", "dask", "ray"]


class Events:
    def __init__(self) -> None:
        self.started: list[str] = []
        self.finished: dict[str, NodeStatus] = {}

    def run_started(self, execution_path: list[str]) -> None:
        pass

    def node_started(self, name: str) -> None:
        self.started.append(name)

    def node_finished(self, name, status, seconds, error, result) -> None:
        self.finished[name] = status


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("parallel")
    (root / "flow.py").write_text(MODULE)
    return root


@pytest.fixture(scope="module")
def runner(tmp_path_factory):
    runner = Runner(cache_path=tmp_path_factory.mktemp("cache") / "hamilton")
    yield runner
    runner.task_drivers.clusters.stop()


@pytest.fixture(scope="module")
def local_results(project) -> dict:
    runner = Runner()
    loaded = load_project(project).loaded
    outcome = runner.run(loaded, ["total", "frame"], root=project)
    assert outcome.status is RunStatus.DONE
    return dict(runner.results)


def run(runner, project, names, executor, **options):
    events = Events()
    loaded = load_project(project).loaded
    outcome = runner.run(
        loaded,
        names,
        executor=ExecutorChoice.parse(executor),
        listener=events,
        root=project,
        **options,
    )
    return outcome, events


@pytest.mark.parametrize("executor", EXECUTORS)
def test_results_match_a_local_run_and_every_node_is_reported_then_reused_from_disk(
    runner, project, local_results, executor
):
    runner.clear()
    outcome, events = run(runner, project, ["total", "frame"], executor, recompute=True)
    assert outcome.status is RunStatus.DONE, outcome.message
    computed = {"seed", "frame", "doubled", "label", "mapping", "total"}
    assert set(events.started) == computed
    assert events.finished == dict.fromkeys(computed, NodeStatus.COMPUTED)
    assert runner.results["total"] == local_results["total"]
    pd.testing.assert_frame_equal(runner.results["frame"], local_results["frame"])
    pd.testing.assert_series_equal(runner.results["doubled"], local_results["doubled"])
    assert runner.results["mapping"] == local_results["mapping"]

    runner.clear()  # nothing in memory: what is reused comes from Hamilton's cache on disk
    outcome, events = run(runner, project, ["total"], executor)
    assert outcome.status is RunStatus.DONE, outcome.message
    assert set(events.finished.values()) == {NodeStatus.REUSED}
    assert runner.results["total"] == local_results["total"]


@pytest.mark.parametrize("executor", ["processes", "dask", "ray"])
def test_a_node_that_raises_on_a_worker_is_named_with_its_error(runner, project, executor):
    outcome, events = run(runner, project, ["fails"], executor)
    assert outcome.status is RunStatus.FAILED
    assert outcome.failed_node == "fails"
    assert "bad seed 3" in outcome.message
    assert events.finished["fails"] is NodeStatus.FAILED


@pytest.mark.parametrize("executor", ["processes", "dask", "ray"])
def test_stop_ends_the_node_running_on_a_worker_and_the_next_run_works(
    runner, project, tmp_path, executor
):
    marker = tmp_path / "running"

    def stop_when_running() -> None:
        end = time.monotonic() + 120
        while not marker.exists() and time.monotonic() < end:
            time.sleep(0.05)
        time.sleep(0.5)
        _thread.interrupt_main()  # what the window's Stop does to the kernel

    threading.Thread(target=stop_when_running, daemon=True).start()
    started = time.monotonic()
    outcome, events = run(
        runner, project, ["slow"], executor, input_expressions={"marker": repr(str(marker))}
    )
    assert outcome.status is RunStatus.INTERRUPTED
    assert outcome.failed_node == "slow"
    assert events.finished["slow"] is NodeStatus.INTERRUPTED
    [slow] = [n for n in outcome.nodes if n.name == "slow"]
    assert slow.seconds >= 0.5, "the time it ran until the stop"
    assert time.monotonic() - started < 45, "the run waited for the node to finish"
    outcome, _ = run(runner, project, ["label"], executor, recompute=True)
    assert outcome.status is RunStatus.DONE, outcome.message
    assert runner.results["label"] == "seed 3"


@pytest.mark.parametrize("executor", ["dask", "ray"])
def test_starting_a_cluster_leaves_the_kernels_environment_as_it_was(runner, project, executor):
    """Ray sets RAY_AUTH_MODE, PYTHONBREAKPOINT (a later `breakpoint()` went to Ray's
    debugger)... in the process that starts it; every process started later inherited
    them (issue 31, case 17)."""
    runner.task_drivers.clusters.stop()  # the cluster starts within the test
    before = dict(os.environ)
    outcome, _ = run(runner, project, ["label"], executor, recompute=True)
    assert outcome.status is RunStatus.DONE, outcome.message
    assert runner.task_drivers.clusters.current is not None, "the cluster runs on"
    assert dict(os.environ) == before
    shell = subprocess.run(["env"], capture_output=True, text=True, check=True).stdout
    assert "RAY_AUTH_MODE" not in shell and "PYTHONBREAKPOINT=ray" not in shell


@pytest.mark.parametrize("executor", ["dask", "ray"])
def test_a_cluster_started_before_a_save_runs_the_saved_code(runner, project, executor):
    flow = project / "flow.py"
    original = flow.read_text()
    try:
        outcome, _ = run(runner, project, ["label"], executor, recompute=True)
        assert runner.results["label"] == "seed 3"
        flow.write_text(original.replace('f"seed {seed}"', 'f"edited {seed}"'))
        outcome, _ = run(runner, project, ["label"], executor, recompute=True)
        assert outcome.status is RunStatus.DONE, outcome.message
        assert runner.results["label"] == "edited 3"
    finally:
        flow.write_text(original)


def test_a_dask_scheduler_given_by_address_runs_the_nodes_and_is_left_running(
    project, local_results, tmp_path
):
    from distributed import Client, LocalCluster

    with LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, protocol="tcp", host="127.0.0.1",
        dashboard_address=None,
    ) as theirs:  # fmt: skip
        runner = Runner(cache_path=tmp_path / "cache")
        outcome, events = run(runner, project, ["total"], f"dask={theirs.scheduler_address}")
        assert outcome.status is RunStatus.DONE, outcome.message
        assert runner.results["total"] == local_results["total"]
        assert any("cache on disk is not used" in note for note in outcome.notes)
        assert set(events.finished.values()) == {NodeStatus.COMPUTED}
        runner.task_drivers.clusters.stop()
        with Client(theirs.scheduler_address, timeout=10) as client:
            assert client.submit(sum, [1, 2]).result(timeout=10) == 3


BLOCKED_ENGINE = """
import sys
sys.modules["ray"] = None  # as if the project's environment did not have Ray
from pathlib import Path
from studio.core.runs.executors import ExecutorChoice
from studio.kernel.loading.project_load import load_project
from studio.kernel.running.runner import Runner
root = Path(sys.argv[1])
ray = ExecutorChoice.parse("ray")
outcome = Runner().run(load_project(root).loaded, ["label"], executor=ray, root=root)
print(outcome.status)
print(outcome.message)
print(outcome.install_hint)
"""


def test_a_missing_engine_is_named_with_the_command_that_installs_it(project):
    done = subprocess.run(
        [sys.executable, "-c", BLOCKED_ENGINE, str(project)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    status, message, hint = done.stdout.strip().splitlines()
    assert status == "failed"
    assert "needs the `ray` package" in message
    assert 'pip install "dataflow-studio[ray]"' in hint


BLOCKS = """
from hamilton.htypes import Collect, Parallelizable


def numbers() -> list:
    return [1, 2, 3, 4]


def number(numbers: list) -> Parallelizable[int]:
    for n in numbers:
        yield n


def squared(number: int) -> int:
    return number * number


def summed(squared: Collect[int]) -> int:
    return sum(squared)
"""


@pytest.mark.parametrize("executor", ["threads", "dask"])
def test_a_parallelizable_block_goes_to_the_executor_as_hamilton_sends_it(
    runner, tmp_path, executor
):
    (tmp_path / "blocks.py").write_text(BLOCKS)
    outcome, events = run(runner, tmp_path, ["summed"], executor, recompute=True)
    assert outcome.status is RunStatus.DONE, outcome.message
    assert runner.results["summed"] == 30
    assert events.finished["summed"] is NodeStatus.COMPUTED
