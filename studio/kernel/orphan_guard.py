"""Nothing a kernel started outlives the app.

The kernel is the leader of its own process group, and processes its
nodes start (a `sleep`, a server, a worker pool) join that group; on Linux
the kernel is also a child subreaper, so that processes in a session of
their own (`start_new_session=True`, `setsid`) stay below it. When the app
that started the kernel is gone (closed, or killed with `kill -9`), the
kernel's whole tree and group are ended: ipykernel alone would exit and
leave those processes running, adopted by PID 1.

Windows has no process groups, and `JPY_PARENT_PID` holds a handle there:
the guard watches the parent's pid and ends the kernel's tree (psutil),
see `studio.core.platform.process_ends`.
"""

from __future__ import annotations

import os
import threading
import time

from studio.core.platform import is_windows, process_ends
from studio.core.platform.liveness import process_alive

CHECK_EVERY = 0.5


def _app_pid() -> int:
    """The app's pid. On Windows `JPY_PARENT_PID` holds a process handle, not a pid: the
    parent's pid is asked for instead."""
    if is_windows():
        return os.getppid()
    return int(os.environ.get("JPY_PARENT_PID") or os.getppid())


def guards() -> bool:
    """Whether the guard runs here: started by an app, leading a group of its own.

    When it does, it alone watches the app: ipykernel's own watcher would end
    the kernel with `os._exit` when the app is gone, and, were it first, the
    group (an owned Ray's agents, say) would outlive the kernel.
    """
    if not process_ends.has_process_groups():  # Windows: the guard ends the tree instead
        return _app_pid() > 1
    return _app_pid() > 1 and process_ends.leads_own_group()


def guard_against_orphans() -> None:
    """Watch the app's process from a daemon thread; end the group when it is gone."""
    if not guards():
        return
    parent = _app_pid()

    def watch() -> None:
        while process_alive(parent) and os.getppid() == parent:
            time.sleep(CHECK_EVERY)
        process_ends.end_tree(os.getpid())
        process_ends.end_own_group()

    threading.Thread(target=watch, name="studio-orphan-guard", daemon=True).start()
