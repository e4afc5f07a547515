"""A project's own Python: detected, checked, and used for its kernel."""

import os
import subprocess
import sys
import venv

import pytest

from studio.core.interpreters.check import check_interpreter
from studio.core.interpreters.environments import project_environments

pytestmark = pytest.mark.timeout(240)


def test_a_project_venv_is_detected(tmp_path):
    assert project_environments(tmp_path) == []
    venv.create(tmp_path / ".venv", with_pip=False)
    (found,) = project_environments(tmp_path)
    assert found.label == ".venv" and found.python.exists()


def test_a_bare_environment_is_refused_with_the_install_command(tmp_path):
    venv.create(tmp_path / "bare", with_pip=False)
    check = check_interpreter(tmp_path / "bare" / "bin" / "python")
    assert not check.ok
    assert "ipykernel" in check.problem and "apache-hamilton" in check.problem
    assert "packaging" in check.problem
    assert "install" in check.install_command and "apache-hamilton" in check.install_command
    assert str(tmp_path / "bare" / "bin" / "python") in check.install_command
    missing = check_interpreter(tmp_path / "nowhere" / "python")
    assert not missing.ok and "no such file" in missing.problem


def test_the_project_environment_is_accepted(project_venv):
    check = check_interpreter(project_venv / ".venv" / "bin" / "python")
    assert check.ok, check.describe()
    assert check.packages["apache-hamilton"]


def studio(*args, cwd=None):
    env = {**os.environ, "HAMILTON_TELEMETRY_ENABLED": "false", "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "studio", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=200,
    )


def test_nodes_run_in_the_projects_own_environment(project_venv):
    python = project_venv / ".venv" / "bin" / "python"
    done = studio(
        "--smoke-test", str(project_venv), "--node", "floor_area", "--interpreter", str(python)
    )
    assert done.returncode == 0, done.stderr
    assert "passed" in done.stdout
    assert f"({python})" in done.stdout  # the kernel's sys.executable


def test_a_broken_interpreter_is_explained_and_the_app_falls_back(tmp_path):
    venv.create(tmp_path / "bare", with_pip=False)
    done = studio("--smoke-test", "--interpreter", str(tmp_path / "bare" / "bin" / "python"))
    assert done.returncode == 1
    assert "cannot run the studio's kernel: it lacks ipykernel" in done.stderr
    assert "-m pip install" in done.stderr or "uv pip install" in done.stderr


def test_the_window_offers_the_projects_environment(project_venv, open_window, qtbot):
    window = open_window(project_venv, wait=False)
    qtbot.waitUntil(lambda: "No module named 'shapes'" in window.banner.text(), timeout=60_000)
    assert "Use .venv" in window.banner._action.text()
    with qtbot.waitSignal(window.controller.graph_shown, timeout=60_000):
        window.banner._action.click()
    assert window.workspace.project.interpreter == project_environments(project_venv)[0].python
    assert window.session.info.executable.startswith(str(project_venv / ".venv"))
    assert "floor_area" in window.scene.nodes
