"""Nothing outlives the app: after `kill -9` of the app, its kernel and what the
kernel started end, and the kernel's folder is removed at the next start (issue 17);
so do processes a node started in a session of their own (issue 31, case 8)."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from studio.core import process_tree
from tests.helpers import APP_WITH_KERNEL

pytestmark = pytest.mark.timeout(120)

START_CHILDREN = (
    "import os, subprocess, time\n"
    "p = subprocess.Popen(['sleep', '1000'])\n"
    "open('child.pid', 'w').write(str(p.pid))\n"
    "s = subprocess.Popen(['sleep', '1000'], start_new_session=True)\n"
    "open('session.pid', 'w').write(str(s.pid))\n"
    "subprocess.run(['setsid', '-f', 'sh', '-c', 'echo $$ > setsid.pid; exec sleep 1000'])\n"
    "if os.fork() == 0:\n"  # a daemon's double fork: its parent is gone at once
    "    os.setsid()\n"
    "    if os.fork() == 0:\n"
    "        open('daemon.pid', 'w').write(str(os.getpid())); time.sleep(1000)\n"
    "    os._exit(0)\n"
)
"""A node's processes: a child, one in a new session, a `setsid -f` one, a double-forked
daemon; each writes its pid into the kernel's folder."""
CHILDREN = ("child", "session", "setsid", "daemon")

APP = (
    APP_WITH_KERNEL
    + f"""
session.kernel_client.execute({START_CHILDREN!r})
"""
    + r"""
folder = Path(sys.argv[1])
while not all((folder / f"{n}.pid").exists() for n in ("child", "session", "setsid", "daemon")):
    app.processEvents(); time.sleep(0.01)
time.sleep(0.2)
print(json.dumps({"kernel": session.pid, "folder": str(session.connection_folder)}), flush=True)
while True:
    time.sleep(1)
"""
)


def children_started(folder: Path) -> dict[str, int]:
    pids = {}
    for name in CHILDREN:
        text = (
            (folder / f"{name}.pid").read_text().strip()
            if (folder / f"{name}.pid").exists()
            else ""
        )
        if text.isdigit():
            pids[name] = int(text)
    return pids


def end_left_over(folder: Path) -> None:
    for pid in children_started(folder).values():
        if not gone(pid):
            os.kill(pid, signal.SIGKILL)


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return Path(f"/proc/{pid}/status").read_text().find("State:\tZ") >= 0


def wait_gone(pid: int, seconds: float = 15.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if gone(pid):
            return True
        time.sleep(0.1)
    return False


def test_killing_the_app_ends_its_kernel_and_what_its_nodes_started(tmp_path):
    from studio.ui.kernel.session import remove_stale_kernel_folders

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    app = subprocess.Popen(
        [sys.executable, "-c", APP, str(tmp_path)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        started = json.loads(app.stdout.readline())
        children = children_started(tmp_path)
        assert not any(gone(pid) for pid in children.values())
        app.send_signal(signal.SIGKILL)
        app.wait(timeout=10)
        assert wait_gone(started["kernel"]), "the kernel outlived the app"
        for name, pid in children.items():
            if name == "child" or process_tree.supported():  # new sessions: Linux only
                assert wait_gone(pid), f"a process a node started ({name}) outlived the app"
        folder = Path(started["folder"])
        remove_stale_kernel_folders()  # as the next kernel start does (any app's)
        assert not folder.exists(), "the dead app's kernel folder stayed"
    finally:
        app.kill()
        end_left_over(tmp_path)


@pytest.mark.skipif(not process_tree.supported(), reason="Linux: the kernel is a subreaper")
def test_quitting_ends_what_nodes_started_in_sessions_of_their_own(qtbot, tmp_path):
    from studio.ui.kernel.session import KernelSession

    session = KernelSession(restart_on_death=False)
    try:
        with qtbot.waitSignal(session.ready, timeout=60_000):
            session.start(tmp_path)
        session.kernel_client.execute(START_CHILDREN)
        qtbot.waitUntil(lambda: len(children_started(tmp_path)) == len(CHILDREN), timeout=30_000)
        children = children_started(tmp_path)
        assert not any(gone(pid) for pid in children.values())
        session.shutdown()  # what quitting the window does
        for name, pid in children.items():
            assert wait_gone(pid, 5), f"a process a node started ({name}) outlived the kernel"
    finally:
        session.shutdown()
        end_left_over(tmp_path)


def test_the_orphan_guard_alone_watches_the_app(open_window, example_copy):
    """ipykernel's own watcher ends the kernel with os._exit when the app is gone; were it
    first, the group (an owned Ray's agents) would outlive the kernel. The CI saw it."""
    from tests.helpers import kernel_value

    window = open_window(example_copy("spaceflights"))
    poller = "__import__('ipykernel.kernelapp').kernelapp.IPKernelApp.instance().poller"
    assert kernel_value(window, f"{poller} is None") is True
    assert kernel_value(window, "__import__('os').getpgrp() == __import__('os').getpid()")
