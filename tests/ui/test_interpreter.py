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


def test_a_trusted_projects_environment_runs_without_asking(project_venv, open_window, qtbot):
    python = project_environments(project_venv)[0].python
    window = open_window(project_venv)
    assert window.workspace.project.interpreter == python
    assert not window.workspace.project.interpreter_chosen  # found, not saved
    assert window.session.info.executable.startswith(str(project_venv / ".venv"))
    assert "floor_area" in window.scene.nodes and not window.banner.isVisible()
    qtbot.waitUntil(lambda: "Kernel idle" in window.status.kernel_label.text(), timeout=10_000)
    assert "the project's .venv/bin/python" in window.status.kernel_label.text()
    assert window.workspace.project.state()["interpreter"] is None

    with qtbot.waitSignal(window.controller.load_finished, timeout=60_000):
        window.use_interpreter(None)  # the user's explicit choice of the studio's Python
    assert window.workspace.project.interpreter is None
    window.project_session.save()
    assert window.settings.project_state(project_venv.resolve())["interpreter"] == ""
    with qtbot.waitSignal(window.controller.load_finished, timeout=60_000):
        window.open_folder(project_venv)  # opened again: the choice is kept
    assert window.workspace.project.interpreter is None
    qtbot.waitUntil(lambda: "(the studio's)" in window.status.kernel_label.text(), timeout=10_000)
    assert "No module named 'shapes'" in window.banner.text()
    assert "Use .venv" in window.banner._action.text()  # still offered for a missing module


def _spy_python(folder, bare, marker):
    """A `.venv` whose python leaves `marker` when it runs, then is the bare `bare`."""
    venv_dir = folder / ".venv"
    (venv_dir / "bin").mkdir(parents=True)
    (venv_dir / "pyvenv.cfg").write_text("home = /usr/bin\n")
    python = venv_dir / "bin" / "python"
    python.write_text(f'#!/bin/sh\ntouch {marker}\nexec {bare / "bin" / "python"} "$@"\n')
    python.chmod(0o755)
    return python


def test_an_untrusted_folders_python_never_runs_and_a_broken_one_falls_back(
    open_window, qtbot, tmp_path, monkeypatch
):
    """Issue 31, case 1: Kernel > Project Interpreter... in an untrusted folder lists its
    `.venv` and says nothing runs before trust; choosing it keeps the choice, unrun."""
    from PySide6.QtWidgets import QMessageBox

    from studio.ui.kernel.interpreter_dialog import InterpreterDialog

    refused = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: refused.append(text))
    folder = tmp_path / "strange"
    folder.mkdir()
    (folder / "flow.py").write_text("def base() -> int:\n    return 2\n")
    venv.create(tmp_path / "bare", with_pip=False)
    marker = tmp_path / "ran"
    python = _spy_python(folder, tmp_path / "bare", marker)
    window = open_window(folder, trust=False)
    assert window.workspace.project.interpreter is None and window.session.pid is None
    shown = []

    def choose_the_venv(dialog: InterpreterDialog) -> int:  # the user picks the .venv
        shown.append(dialog.trust_note.text() if dialog.trust_note else "")
        buttons = [b for b in dialog._group.buttons() if str(python) in b.text()]
        assert len(buttons) == 1, [b.text() for b in dialog._group.buttons()]
        buttons[0].setChecked(True)
        return InterpreterDialog.DialogCode.Accepted

    monkeypatch.setattr(InterpreterDialog, "exec", choose_the_venv)
    window.commands.choose_interpreter()  # Kernel > Project Interpreter...
    assert "strange is not trusted" in shown[0] and "checked only once you trust" in shown[0]
    qtbot.wait(1500)
    assert not marker.exists() and window.session.pid is None and not refused
    assert window.workspace.project.interpreter == python  # kept, to be checked at trust
    assert window.settings.project_state(folder.resolve())["interpreter"] == str(python)

    with qtbot.waitSignal(window.controller.load_finished, timeout=60_000):
        window.project_session.trust(folder.resolve())
    assert marker.exists()  # trusted: checked, and it lacks what the kernel needs
    assert window.workspace.project.interpreter is None  # the studio's Python runs instead
    assert "it lacks ipykernel" in window.banner.text(), window.banner.text()
    assert "pip install" in window.banner.text()
    assert "base" in window.scene.nodes
