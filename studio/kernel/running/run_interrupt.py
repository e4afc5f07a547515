"""Stop's second step: an interrupt raised into the run, past the node's signal handling.

A node can ignore SIGINT (`signal.signal(SIGINT, SIG_IGN)`) or catch it: the
kernel's interrupt then does nothing. From the data subshell's thread, the
agent raises KeyboardInterrupt into the thread running the run
(`PyThreadState_SetAsyncExc`); it arrives at the node's next Python step, so
a node blocked in C (a long `time.sleep`, a lock, a socket) is not reached,
and Stop's third step restarts the kernel.
"""

from __future__ import annotations

import contextlib
import ctypes
import threading
from collections.abc import Iterator


class RunInterrupt:
    """The thread running a run, while it runs."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._thread: int | None = None

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        with self._lock:
            self._thread = threading.get_ident()
        try:
            yield
        finally:
            with self._lock:
                thread, self._thread = self._thread, None
                if thread is not None:  # an interrupt sent as the run ended is dropped
                    raise_in(thread, None)

    def interrupt(self) -> bool:
        """Raise KeyboardInterrupt into the run; False when none runs."""
        with self._lock:
            return self._thread is not None and raise_in(self._thread, KeyboardInterrupt)


def raise_in(thread: int, error: type[BaseException] | None) -> bool:
    """Raise `error` in a thread when it next runs Python (None: take back a pending one)."""
    what = ctypes.py_object(error) if error is not None else None
    return ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread), what) == 1
