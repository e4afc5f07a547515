"""Ending a process with everything it started.

POSIX: the kernel leads a process group of its own, and what its nodes
start joins it, so one `killpg` ends them all (on Linux `process_tree`
also ends what moved to a session of its own). Windows has no process
groups: the tree under the process is read with psutil and ended,
children first; what a parent that already exited left is caught by the
kernel's kill-on-close Job Object (`studio.core.platform.job_object`),
closed when the kernel ends.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys

from studio.core import process_tree


def has_process_groups() -> bool:
    return sys.platform != "win32"


def leads_own_group() -> bool:
    """Whether this process leads a process group of its own (never, without groups)."""
    if sys.platform == "win32":
        return False
    return os.getpgrp() == os.getpid()


def end_group(leader: int) -> None:
    """SIGKILL the process group `leader` leads; where there are no groups, its tree."""
    if sys.platform == "win32":
        end_tree(leader, include_root=True)
        return
    with contextlib.suppress(OSError):
        os.killpg(leader, signal.SIGKILL)


def end_own_group() -> None:
    """End this process's group (this process included), or its tree without groups."""
    if sys.platform == "win32":
        end_tree(os.getpid())
        os._exit(1)
    with contextlib.suppress(OSError):
        os.killpg(os.getpgrp(), signal.SIGKILL)


def end_tree(root: int, *, include_root: bool = False) -> int:
    """End every process below `root` (and `root` when asked); how many were ended.

    Linux reads `/proc` through the subreaper (`process_tree.end_tree`). Elsewhere the
    children psutil finds now are ended (an orphan re-parented away from `root` is
    missed: that is what process groups are for on macOS)."""
    if sys.platform.startswith("linux"):
        return process_tree.end_tree(root, include_root=include_root)
    import psutil

    try:
        top = psutil.Process(root)
        found = top.children(recursive=True)
    except psutil.Error:
        return 0
    targets = [*reversed(found), *([top] if include_root and root != os.getpid() else [])]
    for process in targets:
        with contextlib.suppress(psutil.Error):
            process.kill()
    psutil.wait_procs(targets, timeout=2)
    return len(targets)


def kill(pid: int) -> None:
    """End one process at once (SIGKILL; `TerminateProcess` on Windows)."""
    with contextlib.suppress(OSError):
        if sys.platform == "win32":  # TerminateProcess
            os.kill(pid, signal.SIGTERM)
        else:
            os.kill(pid, signal.SIGKILL)
