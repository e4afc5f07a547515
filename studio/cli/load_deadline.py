"""`--load-timeout`: a load that takes too long is stopped and its module named.

A module that never finishes importing (a loop, a network call that hangs)
would keep `studio graph` or `studio run` waiting for ever. Past the
deadline the import is interrupted where it is, and the command ends
with exit 2, naming the module and the line it was stuck at.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator

from studio.cli.supervised import tell
from studio.core.load_timeout import LoadTimeout
from studio.core.platform.deadline import interrupt_after


def add_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--load-timeout",
        type=float,
        metavar="SECONDS",
        help="stop loading after this long, naming the module still importing (exit 2)",
    )


def child_arguments(seconds: float | None) -> list[str]:
    return ["--load-timeout", repr(seconds)] if seconds else []


@contextlib.contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Interrupt whatever the load is doing after `seconds` (no limit when None).

    The supervising parent is told the deadline: a load that ignores or blocks SIGALRM
    is ended by it a little later (`supervised.LOAD_GRACE_S`). Without SIGALRM (Windows)
    a timer thread interrupts the main thread (`studio.core.platform.deadline`)."""
    if not seconds or seconds <= 0:
        yield
        return
    limit = seconds
    tell(f"loading {seconds!r}")
    try:
        with interrupt_after(seconds, lambda: LoadTimeout(limit)):
            yield
    finally:
        tell("loaded")
