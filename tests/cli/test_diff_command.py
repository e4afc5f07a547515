"""`studio diff`: a node's output at a git revision against the working tree."""

import json
import os
import subprocess
import sys
from pathlib import Path

MODULE = """import pandas as pd


def prices() -> pd.DataFrame:
    return pd.DataFrame({"price": [10.0, 20.0, 30.0]}, index=["a", "b", "c"])


def summary(prices: pd.DataFrame) -> dict:
    return {"total": float(prices["price"].sum()), "rows": len(prices)}
"""


def git(folder, *args):
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True)


def studio_diff(*args):
    env = {**os.environ, "HAMILTON_TELEMETRY_ENABLED": "false"}
    return subprocess.run(
        [sys.executable, "-m", "studio", "diff", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_diff_against_head_leaves_the_working_tree_alone(tmp_path):
    project = tmp_path / "repo" / "flow"
    project.mkdir(parents=True)
    (project / "steps.py").write_text(MODULE)
    git(tmp_path / "repo", "init", "-q")
    git(tmp_path / "repo", "add", "-A")
    git(tmp_path / "repo", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "v1")
    changed = MODULE.replace("[10.0, 20.0, 30.0]", "[10.0, 25.0, 30.0]")
    (project / "steps.py").write_text(changed)

    done = studio_diff(project, "prices", "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["against"] == "HEAD" and report["kind"] == "frame"
    assert report["changed"] == [
        {
            "column": "price",
            "cells": 1,
            "examples": [{"index": "'b'", "before": "20.0", "after": "25.0"}],
        }
    ]
    assert (project / "steps.py").read_text() == changed
    assert git(tmp_path / "repo", "status", "--porcelain").stdout == " M flow/steps.py\n"
    assert len(git(tmp_path / "repo", "worktree", "list").stdout.splitlines()) == 1

    unknown = studio_diff(project, "summary", "--against", "v9")
    assert unknown.returncode == 2 and "no revision 'v9'" in unknown.stderr


def test_diff_outside_git_says_why(tmp_path):
    (tmp_path / "steps.py").write_text(MODULE)
    done = studio_diff(tmp_path, "summary")
    assert done.returncode == 2 and "not in a git repository" in done.stderr


def test_a_missing_input_is_said_once_and_exits_as_studio_run_does(tmp_path):
    (tmp_path / "steps.py").write_text(
        MODULE + "\n\ndef scaled(prices: pd.DataFrame, k: float) -> float:\n    return 1.0\n"
    )
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "v1")
    done = studio_diff(tmp_path, "scaled")
    assert done.returncode == 2, done.stderr
    (line,) = [line for line in done.stderr.splitlines() if "missing inputs" in line]
    assert line.startswith("studio diff: scaled at HEAD: missing inputs: k")
    assert line.count("studio") == 1


def _repo_with(tmp_path, module: str):
    project = tmp_path / "repo" / "flow"
    project.mkdir(parents=True)
    (project / "steps.py").write_text(module)
    git(tmp_path / "repo", "init", "-q")
    git(tmp_path / "repo", "add", "-A")
    git(tmp_path / "repo", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "v1")
    return project


def test_a_worktree_left_by_a_killed_diff_is_removed_by_the_next(tmp_path):
    """Issue 31, case 13: kill -9 of `studio diff` left its worktree registered for good."""
    import tempfile

    project = _repo_with(tmp_path, MODULE)
    scratch = Path(tempfile.mkdtemp(prefix="studio-diff-"))
    git(tmp_path / "repo", "worktree", "add", "--detach", f"{scratch}/revision", "HEAD")
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (scratch / "owner.pid").write_text(str(gone.pid))  # its diff was killed: nobody removes it
    assert len(git(tmp_path / "repo", "worktree", "list").stdout.splitlines()) == 2

    done = studio_diff(project, "prices")
    assert done.returncode == 0, done.stderr
    assert len(git(tmp_path / "repo", "worktree", "list").stdout.splitlines()) == 1
    assert not scratch.exists()


def test_ctrl_c_stops_a_diff_with_a_line_and_removes_its_worktree(tmp_path):
    import signal
    import time

    slow = MODULE.replace("def prices()", "def prices()").replace(
        "    return pd.DataFrame", "    import time\n    time.sleep(60)\n    return pd.DataFrame"
    )
    project = _repo_with(tmp_path, slow)
    env = {**os.environ, "HAMILTON_TELEMETRY_ENABLED": "false"}
    diff = subprocess.Popen(
        [sys.executable, "-m", "studio", "diff", str(project), "prices"],
        stderr=subprocess.PIPE, text=True, env=env, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while len(git(tmp_path / "repo", "worktree", "list").stdout.splitlines()) < 2:
        assert time.monotonic() < deadline and diff.poll() is None
        time.sleep(0.2)
    time.sleep(3)  # the revision's run is under way
    os.killpg(diff.pid, signal.SIGINT)  # what a terminal's Ctrl+C does
    _, err = diff.communicate(timeout=60)
    assert diff.returncode == 130, err
    assert "studio diff: interrupted" in err and "Traceback" not in err
    assert len(git(tmp_path / "repo", "worktree", "list").stdout.splitlines()) == 1
