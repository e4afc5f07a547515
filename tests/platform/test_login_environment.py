"""An app started from macOS' Finder has launchd's PATH and no $EDITOR: the user's login
shell is asked for them once, on a thread. A fake shell script plays the user's zsh
(its profile prints a greeting, adds a folder to PATH, sets EDITOR)."""

import os
import sys
import time
from pathlib import Path

import pytest

from studio.core.editing.editor_command import editor_command
from studio.core.platform import login_environment
from studio.core.platform.liveness import process_alive
from studio.core.platform.login_environment import (
    LAUNCHD_PATH,
    LoginEnvironment,
    needs_login_environment,
    read_login_environment,
    tool_environment,
    tool_which,
)
from studio.ui.editing.open_in_editor import open_in_editor

SHELL = """#!/bin/sh
printf 'Last login: today on ttys001\\n'
export PATH="{path}"
{editor}
while [ "$1" != "-c" ]; do shift; done
exec /bin/sh -c "$2"
"""

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="a POSIX login shell")


def _shell(folder: Path, path: str, editor: str = "", sleep: float = 0) -> Path:
    shell = folder / "zsh"
    body = SHELL.format(path=path, editor=editor)
    if sleep:
        body = body.replace("exec ", f"sleep {sleep}; exec ")
    shell.write_text(body, encoding="utf-8")
    shell.chmod(0o755)
    return shell


def _program(folder: Path, name: str, record: Path) -> Path:
    """A program that writes its arguments to `record`, one a line."""
    folder.mkdir(exist_ok=True)
    program = folder / name
    program.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{record}"\n', encoding="utf-8")
    program.chmod(0o755)
    return program


@pytest.fixture
def fresh(monkeypatch):
    """A login environment not read yet (the process's own is left as it was)."""
    login = LoginEnvironment()
    monkeypatch.setattr(login_environment, "_login", login)
    return login


def test_the_login_shells_path_and_editor_are_read_past_its_greeting(tmp_path):
    shell = _shell(tmp_path, "/opt/homebrew/bin:/usr/bin:/bin", 'export EDITOR="subl -w"')
    found = read_login_environment(str(shell))
    assert found is not None
    assert found["PATH"] == "/opt/homebrew/bin:/usr/bin:/bin"
    assert found["EDITOR"] == "subl -w"
    assert not any("Last login" in name for name in found)


def test_a_shell_that_does_not_answer_is_given_up_with_what_it_started(tmp_path):
    pid_file = tmp_path / "sleeper.pid"
    shell = _shell(tmp_path, "/usr/bin:/bin", f'sleep 60 & echo $! > "{pid_file}"', sleep=30)
    started = time.monotonic()
    assert read_login_environment(str(shell), timeout=1.0) is None
    assert time.monotonic() - started < 10
    sleeper = int(pid_file.read_text(encoding="utf-8"))
    deadline = time.monotonic() + 10
    while process_alive(sleeper) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not process_alive(sleeper), "what the profile started outlived the shell"


def test_only_macos_apps_without_the_shells_setup_read_it(as_macos, monkeypatch):
    assert needs_login_environment({"PATH": LAUNCHD_PATH})
    assert not needs_login_environment({"PATH": "/opt/homebrew/bin:" + LAUNCHD_PATH})
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert needs_login_environment({"PATH": "/opt/homebrew/bin:" + LAUNCHD_PATH})


@pytest.mark.linux_only
def test_linux_reads_nothing(fresh, monkeypatch):
    monkeypatch.setenv("PATH", LAUNCHD_PATH)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert not needs_login_environment(os.environ)
    assert not login_environment.start_reading()
    assert tool_environment() == dict(os.environ)


def test_the_window_never_waits_for_the_shell(as_macos, fresh, tmp_path):
    shell = _shell(tmp_path, "/opt/homebrew/bin:/usr/bin:/bin", 'export EDITOR="vim"', sleep=3)
    base = {"PATH": LAUNCHD_PATH, "SHELL": str(shell)}
    started = time.monotonic()
    assert login_environment.start_reading(base)
    assert tool_environment(base) == base, "meanwhile the app's own environment is used"
    assert time.monotonic() - started < 0.5
    assert fresh.done.wait(30)
    assert tool_environment(base)["EDITOR"] == "vim"
    assert tool_environment(base)["PATH"] == "/opt/homebrew/bin:/usr/bin:/bin"


def test_the_editor_from_the_login_shell_opens_the_file(as_macos, fresh, tmp_path, monkeypatch):
    """From the Finder: no EDITOR, launchd's PATH. The shell's EDITOR is a program in a
    folder only its PATH has; it is found there and started with the file and line."""
    tools = tmp_path / "homebrew-bin"
    record = tmp_path / "opened.txt"
    _program(tools, "subl", record)
    shell = _shell(tmp_path, f"{tools}:/usr/bin:/bin", 'export EDITOR="subl -w"')
    monkeypatch.setenv("PATH", LAUNCHD_PATH)
    monkeypatch.setenv("SHELL", str(shell))
    for name in ("EDITOR", "VISUAL"):
        monkeypatch.delenv(name, raising=False)
    module = tmp_path / "flow.py"
    module.write_text("x = 1\n", encoding="utf-8")
    assert editor_command(module, 12, os.environ) is None, "the app alone knows no editor"

    assert login_environment.start_reading()
    assert fresh.done.wait(30)
    assert open_in_editor(module, 12)

    deadline = time.monotonic() + 30
    while not record.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert record.read_text(encoding="utf-8").splitlines() == ["-w", f"{module}:12"]


def test_tools_are_looked_up_on_the_login_shells_path(as_macos, fresh, tmp_path, monkeypatch):
    tools = tmp_path / "homebrew-bin"
    uv = _program(tools, "uv", tmp_path / "unused.txt")
    shell = _shell(tmp_path, f"{tools}:/usr/bin:/bin", sleep=0.5)
    monkeypatch.setenv("PATH", LAUNCHD_PATH)
    monkeypatch.setenv("SHELL", str(shell))
    assert tool_which()("uv") != str(uv)  # not read yet: launchd's PATH
    assert fresh.done.wait(30)
    assert tool_which()("uv") == str(uv)
