"""The kernel's garbage collection after a load: what survived is frozen, and a full
collection comes every few loads.

After a load of 20,000 nodes the kernel tracks about 1.2 million objects (the
libraries the dataflow imported, its modules, Hamilton's graph) and a full
collection of them took 1.2-1.3 s of CPU to free about 3,600: the cycles of
the modules the save replaced. The kernel's main thread is busy meanwhile (a
run asked for then waits) and, on two cores, the window's threads have one
core fewer. So what survives a collection is frozen (`gc.freeze`), and the
next load's collection looks only at what is new since: 15-35 ms. What a
later load makes garbage of in the frozen part (a replaced module, with
whatever its globals hold) is found by a full collection of everything every
`FULL_EVERY` loads, and sooner when the frozen part grew by a tenth: the
modules and graphs of earlier loads are kept for a few loads at most.
"""

from __future__ import annotations

import gc

FULL_EVERY = 4
"""Loads between two full collections (what earlier loads left is kept this long at most)."""
FULL_WHEN_GROWN = 0.1
"""A full collection also comes once the frozen objects grew by this part since the last."""


class LoadGarbage:
    """Collects after each load; a full collection now and then (see the module)."""

    def __init__(self) -> None:
        self._since_full = FULL_EVERY  # the first load's collection is full
        self._frozen_after_full = 0

    def collect(self) -> int:
        """Collect after a load; how many unreachable objects were found."""
        self._since_full += 1
        grown = gc.get_freeze_count() > self._frozen_after_full * (1 + FULL_WHEN_GROWN)
        full = self._since_full >= FULL_EVERY or grown
        if full:
            gc.unfreeze()  # the kernel's start-up objects too: frozen again below
        found = gc.collect()
        gc.freeze()
        if full:
            self._since_full = 0
            self._frozen_after_full = gc.get_freeze_count()
        return found
