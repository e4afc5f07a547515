"""Starting and ending the helper that reads a big folder while its kernel starts.

What the helper does, and why, is in `studio.core.cache.prefetch`. Here: it
is started for the folder the window expects it for (a trusted folder whose
kernel runs in the studio's own Python, too big for the source preview),
from whichever thread finds that out, at the lowest priority (it helps only
on a core the window and the kernel leave idle), with no console window and
no output; it is killed when the load replies, another folder opens or the
window closes.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from pathlib import Path

from studio.core.cache.prefetch import PREFETCH_ARGUMENT
from studio.core.platform.console import no_console_window
from studio.core.platform.own_command import studio_command

NICENESS = 19
"""The helper's POSIX niceness, the lowest priority: it is worth its work only on a core
nothing else wants (on a busy machine it slowed the kernel's start more than it saved:
see docs/PERFORMANCE.md, "Issue 33, round five")."""
_IDLE_PRIORITY_CLASS = 0x00000040
"""`subprocess.IDLE_PRIORITY_CLASS` (Windows' lowest), which only Windows' `subprocess`
defines."""


class Prefetcher:
    """At most one helper, for the folder `expect` names; safe to use from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._expected: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None

    def expect(self, root: Path | None) -> None:
        """A helper may start for `root` (None: for no folder); one running for another
        folder, or the same folder opened again, is killed."""
        with self._lock:
            self._expected = root
            process, self._process = self._process, None
        _kill(process)

    def stop(self) -> None:
        """The folder closed, or the window: no helper, none to come."""
        self.expect(None)

    def start(self, root: Path) -> None:
        """Start the helper on `root` if it is still the folder expected and none ran for
        it yet; quietly nothing if it cannot start."""
        with self._lock:
            if root != self._expected or self._process is not None:
                return
            self._process = _launch(root)
            self._expected = None  # once per opening

    @property
    def process(self) -> subprocess.Popen[bytes] | None:
        """The helper started for the folder open now (running or done), if any."""
        return self._process


def _launch(root: Path) -> subprocess.Popen[bytes] | None:
    flags = no_console_window()
    if sys.platform == "win32":
        flags["creationflags"] = flags.get("creationflags", 0) | _IDLE_PRIORITY_CLASS
    try:
        process = subprocess.Popen(
            [*studio_command(), PREFETCH_ARGUMENT, str(root)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            **flags,  # type: ignore[call-overload]
        )
    except (OSError, ValueError):
        return None
    if sys.platform != "win32":
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, process.pid, NICENESS)
    return process


def _kill(process: subprocess.Popen[bytes] | None) -> None:
    """End the helper and reap it (a kill is immediate; waiting is bounded anyway)."""
    if process is None:
        return
    with contextlib.suppress(OSError):
        process.kill()
    with contextlib.suppress(subprocess.TimeoutExpired, OSError):
        process.wait(timeout=2)
