"""The studio's platform-dependent steps, run with Windows' calls only (see conftest).

Each test drives one step the issue names (stale-folder clean-up, node
marker, load deadline, editor command, transport, start method) the way
it runs on Windows, with the POSIX-only functions and signals removed.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from studio.cli.load_deadline import deadline
from studio.core.editing.editor_command import editor_command
from studio.core.load_timeout import LoadTimeout
from studio.core.platform.console import CREATE_NO_WINDOW, no_console_window
from studio.core.platform.kernel_transport import kernel_transport
from studio.core.platform.liveness import process_alive
from studio.core.platform.own_command import studio_command
from studio.core.platform.start_method import forks_tasks, task_start_method
from studio.core.runs.running_node import read_running_node
from studio.kernel import orphan_guard
from studio.kernel.running.running_marker import RunningMarker
from studio.ui.kernel.session import KERNEL_FOLDER_PREFIX, remove_stale_kernel_folders


def test_stale_kernel_folders_are_removed_without_uids(as_windows, tmp_path):
    as_windows.setattr(tempfile, "tempdir", str(tmp_path))
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    stale = tmp_path / f"{KERNEL_FOLDER_PREFIX}old"
    live = tmp_path / f"{KERNEL_FOLDER_PREFIX}mine"
    for folder, owner in ((stale, ended.pid), (live, os.getpid())):
        folder.mkdir()
        (folder / "owner.pid").write_text(str(owner), encoding="utf-8")

    assert remove_stale_kernel_folders() == [stale]
    assert not stale.exists() and live.is_dir()


def test_process_liveness_asks_the_system_not_a_signal(as_windows, monkeypatch):
    real_kill = os.kill

    def no_signal_zero(pid, signum):  # on Windows, 0 is CTRL_C_EVENT
        caller = sys._getframe(1).f_globals.get("__name__", "")
        if caller.startswith("studio."):  # psutil's own Linux probe is not the studio's call
            raise AssertionError("os.kill(pid, 0) would send Ctrl+C on Windows")
        real_kill(pid, signum)

    monkeypatch.setattr(os, "kill", no_signal_zero)
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert process_alive(child.pid)
    finally:
        child.terminate()
        child.wait()
    assert not process_alive(child.pid)
    assert process_alive(os.getpid())


def test_the_node_marker_is_written_without_pwrite(as_windows, tmp_path):
    marker = RunningMarker(tmp_path)
    marker.mark("a_rather_long_node_name")
    marker.mark("short")
    assert read_running_node(tmp_path) == "short"
    marker.mark("naïve_ünïcode")
    assert read_running_node(tmp_path) == "naïve_ünïcode"


def test_the_load_deadline_interrupts_without_sigalrm(as_windows):
    started = time.monotonic()
    with pytest.raises(LoadTimeout) as stopped, deadline(0.3):
        while time.monotonic() - started < 10:  # a module whose import never ends
            sum(range(1000))
    assert 0.25 < time.monotonic() - started < 3
    assert stopped.value.seconds == 0.3


def test_a_load_within_its_deadline_is_left_alone_and_ctrl_c_is_restored(as_windows):
    before = signal.getsignal(signal.SIGINT)
    with deadline(2.0):
        time.sleep(0.1)
    time.sleep(0.3)  # nothing fires afterwards
    assert signal.getsignal(signal.SIGINT) is before


def test_editor_commands_take_windows_paths_and_batch_wrappers(as_windows):
    path = Path("C:\\Users\\ana\\flow\\steps.py")
    environment = {"EDITOR": '"C:\\Program Files\\Microsoft VS Code\\bin\\code.cmd" --wait'}
    assert editor_command(path, 12, environment) == [
        "C:\\Program Files\\Microsoft VS Code\\bin\\code.cmd",
        "--wait",
        "-g",
        f"{path}:12",
    ]
    assert editor_command(path, 3, {"VISUAL": "C:\\Tools\\Notepad++\\notepad++.exe"}) == [
        "C:\\Tools\\Notepad++\\notepad++.exe",
        "+3",
        str(path),
    ]
    found = "C:\\Users\\ana\\AppData\\Local\\Programs\\VS Code\\bin\\code.CMD"
    which = {"code": found}.get
    assert editor_command(path, 7, {}, which=which) == [found, "-g", f"{path}:7"]
    assert editor_command(path, 7, {}, which=lambda _name: None) is None


@pytest.mark.linux_only
def test_editor_commands_on_posix_are_as_before():
    path = Path("/home/ana/flow/steps.py")
    assert editor_command(path, 4, {"EDITOR": "vim"}) == ["vim", "+4", str(path)]
    assert editor_command(path, 4, {}, which=lambda _n: "/usr/bin/code") == [
        "code",
        "-g",
        f"{path}:4",
    ]


@pytest.mark.linux_only
def test_the_kernel_talks_over_loopback_tcp_on_windows_and_ipc_elsewhere(tmp_path, monkeypatch):
    assert kernel_transport(tmp_path).transport == "ipc"
    assert kernel_transport(tmp_path).ip == str(tmp_path / "kernel")
    monkeypatch.setattr(sys, "platform", "darwin")
    assert kernel_transport(tmp_path).transport == "ipc"
    monkeypatch.setattr(sys, "platform", "win32")
    assert (kernel_transport(tmp_path).transport, kernel_transport(tmp_path).ip) == (
        "tcp",
        "127.0.0.1",
    )


@pytest.mark.linux_only
def test_task_workers_fork_on_linux_only(monkeypatch):
    assert task_start_method() == "fork" and forks_tasks()
    monkeypatch.setattr(sys, "platform", "darwin")
    assert task_start_method() == "forkserver" and not forks_tasks()
    monkeypatch.setattr(sys, "platform", "win32")
    assert task_start_method() == "spawn"


def test_the_orphan_guard_watches_the_parent_pid_not_jpy_parent_pid(as_windows, monkeypatch):
    monkeypatch.setenv("JPY_PARENT_PID", "1234")  # a handle there, not a pid
    assert orphan_guard._app_pid() == os.getppid()
    assert orphan_guard.guards() == (os.getppid() > 1)


def test_the_studio_starts_itself_by_its_console_executable_when_frozen(as_windows, tmp_path):
    windowed = tmp_path / "Dataflow Studio.exe"
    console = tmp_path / "studio.exe"
    for program in (windowed, console):
        program.write_bytes(b"MZ")
    as_windows.setattr(sys, "frozen", True, raising=False)
    as_windows.setattr(sys, "executable", str(windowed))
    assert studio_command() == [str(console)]  # the windowed one has no standard output
    as_windows.setattr(sys, "executable", str(console))
    assert studio_command() == [str(console)]
    as_windows.delattr(sys, "frozen")
    assert studio_command() == [str(console), "-m", "studio"]


def test_console_programs_started_from_the_window_get_no_console_window_on_windows(
    as_windows,
):
    assert no_console_window() == {"creationflags": CREATE_NO_WINDOW}
    as_windows.setattr(sys, "platform", "linux")
    assert no_console_window() == {}  # Popen refuses creationflags elsewhere
