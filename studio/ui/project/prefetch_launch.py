"""Starting and ending the helper that reads a big folder while its kernel starts.

What the helper does, and why, is in `studio.core.cache.prefetch`. Here: it
is started for the folder the window expects it for (a trusted folder whose
kernel runs in the studio's own Python, too big for the source preview),
from whichever thread finds that out, at the lowest priority (it helps only
on a core the window and the kernel leave idle), with no console window and
no output; it is killed when the load replies, another folder opens or the
window closes.

On a `studio FOLDER` launch whose kernel starts before the window is built
(`studio.ui.app`), the helper starts there too (`start_early`), before the
window's own imports and construction (0.7 s and more), which it then has
to read the folder in; the window's `Prefetcher` takes it over instead of
starting another.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Callable
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
        folder, or the same folder opened again, is killed, and one the launch started
        for another folder."""
        self._end_own(root)
        _end_early(but=root)

    def stop(self) -> None:
        """The folder closed, or the window: no helper, none to come. (One the launch
        started and no window took yet is left: `open` stops before its preview takes
        it; unclaimed, it ends with its work or with this process.)"""
        self._end_own(None)

    def _end_own(self, expected: Path | None) -> None:
        with self._lock:
            self._expected = expected
            process, self._process = self._process, None
        _kill(process)

    def start(self, root: Path) -> None:
        """Start the helper on `root` if it is still the folder expected and none ran for
        it yet (or take the one the launch started for it); quietly nothing if it cannot
        start."""
        with self._lock:
            if root != self._expected or self._process is not None:
                return
            self._process = _take_early(root) or _launch(root)
            self._expected = None  # once per opening

    @property
    def process(self) -> subprocess.Popen[bytes] | None:
        """The helper started for the folder open now (running or done), if any."""
        return self._process


class _Early:
    """A helper the launch is deciding to start, or started, before its window."""

    def __init__(self, root: Path, wanted: Callable[[Path], bool]) -> None:
        self.lock = threading.Lock()
        self.process: subprocess.Popen[bytes] | None = None
        self.ended = False
        self.thread = threading.Thread(
            target=self._decide, args=(root, wanted), name="studio-early-prefetch", daemon=True
        )

    def _decide(self, root: Path, wanted: Callable[[Path], bool]) -> None:
        try:
            started = wanted(root)
        except OSError:
            return
        with self.lock:
            if started and not self.ended:
                self.process = _launch(root)

    def end(self) -> None:
        with self.lock:
            self.ended = True
            process, self.process = self.process, None
        _kill(process)


_early_lock = threading.Lock()
_early: dict[Path, _Early] = {}
"""Helpers the launch started (or is deciding to start) before its window, by folder,
until the window's `Prefetcher` takes them."""


def start_early(root: Path, wanted: Callable[[Path], bool]) -> None:
    """Start the helper for `root` now if `wanted(root)` says the window will (a big
    folder with no graph kept), deciding on a thread: the window's preview thread
    takes it (`Prefetcher.start`), waiting for the decision if need be."""
    root = root.resolve()
    early = _Early(root, wanted)
    with _early_lock:
        _early[root] = early
    early.thread.start()


_DECISION_WAIT_S = 5.0
"""How long the window's preview thread waits for the launch's decision (a walk of the
folder's files that stops at the preview's limit: far less unless the disk stalls)."""


def _take_early(root: Path) -> subprocess.Popen[bytes] | None:
    """The launch's helper for `root`, now the caller's (None: it started none)."""
    with _early_lock:
        early = _early.pop(root.resolve(), None)
    if early is None:
        return None
    early.thread.join(_DECISION_WAIT_S)
    with early.lock:
        early.ended = True  # a decision still pending starts nothing now
        process, early.process = early.process, None
    return process


def _end_early(but: Path | None) -> None:
    """End the launch's helpers for any folder other than `but` (the window opened
    another, or closed); one still being decided starts nothing."""
    keep = but.resolve() if but is not None else None
    with _early_lock:
        ended = [_early.pop(root) for root in list(_early) if root != keep]
    for early in ended:
        early.end()


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
