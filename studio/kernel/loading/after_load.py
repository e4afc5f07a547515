"""Work a first load leaves for after its reply, done on a thread of its own.

Just after a big first load the window is drawing the graph, and the user may
already be expanding it. On two cores, the kernel hashing 5,000 code versions
at full priority beside the window's main thread and its layout thread made
an expand stall 1.5-2x longer. The thread takes the CPU only when nothing
else wants it: the lowest priority the system gives a thread (Linux, macOS),
after the step that imports libraries (their own worker threads would
inherit that priority for good). Everything that could see a half-done load
(a request, a console cell) waits for it first, and the kernel's main thread
takes what is left over at its own priority (see `Agent.finish_load`): on a
machine busy elsewhere the thread could otherwise keep a run waiting for long.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import traceback
from collections.abc import Callable

_LOWEST_NICE = 19


def lower_this_threads_priority() -> None:
    """Let every other runnable thread of the machine go first (where the system can)."""
    with contextlib.suppress(OSError, AttributeError):
        if sys.platform == "linux":
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), _LOWEST_NICE)
        elif sys.platform == "darwin":
            os.setpriority(os.PRIO_DARWIN_THREAD, 0, os.PRIO_DARWIN_BG)  # type: ignore[attr-defined]


class AfterLoad:
    """At most one piece of after-load work at a time, waited for by whoever needs it done."""

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None

    def start(self, imports: Callable[[], None], background: Callable[[], None]) -> None:
        """`imports` runs at normal priority, then `background` at the lowest."""
        self.wait()
        self._thread = threading.Thread(
            target=self._work, args=(imports, background), name="studio-after-load", daemon=True
        )
        self._thread.start()

    @property
    def busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait(self) -> None:
        """Return once the work started last is done (at once if there is none)."""
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    @staticmethod
    def _work(imports: Callable[[], None], background: Callable[[], None]) -> None:
        for step in (imports, lower_this_threads_priority, background):
            try:
                step()
            except Exception:  # one failing step must not keep the next from its work
                traceback.print_exc(file=sys.__stderr__)
