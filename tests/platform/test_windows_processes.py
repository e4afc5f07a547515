"""Windows' way of ending what a kernel started, and of running tasks in new processes,
run for real on this machine with the POSIX calls removed.

The orphan guard test starts a "kernel" process that removes process groups
and sets `sys.platform` to win32 before it starts its guard; its app (an
intermediate process) then exits, and the guard must end the kernel and the
process it started (psutil's tree, not a process group).
"""

import os
import subprocess
import sys
import textwrap
import time

import psutil
import pytest

from studio.core.protocol import RunStatus
from studio.core.runs.executors import ExecutorChoice
from studio.kernel.executors import task_driver, task_executors
from studio.kernel.loading.project_load import load_project
from studio.kernel.running.runner import Runner

KERNEL = textwrap.dedent(
    """
    import os, signal, subprocess, sys, time
    import psutil
    import studio.kernel.orphan_guard as guard
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    sys.platform = "win32"
    for name in ("getpgrp", "killpg", "setsid", "getpgid"):
        delattr(os, name)
    for name in ("SIGHUP", "SIGALRM"):  # SIGKILL stays: psutil's Linux backend sends it
        delattr(signal, name)
    guard.CHECK_EVERY = 0.1
    assert guard.guards()
    guard.guard_against_orphans()
    print(os.getpid(), sleeper.pid, flush=True)
    time.sleep(120)
    """
)

APP = textwrap.dedent(
    """
    import subprocess, sys, time
    kernel = subprocess.Popen([sys.executable, "-c", sys.argv[1]], stdout=sys.stdout)
    time.sleep(float(sys.argv[2]))
    """
)


@pytest.mark.linux_only
def test_the_orphan_guard_ends_the_kernel_and_its_children_without_process_groups(tmp_path):
    out = tmp_path / "pids.txt"
    with out.open("w", encoding="utf-8") as sink:
        app = subprocess.Popen(
            [sys.executable, "-c", APP, KERNEL, "6"],
            stdout=sink,
            env={**os.environ, "JPY_PARENT_PID": "999999"},  # a handle on Windows: not used
        )
        deadline = time.monotonic() + 30
        while not out.read_text(encoding="utf-8").strip() and time.monotonic() < deadline:
            time.sleep(0.1)
        kernel, sleeper = map(int, out.read_text(encoding="utf-8").split())
        assert psutil.pid_exists(kernel) and psutil.pid_exists(sleeper)
        time.sleep(1.0)
        assert _running(kernel), "the guard ended the kernel while its app was there"
        app.wait(timeout=30)
    deadline = time.monotonic() + 15
    while (_running(kernel) or _running(sleeper)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(sleeper), "the process the kernel started outlived the app"
    assert not _running(kernel), "the kernel outlived the app"


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


BLOCKS = """
from hamilton.htypes import Collect, Parallelizable


def numbers() -> Parallelizable[int]:
    yield from range(5)


def squared(numbers: int) -> int:
    return numbers * numbers + 1


def summed(squared: Collect[int]) -> int:
    return sum(squared)
"""


def test_spawned_task_workers_run_the_projects_current_code(tmp_path, monkeypatch):
    """Windows' `spawn` (and macOS' `forkserver`) workers import nothing of the kernel's:
    each task carries the project's code, so a node defined in a project module (not
    importable by name in the worker) runs, and a save is seen at the next run."""
    for module in (task_executors, task_driver):
        monkeypatch.setattr(module, "forks_tasks", lambda: False)
    monkeypatch.setattr(task_executors, "task_start_method", lambda: "spawn")
    (tmp_path / "blocks.py").write_text(BLOCKS, encoding="utf-8")
    runner = Runner()
    choice = ExecutorChoice.parse("processes")
    outcome = runner.run(load_project(tmp_path).loaded, ["summed"], executor=choice, root=tmp_path)
    assert outcome.status is RunStatus.DONE, outcome.message
    assert runner.results["summed"] == 35

    (tmp_path / "blocks.py").write_text(BLOCKS.replace("+ 1", "+ 2"), "utf-8")
    outcome = runner.run(load_project(tmp_path).loaded, ["summed"], executor=choice, root=tmp_path)
    assert outcome.status is RunStatus.DONE, outcome.message
    assert runner.results["summed"] == 40
