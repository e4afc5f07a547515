"""Raising an exception into the main thread once a deadline has passed.

POSIX: `SIGALRM` from `setitimer`, delivered to the main thread wherever it
is (also inside C code that checks for signals). Without them (Windows), a
timer thread calls `_thread.interrupt_main`, which raises in the main
thread at its next Python instruction; a load blocked inside one C call
is then only stopped when it returns.
"""

from __future__ import annotations

import _thread
import contextlib
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from types import FrameType


def has_alarm() -> bool:
    return sys.platform != "win32"


@contextlib.contextmanager
def interrupt_after(seconds: float, expire: Callable[[], BaseException]) -> Iterator[None]:
    """Raise `expire()` in the main thread if the block runs longer than `seconds`."""

    def handler(_signum: int, _frame: FrameType | None) -> None:
        raise expire()

    if sys.platform != "win32":
        previous = signal.signal(signal.SIGALRM, handler)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return
    with _timer_thread(seconds, handler):
        yield


@contextlib.contextmanager
def _timer_thread(
    seconds: float, handler: Callable[[int, FrameType | None], None]
) -> Iterator[None]:
    finished = threading.Event()
    lock = threading.Lock()

    def fire() -> None:
        if finished.wait(seconds):
            return
        with lock:
            if not finished.is_set():
                _thread.interrupt_main(signal.SIGINT)

    previous = signal.signal(signal.SIGINT, handler)
    timer = threading.Thread(target=fire, name="studio-load-deadline", daemon=True)
    timer.start()
    try:
        yield
    finally:
        with lock:
            finished.set()
        timer.join()
        signal.signal(signal.SIGINT, previous)
