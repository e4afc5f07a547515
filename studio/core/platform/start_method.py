"""How the Processes executor starts its workers.

Linux forks the kernel: the workers have the project's modules as the
kernel loaded them, at no start-up cost. macOS must not fork a process
that has threads and has loaded Objective-C frameworks (a known crash),
so it uses `forkserver`; Windows has only `spawn`. Those workers import
nothing of the kernel's, so tasks travel as parcels with the project's
code inside (`studio.kernel.executors.task_parcel`).
"""

from __future__ import annotations

from studio.core.platform import is_linux, is_macos


def task_start_method() -> str:
    if is_linux():
        return "fork"
    if is_macos():
        return "forkserver"
    return "spawn"


def forks_tasks() -> bool:
    """Whether the workers are forks of the kernel (they share its loaded modules)."""
    return task_start_method() == "fork"
