"""Project code runs in a worker the command watches, and ends with the command.

A module can end the process while it is imported (`os._exit(3)`), a
node can kill it (a crash in a C extension, the kernel's OOM killer).
The command's work runs in a forked child, the *worker*, that tells its
parent which module it imports and which node it runs; when the worker
ends without finishing, the parent names them, and exits 2 (loading) or
1 (a node).

Nothing the command started outlives it (Linux; see docs/RELIABILITY.md
for other systems): the parent and the worker are child subreapers, so
whatever a node starts stays below them, even in a new session; when the
worker is done the parent ends what is left (a node's forked child does
not keep the command waiting). SIGTERM or SIGHUP of the parent end the
worker and its tree. SIGKILL of the parent cannot be caught: a small
guard process it forked notices (the pipe it reads closes) and ends the
worker's tree. A load that holds off `--load-timeout`'s interrupt (it
ignores or blocks SIGALRM) is ended by the parent a little later.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

from studio.core import process_tree
from studio.core.platform import job_object
from studio.core.platform.signals import ending_signals

EXIT_NOT_LOADED = 2
EXIT_NODE_FAILED = 1
LOAD_GRACE_S = 2.0
"""How long past `--load-timeout` the parent waits for the worker's own interrupt."""
_DONE = "done"
_LOADING = "loading"
_POLL_S = 0.1
_ENDING_SIGNALS = ending_signals()
_channel: list[int] = []
_keep_open: list[int] = []
"""The write end of the guard's pipe: open as long as this process lives."""


def tell(what: str) -> None:
    """Say what the worker is doing now (`import MODULE`, `node NAME`)."""
    if _channel:
        with contextlib.suppress(OSError):
            os.write(_channel[0], f"{what}\n".encode())


class NodeTeller:
    """A run listener that tells the parent each node as it starts."""

    def run_started(self, execution_path: list[str]) -> None:
        pass

    def node_started(self, name: str) -> None:
        tell(f"node {name}")

    def node_finished(self, name: str, *_args: Any) -> None:
        tell("between nodes")


class _EndRequested(BaseException):
    """The parent was asked to end (SIGTERM, SIGHUP)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def run_supervised(work: Callable[[], int]) -> int:
    """`work()`'s exit code, from a worker process when the system can fork."""
    if sys.platform == "win32" or not hasattr(os, "fork"):
        return work()
    process_tree.become_subreaper()
    read, write = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    worker = os.fork()
    if worker == 0:
        os.close(read)
        _work_in_child(work, write)
    os.close(write)
    guard = _start_guard(worker, read)
    with _signals_end_the_command():
        try:
            status, last, late = _watch(worker, read)
        except _EndRequested as ended:
            _end_all(guard)
            name = signal.Signals(ended.signum).name
            print(
                f"studio: stopped by {name}: the run and what it started were ended",
                file=sys.stderr,
            )
            return 128 + ended.signum
        finally:
            os.close(read)
    _end_all(guard)
    if late is not None:
        return _report_late_load(late, last)
    code = os.waitstatus_to_exitcode(status)
    if last == _DONE:
        return code
    return _report_death(code, last)


def run_elsewhere(command: list[str], capture_stdout: bool, env: dict[str, str]) -> Any:
    """Run `command` (the studio in another Python) as `run_supervised` runs a worker:
    it dies with this process (SIGKILL, whose own guard then ends its worker), and a
    SIGTERM or SIGHUP here ends it and what it started. On Windows it is held in a
    kill-on-close Job Object instead: it and what it started end with this process, and
    what is left of them when it is done. A `CompletedProcess`."""
    process_tree.become_subreaper()
    job = None
    with _signals_end_the_command():
        try:
            process = subprocess.Popen(
                command,
                stdout=subprocess.PIPE if capture_stdout else None,
                env=env,
                preexec_fn=process_tree.die_with_parent if process_tree.supported() else None,
            )
            job = job_object.contain(process.pid)
            out, _ = process.communicate()
        except _EndRequested as ended:
            job_object.close_quietly(job)
            _end_all(None)
            return subprocess.CompletedProcess(command, 128 + ended.signum, b"")
    job_object.close_quietly(job)
    _end_all(None)
    return subprocess.CompletedProcess(command, process.returncode, out)


def _work_in_child(work: Callable[[], int], write: int) -> None:
    process_tree.become_subreaper()
    _channel.append(write)
    from studio.kernel.loading import fresh_import

    fresh_import.IMPORTING.append(lambda name: tell(f"import {name}"))
    code = 1
    try:
        code = work()
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        tell(_DONE)
        os._exit(code)


