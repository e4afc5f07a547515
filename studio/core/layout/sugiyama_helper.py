"""igraph's Sugiyama layouts in a helper process, for big drawings.

python-igraph holds the interpreter through each of its calls (its extension
never lets the GIL go): 17-22 ms for a module of 400 nodes. While a big
drawing was laid out on the layout thread, the GUI thread waited for the
interpreter through each call, many times within one event: at 20,000 nodes a
kernel message that took 28-43 ms of the GUI thread's CPU took 109-169 ms
(issue 33). So once a window lays out a big drawing, it starts
`studio --layout-helper`, a process that only makes these calls; the layout
thread then sends each call's boxes and edges down a pipe and waits on it
with the interpreter free.

The helper is used once it said it is ready; until then, and for good if it
fails, the call runs in this process as before. It ends when the window's
process does (its input closes) or `stop` is called.
"""

from __future__ import annotations

import atexit
import contextlib
import pickle
import struct
import subprocess
import sys
import threading
from typing import IO, Any

from studio.core.platform.console import no_console_window
from studio.core.platform.own_command import studio_command

HELPER_ARGUMENT = "--layout-helper"
"""The hidden `studio` subcommand that runs `main`."""
HELPER_ABOVE = 2_000
"""Boxes of a drawing from which its layouts start the helper (below, a layout is short
enough that the interpreter it holds goes unnoticed)."""
_READY = b"R"
_LENGTH = struct.Struct("!I")

Sugiyama = tuple[list[list[float]], list[list[list[float]]]]


def _write(stream: IO[bytes], value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)) + data)
    stream.flush()


def _read(stream: IO[bytes]) -> Any:
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        raise EOFError("the other side closed")
    (length,) = _LENGTH.unpack(head)
    data = stream.read(length)
    if len(data) < length:
        raise EOFError("the other side closed")
    return pickle.loads(data)


class SugiyamaHelper:
    """The window process's one helper: started on demand, used once ready."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._ready = threading.Event()
        self._lock = threading.Lock()
        self._failed = False

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    @property
    def failed(self) -> bool:
        """It could not start, or stopped answering: layouts are made here from now on."""
        return self._failed

    def start(self) -> None:
        """Start the helper (once; not again after it failed)."""
        if self._process is not None or self._failed:
            return  # without the lock, which a layout thread's call holds while it waits
        with self._lock:
            if self._process is not None or self._failed:
                return
            try:
                process = subprocess.Popen(
                    [*studio_command(), HELPER_ARGUMENT],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    **no_console_window(),  # type: ignore[call-overload]
                )
            except (OSError, ValueError):
                self._failed = True
                return
            self._process = process
        atexit.register(self.stop)
        threading.Thread(
            target=self._await_ready, args=(process,), name="studio-layout-helper", daemon=True
        ).start()

    def _await_ready(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        try:
            said = process.stdout.read(1)
        except (OSError, ValueError):
            said = b""
        if process is not self._process:
            return  # stopped meanwhile
        if said == _READY:
            self._ready.set()
        else:
            self._fail()

    def sugiyama(
        self, count: int, edges: list[tuple[int, int]], layers: list[int] | None
    ) -> Sugiyama | None:
        """The helper's `layering.sugiyama_here` of these boxes; None when it is not
        ready or cannot answer (the caller computes it itself)."""
        if not self._ready.is_set():
            return None
        with self._lock:
            process = self._process
            if process is None or process.stdin is None or process.stdout is None:
                return None
            try:
                _write(process.stdin, (count, edges, layers))
                ok, value = _read(process.stdout)
            except (OSError, EOFError, ValueError, pickle.PickleError):
                ok, value = None, None
        if ok is None:
            self._fail()
            return None
        return value if ok else None

    def _fail(self) -> None:
        self._failed = True
        self._ready.clear()
        self.stop()

    def stop(self) -> None:
        """End the helper (the window's process is ending)."""
        self._ready.clear()
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(OSError, ValueError):
            if process.stdin is not None:
                process.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired, OSError):
            process.wait(timeout=2)
        with contextlib.suppress(OSError):
            process.kill()
        with contextlib.suppress(OSError, ValueError):
            if process.stdout is not None:
                process.stdout.close()


HELPER = SugiyamaHelper()


def main() -> int:
    """The helper: answer `(count, edges, layers)` with `(ok, layout)` until input ends."""
    from studio.core.layout.layering import sugiyama_here

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    stdout.write(_READY)
    stdout.flush()
    while True:
        try:
            count, edges, layers = _read(stdin)
        except (EOFError, OSError):
            return 0
        try:
            reply: tuple[bool, object] = (True, sugiyama_here(count, edges, layers))
        except Exception as error:  # the window computes it again and reports it
            reply = (False, repr(error))
        _write(stdout, reply)
