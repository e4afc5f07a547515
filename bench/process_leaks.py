"""Processes left running after the studio's commands and kernels end (issue 31, cases 6-8).

Each round starts processes from a node the way projects do (a forked child,
a `start_new_session=True` server, a `setsid -f` daemon), then ends what
started it: `studio run` finishing, `studio run` killed with SIGTERM or
SIGKILL while the node runs, a kernel restarted or shut down (quit). The
pids the node wrote are then checked: any still running is counted, and
ended, so that one case does not weigh on the next.

    .venv/bin/python -m bench.bench_soak --leaks-only [--leak-rounds 10]
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from studio.core import process_tree

NODE = """
import os
import subprocess
import time
from pathlib import Path

PIDS = Path({pids!r})


def a() -> int:
    return 1


def starts(a: int) -> int:
    if os.fork() == 0:
        (PIDS / "forked").write_text(str(os.getpid()))
        time.sleep(120)
        os._exit(0)
    server = subprocess.Popen(["sleep", "120"], start_new_session=True)
    (PIDS / "new-session").write_text(str(server.pid))
    subprocess.run(["setsid", "-f", "sh", "-c", "echo $$ > {pids}/setsid; exec sleep 120"])
    (PIDS / "started").write_text("")
    time.sleep({sleep})
    return a
"""
STARTED = ("forked", "new-session", "setsid")
HANG_S = 20.0
"""A command still there this long after it should have ended is counted as hung."""


def _alive(pid: int) -> bool:
    found = process_tree._stat(pid)
    return found is not None and found[0] not in "ZX"


def _left(pids: Path) -> tuple[int, int]:
    """(started, still running) among the pids the node wrote; those running are ended."""
    started = left = 0
    for name in STARTED:
        text = (pids / name).read_text().strip() if (pids / name).exists() else ""
        if text.isdigit():
            started += 1
            if _alive(int(text)):
                left += 1
                os.kill(int(text), signal.SIGKILL)
        (pids / name).unlink(missing_ok=True)
    (pids / "started").unlink(missing_ok=True)
    return started, left


def _wait_for(check: Callable[[], bool], seconds: float = 60.0) -> None:
    end = time.monotonic() + seconds
    while not check():
        if time.monotonic() > end:
            raise SystemExit("process leaks: timed out")
        time.sleep(0.05)


def _cli_round(project: Path, pids: Path, how: str) -> bool:
    """Whether the command ended when it should have (it is ended otherwise)."""
    env = {**os.environ, "HAMILTON_TELEMETRY_ENABLED": "false"}
    command = subprocess.Popen(
        [sys.executable, "-m", "studio", "run", str(project), "starts"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        if how != "finishes":
            _wait_for(lambda: (pids / "started").exists())
            command.send_signal(signal.SIGTERM if how == "SIGTERM" else signal.SIGKILL)
        command.wait(timeout=HANG_S)
        time.sleep(0.5)  # the guard's sweep after SIGKILL
        return True
    except subprocess.TimeoutExpired:
        return False
    finally:
        command.kill()
        command.wait()


def _kernel_rounds(pids: Path, rounds: int, how: str) -> tuple[int, int]:
    from PySide6.QtWidgets import QApplication

    from studio.ui.kernel.session import KernelSession

    app = QApplication.instance() or QApplication([])
    folder = pids.parent / "kernel-project"
    folder.mkdir(exist_ok=True)
    code = NODE.format(pids=str(pids), sleep=0) + "\nstarts(1)\n"
    session = KernelSession(restart_on_death=False)
    started = left = 0
    try:
        for _ in range(rounds):
            ready: list[object] = []
            session.ready.connect(ready.append)
            session.start(folder) if session.pid is None else session.restart()
            _wait_for(lambda ready=ready: bool(ready) or not app.processEvents())
            session.ready.disconnect(ready.append)
            session.kernel_client.execute(code)
            _wait_for(lambda: (pids / "started").exists() or bool(app.processEvents()))
            if how == "quit":
                session.shutdown()
            else:
                session.restart()
            time.sleep(0.3)
            counts = _left(pids)
            started, left = started + counts[0], left + counts[1]
    finally:
        session.shutdown()
    return started, left


def measure(rounds: int) -> list[tuple[str, int, int, int]]:
    """(case, rounds, processes started, processes left running) for each case."""
    if not process_tree.supported():
        raise SystemExit("process leaks: Linux only (/proc)")
    root = Path(tempfile.mkdtemp(prefix="studio-leaks-"))
    pids = root / "pids"
    pids.mkdir()
    rows = []
    for how, sleep in (("finishes", 0), ("SIGTERM", 30), ("SIGKILL", 30)):
        project = root / f"cli-{how}"
        project.mkdir()
        (project / "flow.py").write_text(NODE.format(pids=str(pids), sleep=sleep))
        started = left = hung = 0
        for _ in range(rounds):
            hung += not _cli_round(project, pids, how)
            counts = _left(pids)
            started, left = started + counts[0], left + counts[1]
        label = f"`studio run` {'killed by ' if how != 'finishes' else ''}{how}"
        hung_text = f" ({hung} hung past {HANG_S:g} s)" if hung else ""
        rows.append((label + hung_text, rounds, started, left))
    for how in ("restart", "quit"):
        started, left = _kernel_rounds(pids, rounds, how)
        label = "the kernel restarted" if how == "restart" else "the kernel shut down (quit)"
        rows.append((label, rounds, started, left))
    return rows


def print_table(rows: list[tuple[str, int, int, int]]) -> bool:
    """Print the rows as a table; whether nothing was left running."""
    print("| what ends | rounds | processes nodes started | left running |\n|---|---|---|---|")
    for label, rounds, started, left in rows:
        print(f"| {label} | {rounds} | {started} | {left} |")
    leaked = sum(row[3] for row in rows)
    print(f"\n- no process left running: {leaked}, {'met' if leaked == 0 else 'missed'}")
    return leaked == 0