def _start_guard(worker: int, *inherited: int) -> int | None:
    """A process that ends the worker's tree when this one is gone (SIGKILL included):
    it waits on a pipe only this process writes to, which closes when it ends."""
    if sys.platform == "win32" or not process_tree.supported():
        return None
    life_read, life_write = os.pipe()
    guard = os.fork()
    if guard != 0:
        os.close(life_read)
        _keep_open.append(life_write)
        return guard
    try:
        os.close(life_write)
        for fd in inherited:
            os.close(fd)
        for signum in (signal.SIGINT, *_ENDING_SIGNALS):
            signal.signal(signum, signal.SIG_IGN)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):  # a caller reading our output must not wait for the guard
            os.dup2(null, fd)
        while os.read(life_read, 1):
            pass
        process_tree.end_tree(worker, include_root=True)
    finally:
        os._exit(0)


def _end_all(guard: int | None) -> int:
    """End the guard and every process left below this one; how many were left (the
    guard aside)."""
    if guard is not None and sys.platform != "win32":
        with contextlib.suppress(OSError):
            os.kill(guard, signal.SIGKILL)
            os.waitpid(guard, 0)
    while _keep_open:
        with contextlib.suppress(OSError):
            os.close(_keep_open.pop())
    left = process_tree.end_tree(os.getpid())
    if left:
        print(
            f"studio: note: ended {left} process{'es' if left > 1 else ''} still running "
            "when the command ended (started by the project or its executor)",
            file=sys.stderr,
        )
    return left


@contextlib.contextmanager
def _signals_end_the_command() -> Any:
    """SIGTERM and SIGHUP raise `_EndRequested` here; Ctrl+C is the worker's (the terminal sends
    it to both), so this process ignores it meanwhile."""

    def end(signum: int, _frame: Any) -> None:
        raise _EndRequested(signum)

    previous = {s: signal.signal(s, end) for s in _ENDING_SIGNALS}
    previous[signal.SIGINT] = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _watch(worker: int, read: int) -> tuple[int, str, float | None]:
    """Follow the worker until it ends, or until its load is past its deadline (then
    end it): its wait status, the last thing it said, and that deadline (None when the
    load kept it). It does not wait for the pipe to close: a process the project forked
    may hold it open."""
    if sys.platform == "win32":
        raise RuntimeError("a forked worker is watched only where there is fork")
    pending = b""
    last = ""
    ends_at: float | None = None
    seconds = 0.0
    reaped: int | None = None
    """The worker's wait status once it ended while its last words were still unread."""
    while True:
        ready, _, _ = select.select([read], [], [], _POLL_S)
        chunk = os.read(read, 65536) if ready else b""
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in (raw.decode("utf-8", "replace").strip() for raw in lines):
            kind, _, rest = line.partition(" ")
            if kind == _LOADING:
                seconds = float(rest)
                ends_at = time.monotonic() + seconds + LOAD_GRACE_S
            elif line:
                last = line
                if line == "loaded":
                    ends_at = None
        if ready and not chunk:  # closed: nothing more will come
            if reaped is None:
                _, reaped = os.waitpid(worker, 0)
            return reaped, last, None
        if reaped is None:
            done, status = os.waitpid(worker, os.WNOHANG)
            if done:
                reaped = status
        if reaped is not None and not select.select([read], [], [], 0)[0]:
            return reaped, last, None
        if ends_at is not None and time.monotonic() > ends_at:
            process_tree.end_tree(worker, include_root=True)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(worker, 0)
            return 0, last, seconds


def _report_late_load(seconds: float, last: str) -> int:
    kind, _, name = last.partition(" ")
    what = f"module {name!r}" if kind == "import" else "the load"
    print(
        f"studio: {what} did not finish importing within {seconds:g} s, and did not stop "
        "when interrupted: its process was ended",
        file=sys.stderr,
    )
    return EXIT_NOT_LOADED


def _report_death(code: int, last: str) -> int:
    how = f"was killed by {_signal_name(-code)}" if code < 0 else f"exited with code {code}"
    kind, _, name = last.partition(" ")
    if kind == "node":
        print(f"studio: node {name!r} ended the process: it {how}", file=sys.stderr)
        return EXIT_NODE_FAILED
    if kind == "import":
        print(
            f"studio: module {name!r} ended the process while imported: it {how}", file=sys.stderr
        )
        return EXIT_NOT_LOADED
    print(f"studio: the process {how} before it finished", file=sys.stderr)
    return EXIT_NOT_LOADED if kind not in ("between", "loaded") else EXIT_NODE_FAILED


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
