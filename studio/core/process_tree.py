"""Every process below one of ours, found and ended, whatever session it moved to.

A node can start processes that leave the studio's reach: a forked child
that outlives its node, a server in a new session (`start_new_session=True`,
`setsid`) that a process-group kill misses, a daemon that double-forks so that
its parent is gone. On Linux the process that supervises project code asks
to be a *child subreaper* (`prctl(PR_SET_CHILD_SUBREAPER)`): orphans below it
are then re-parented to it instead of PID 1, so its tree holds everything its
code ever started, and `end_tree` ends that tree (read from `/proc`).

Elsewhere (macOS, Windows) there is no subreaper and no `/proc`: `descendants`
finds nothing, and callers fall back to ending a process group.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys
from pathlib import Path

_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36
_PROC = Path("/proc")
_SETTLE_ROUNDS = 20


def _prctl(option: int, value: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def become_subreaper() -> bool:
    """Orphans of this process's descendants become its children (Linux); whether it did."""
    return _prctl(_PR_SET_CHILD_SUBREAPER, 1)


def die_with_parent(signum: int = 9) -> bool:
    """The kernel sends `signum` (SIGKILL unless told) to this process when its parent
    ends (Linux; kept across exec). Whether that was set."""
    return _prctl(_PR_SET_PDEATHSIG, int(signum))


def supported() -> bool:
    """Whether trees can be read here (Linux's `/proc`)."""
    return sys.platform.startswith("linux") and (_PROC / "self" / "stat").exists()


def _stat(pid: int) -> tuple[str, int] | None:
    """A process's state letter and parent pid."""
    try:
        text = (_PROC / str(pid) / "stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    fields = text[text.rfind(")") + 2 :].split()  # the name in () may hold anything
    return (fields[0], int(fields[1])) if len(fields) > 1 else None


def _parents() -> dict[int, tuple[str, int]]:
    table = {}
    for entry in _PROC.iterdir() if supported() else ():
        if entry.name.isdigit():
            found = _stat(int(entry.name))
            if found is not None:
                table[int(entry.name)] = found
    return table


def descendants(root: int, *, zombies: bool = False) -> list[int]:
    """Every live process below `root` (children first); zombies (ended, not yet reaped)
    only when asked. Empty where `/proc` is not."""
    table = _parents()
    below: dict[int, list[int]] = {}
    for pid, (_state, parent) in table.items():
        below.setdefault(parent, []).append(pid)
    found: list[int] = []
    queue = list(below.get(root, []))
    while queue:
        pid = queue.pop(0)
        if pid in found or pid == root:
            continue
        found.append(pid)
        queue.extend(below.get(pid, []))
    return [p for p in found if zombies or table[p][0] not in "ZX"]


def end_tree(root: int, *, include_root: bool = False) -> int:
    """End every process below `root` (and `root` itself when asked); how many were ended
    (none where `/proc` is not).

    The tree is frozen first (SIGSTOP, read again until nothing new appears), so that no
    process forks or re-parents while it is being ended, then killed (SIGKILL). Children
    of this process among them are reaped.
    """
    if sys.platform == "win32" or not supported():
        return 0
    me = os.getpid()
    frozen: list[int] = []
    targets = [root] if include_root and root != me else []
    if root != me:
        _signal(root, signal.SIGSTOP)
    for _ in range(_SETTLE_ROUNDS):
        fresh = [p for p in [*targets, *descendants(root)] if p not in frozen and p != me]
        if not fresh:
            break
        for pid in fresh:
            _signal(pid, signal.SIGSTOP)
        frozen.extend(fresh)
        targets = []
    for pid in frozen:
        _signal(pid, signal.SIGKILL)
    if root != me and not include_root:
        _signal(root, signal.SIGCONT)
    reap(frozen)
    return len(frozen)


def reap(pids: list[int]) -> None:
    """Collect the exit of those of `pids` that are this process's children and ended."""
    for pid in pids:
        if _is_mine(pid):  # killed: it ends at once
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(pid, 0)


def _is_mine(pid: int) -> bool:
    found = _stat(pid)
    return found is not None and found[1] == os.getpid()


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, signum)
