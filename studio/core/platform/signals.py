"""The signals that ask a command to end, where the system has them.

POSIX: SIGTERM and SIGHUP (the terminal closed). Windows has SIGTERM as a
name only and no SIGHUP; a closed console ends the process there.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from types import FrameType

Handler = Callable[[int, FrameType | None], object]


def ending_signals() -> tuple[signal.Signals, ...]:
    return tuple(getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n))


def on_ending_signals(handler: Handler) -> None:
    """Call `handler` on each ending signal the system has."""
    for signum in ending_signals():
        signal.signal(signum, handler)
