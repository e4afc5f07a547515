"""No worker outlives the app: a Dask or Ray cluster the studio started ends when the app
quits, when it is killed with `kill -9`, and when another folder opens (issue 18)."""

import json
import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from tests.helpers import APP_WITH_KERNEL

pytestmark = pytest.mark.timeout(180)

APP = (
    APP_WITH_KERNEL
    + r"""
folder, executor, mode = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
session.kernel_client.execute(
    "from studio.core.runs.executors import ExecutorChoice\n"
    "from studio.kernel.executors.clusters import Clusters\n"
    f"__clusters = Clusters(); __clusters.ensure(ExecutorChoice.parse({executor!r}))\n"
    "import psutil\n"
    "open('cluster.json', 'w').write(__import__('json').dumps("
    "[p.pid for p in psutil.Process().children(recursive=True)]))\n"
)
marker = folder / "cluster.json"
while not marker.exists() or not marker.read_text():
    app.processEvents(); time.sleep(0.05)
print(json.dumps({"kernel": session.pid}), flush=True)
if mode == "quit":
    sys.stdin.readline()
    session.shutdown()
    sys.exit(0)
if mode == "other-folder":
    sys.stdin.readline()
    other = folder / "other"
    other.mkdir()
    session.start(other)
    while len(ready) < 2:
        app.processEvents(); time.sleep(0.01)
    print("opened", flush=True)
while True:
    app.processEvents(); time.sleep(0.05)
"""
)


def alive(pids: list[int]) -> list[str]:
    left = []
    for pid in pids:
        try:
            process = psutil.Process(pid)
            if process.status() != psutil.STATUS_ZOMBIE:
                left.append(" ".join(process.cmdline())[:120])
        except psutil.NoSuchProcess:
            continue
    return left


def wait_all_gone(pids: list[int], seconds: float = 30.0) -> list[str]:
    end = time.monotonic() + seconds
    while alive(pids) and time.monotonic() < end:
        time.sleep(0.2)
    return alive(pids)


@pytest.mark.parametrize("executor", ["dask", "ray"])
@pytest.mark.parametrize("ending", ["kill -9", "quit", "other-folder"])
def test_an_owned_cluster_ends_with_the_app_or_its_project(tmp_path, executor, ending):
    mode = "kill" if ending == "kill -9" else ending
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    app = subprocess.Popen(
        [sys.executable, "-c", APP, str(tmp_path), executor, mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        kernel = json.loads(app.stdout.readline())["kernel"]
        cluster = json.loads((tmp_path / "cluster.json").read_text())
        assert len(cluster) >= 3, "the cluster did not start its processes"
        if ending == "kill -9":
            app.send_signal(signal.SIGKILL)
            app.wait(timeout=10)
        else:
            app.stdin.write("go\n")
            app.stdin.flush()
            if ending == "quit":
                app.wait(timeout=60)
            else:
                assert app.stdout.readline().strip() == "opened"
        assert not wait_all_gone([kernel, *cluster]), f"outlived the {ending}"
    finally:
        app.kill()
        app.wait(timeout=10)
