"""Keep Python's cycle collector from freezing the window.

A full collection walks every live object: with a 5,000-node graph on the
canvas that takes 100-150 ms, during which Qt neither paints nor reacts.
Objects that outlive a drawing are frozen (`gc.freeze`), so later full
collections skip them; they are thawed when another project opens, so
cycles among them are still freed then.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 20_000
"""Allocations between young collections (Python's default, 700, runs them constantly)."""


def tune() -> None:
    gc.set_threshold(YOUNG_THRESHOLD, 20, 20)


def settle() -> None:
    """What is alive now is long-lived: leave it out of full collections."""
    gc.freeze()


def thaw() -> None:
    """Let full collections see everything again (a project is closing)."""
    gc.unfreeze()
