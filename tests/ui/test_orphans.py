"""Nothing outlives the app: after `kill -9` of the app, its kernel and what the
kernel started end, and the kernel's folder is removed at the next start (issue 17)."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import APP_WITH_KERNEL

pytestmark = pytest.mark.timeout(120)

APP = (
    APP_WITH_KERNEL
    + r"""
session.kernel_client.execute(
    "import subprocess; p = subprocess.Popen(['sleep', '1000']); "
    "open('child.pid', 'w').write(str(p.pid))"
)
marker = Path(sys.argv[1]) / "child.pid"
while not marker.exists() or not marker.read_text():
    app.processEvents(); time.sleep(0.01)
print(json.dumps({"kernel": session.pid, "folder": str(session.connection_folder)}), flush=True)
while True:
    time.sleep(1)
"""
)


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
        child = int((tmp_path / "child.pid").read_text())
        assert not gone(child)
        app.send_signal(signal.SIGKILL)
        app.wait(timeout=10)
        assert wait_gone(started["kernel"]), "the kernel outlived the app"
        assert wait_gone(child), "a process a node started outlived the app"
        folder = Path(started["folder"])
        remove_stale_kernel_folders()  # as the next kernel start does (any app's)
        assert not folder.exists(), "the dead app's kernel folder stayed"
    finally:
        app.kill()


def test_the_orphan_guard_alone_watches_the_app(open_window, example_copy):
    """ipykernel's own watcher ends the kernel with os._exit when the app is gone; were it
    first, the group (an owned Ray's agents) would outlive the kernel. The CI saw it."""
    from tests.helpers import kernel_value

    window = open_window(example_copy("spaceflights"))
    poller = "__import__('ipykernel.kernelapp').kernelapp.IPKernelApp.instance().poller"
    assert kernel_value(window, f"{poller} is None") is True
    assert kernel_value(window, "__import__('os').getpgrp() == __import__('os').getpid()")
