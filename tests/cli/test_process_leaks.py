"""Nothing `studio graph` or `studio run` starts outlives the command (issue 31, cases 6, 7, 12).

Each project writes the pids of the processes it starts into a folder; the
test checks they are gone, and ends any that are not (so a failing test
leaves nothing running).
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.core import process_tree

pytestmark = [
    pytest.mark.skipif(not process_tree.supported(), reason="Linux: subreaper and /proc"),
    pytest.mark.timeout(60),
]

STUDIO = [sys.executable, "-m", "studio"]

NODE_STARTS_PROCESSES = """
import os
import subprocess
import time
from pathlib import Path

PIDS = Path({pids!r})


def a() -> int:
    return 1


def starts(a: int) -> int:
    (PIDS / "worker").write_text(str(os.getpid()))
    if os.fork() == 0:  # a forked child that outlives its node
        (PIDS / "forked").write_text(str(os.getpid()))
        time.sleep(60)
        os._exit(0)
    server = subprocess.Popen(["sleep", "60"], start_new_session=True)
    (PIDS / "new-session").write_text(str(server.pid))
    subprocess.run(["setsid", "-f", "sh", "-c", "echo $$ > {pids}/setsid; exec sleep 60"])
    time.sleep({sleep})
    return a
"""

IMPORT_HANGS = """
import os
import signal
import time
from pathlib import Path

{hold_off}
Path({pids!r}, "worker").write_text(str(os.getpid()))


def a() -> int:
    return 1


while True:
    time.sleep(0.05)
"""


def _alive(pid: int) -> bool:
    found = process_tree._stat(pid)
    return found is not None and found[0] not in "ZX"


def _pids(folder: Path) -> dict[str, int]:
    pids = {}
    for file in folder.iterdir():
        text = file.read_text().strip()
        if text.isdigit():
            pids[file.name] = int(text)
    return pids


@pytest.fixture
def pids(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "pids"
    folder.mkdir()
    yield folder
    for pid in _pids(folder).values():  # a failed test leaves nothing running
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


def _start(*args: str) -> subprocess.Popen:
    env = {**os.environ, "HAMILTON_TELEMETRY_ENABLED": "false"}
    return subprocess.Popen(
        [*STUDIO, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )


def _wait_for(check, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _project(tmp_path: Path, pids: Path, sleep: float) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    (project / "flow.py").write_text(NODE_STARTS_PROCESSES.format(pids=str(pids), sleep=sleep))
    return project


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_run_ends_its_worker_and_all_it_started_and_writes_nothing(tmp_path, pids, how):
    output = tmp_path / "out.pkl"
    command = _start("run", str(_project(tmp_path, pids, sleep=1.5)), "starts", "-o", str(output))
    try:
        _wait_for(lambda: {"worker", "forked", "new-session", "setsid"} <= set(_pids(pids)))
        command.send_signal(how)
        code = command.wait(timeout=10)
        _wait_for(lambda: not any(_alive(p) for p in _pids(pids).values()), seconds=5)
    finally:
        command.kill()
        command.communicate()
    assert code == (143 if how == signal.SIGTERM else -signal.SIGKILL)
    time.sleep(2)  # the node would have returned by now, and the worker written `-o`
    assert not output.exists()


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_a_graph_killed_during_a_hanging_import_ends_its_worker(tmp_path, pids, how):
    project = tmp_path / "project"
    project.mkdir()
    (project / "hangs.py").write_text(IMPORT_HANGS.format(pids=str(pids), hold_off=""))
    command = _start("graph", str(project))
    try:
        _wait_for(lambda: "worker" in _pids(pids))
        command.send_signal(how)
        command.wait(timeout=10)
        _wait_for(lambda: not _alive(_pids(pids)["worker"]), seconds=5)
    finally:
        command.kill()
        command.communicate()


def test_a_run_ends_when_its_work_is_done_not_when_a_forked_child_exits(tmp_path, pids):
    started = time.monotonic()
    command = _start("run", str(_project(tmp_path, pids, sleep=0)), "starts")
    try:
        out, err = command.communicate(timeout=30)  # the children hold stdout for 60 s
    finally:
        command.kill()
    assert time.monotonic() - started < 20
    assert command.returncode == 0, err
    assert out.decode().split() == ["==", "starts", "==", "1"]
    assert "ended 3 processes still running when the command ended" in err.decode()
    assert not any(_alive(p) for p in _pids(pids).values())


@pytest.mark.parametrize(
    "hold_off",
    [
        "signal.signal(signal.SIGALRM, signal.SIG_IGN)",
        "signal.signal(signal.SIGALRM, lambda *_: None)",
    ],
    ids=["ignores", "handles it itself"],
)
def test_a_load_that_holds_off_the_timeout_is_ended_a_little_later(tmp_path, pids, hold_off):
    project = tmp_path / "project"
    project.mkdir()
    (project / "stubborn.py").write_text(IMPORT_HANGS.format(pids=str(pids), hold_off=hold_off))
    started = time.monotonic()
    command = _start("run", str(project), "a", "--load-timeout", "1")
    try:
        _, err = command.communicate(timeout=30)
    finally:
        command.kill()
    assert command.returncode == 2
    assert time.monotonic() - started < 15
    assert (
        "module 'stubborn' did not finish importing within 1 s, and did not stop when "
        "interrupted: its process was ended" in err.decode()
    )
    assert not _alive(_pids(pids)["worker"])
