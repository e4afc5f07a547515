"""Project code that ends the process: the command still says what happened.

A module can end the process while it is imported (`os._exit(3)`), a
node can kill it (a crash in a C extension, the kernel's OOM killer).
The command's work runs in a forked child that tells its parent which
module it imports and which node it runs; when the child ends without
finishing, the parent names them, and exits 2 (loading) or 1 (a node).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import traceback
from collections.abc import Callable
from typing import Any

EXIT_NOT_LOADED = 2
EXIT_NODE_FAILED = 1
_DONE = "done"
_channel: list[int] = []


def tell(what: str) -> None:
    """Say what the child is doing now (`import MODULE`, `node NAME`)."""
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


def run_supervised(work: Callable[[], int]) -> int:
    """`work()`'s exit code, from a child process when the system can fork."""
    if not hasattr(os, "fork"):
        return work()
    from studio.kernel.loading import fresh_import

    read, write = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    child = os.fork()
    if child == 0:
        os.close(read)
        _channel.append(write)
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
    os.close(write)
    interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the child's
    try:
        last = ""
        with os.fdopen(read, "r", encoding="utf-8", errors="replace") as pipe:
            for line in pipe:
                last = line.strip() or last
        _, status = os.waitpid(child, 0)
    finally:
        signal.signal(signal.SIGINT, interrupt)
    code = os.waitstatus_to_exitcode(status)
    if last == _DONE:
        return code
    return _report_death(code, last)


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
    return EXIT_NOT_LOADED if kind != "between" else EXIT_NODE_FAILED


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
