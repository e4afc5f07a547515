"""`studio run --executor`: the same results on threads, processes, Dask and Ray as locally,
and no cluster process left when the command ends (issue 18)."""

import os
import subprocess
import time

import psutil
import pytest

from tests.cli.test_cli import STUDIO, studio_cli

pytestmark = pytest.mark.timeout(180)

FLOW = """
def seed() -> int:
    return 6


def squares(seed: int) -> list:
    return [i * i for i in range(seed)]


def cubes(seed: int) -> list:
    return [i**3 for i in range(seed)]


def total(squares: list, cubes: list) -> int:
    return sum(squares) + sum(cubes)
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli-executors")
    (root / "flow.py").write_text(FLOW)
    return root


def run_in_own_session(*args: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    """`studio run` in a session of its own, and what of that session outlived it."""
    env = {**os.environ, "HAMILTON_TELEMETRY_ENABLED": "false"}
    process = subprocess.Popen(
        [*STUDIO, "run", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
    )
    stdout, stderr = process.communicate(timeout=150)
    session = process.pid
    time.sleep(0.5)
    left = []
    for other in psutil.process_iter(["pid", "cmdline"]):
        try:
            if os.getsid(other.pid) == session and other.status() != psutil.STATUS_ZOMBIE:
                left.append(" ".join(other.info["cmdline"] or [])[:100])
        except (ProcessLookupError, PermissionError, psutil.NoSuchProcess):
            continue
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr), left


@pytest.mark.parametrize("executor", ["threads", "processes", "dask", "ray"])
def test_a_run_elsewhere_prints_what_a_local_run_prints_and_leaves_nothing_running(
    project, executor
):
    local = studio_cli("run", str(project), "total", "squares")
    assert local.returncode == 0, local.stderr
    elsewhere, left = run_in_own_session(str(project), "total", "squares", "--executor", executor)
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert elsewhere.stdout == local.stdout
    assert b"== total ==\n280" in elsewhere.stdout
    assert not left, f"{executor} left processes behind: {left}"


def test_an_executor_the_studio_does_not_know_is_refused_with_the_choices(project):
    done = studio_cli("run", str(project), "total", "--executor", "spark")
    assert done.returncode == 2
    assert b"unknown executor 'spark'" in done.stderr
    assert b"dask=ADDRESS" in done.stderr
