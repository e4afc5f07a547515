"""The end of a kernel, and the start-up work of the first one, off the GUI thread.

Ending a kernel joins its channels' threads and waits for its process: 0.2-1.2 s
that froze the window on every restart and close. A restart ends the old kernel
on a thread (not a daemon: the process waits for it at exit); quitting waits.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import threading
from pathlib import Path
from typing import Any

from studio.core.platform import job_object, process_ends
from studio.core.platform.job_object import KillOnCloseJob


def contain_kernel(manager: Any) -> KillOnCloseJob | None:
    """Windows: the started kernel of `manager` held in a kill-on-close Job Object, so it
    and what its nodes start end with the studio (None elsewhere)."""
    process = getattr(manager.provisioner, "process", None) if manager.provisioner else None
    return job_object.contain(process.pid) if process is not None else None


def end_kernel(
    client: Any, manager: Any, folder: Path | None, wait: bool, job: KillOnCloseJob | None = None
) -> None:
    """End the kernel of `client`/`manager` (and what is left in its `job`) and remove its
    connection `folder`; without `wait`, on a thread (`wait_for_endings`)."""
    ending = _Ending(client, manager, folder, job)
    if wait:
        ending.run()
    else:
        _endings.append(ending)
        ending.start()


class _Ending(threading.Thread):
    """The end of one kernel: its channels stopped, its process and what its nodes
    started ended, its connection folder removed."""

    def __init__(
        self, client: Any, manager: Any, folder: Path | None, job: KillOnCloseJob | None
    ) -> None:
        super().__init__(name="studio-kernel-end", daemon=False)
        self.client, self.manager, self.folder, self.job = client, manager, folder, job

    def run(self) -> None:
        try:
            if self.client is not None:
                close_client(self.client)
            if self.manager is not None:
                _end_kernel(self.manager)
        finally:
            job_object.close_quietly(self.job)  # what a node started, its parent gone
            if self.folder is not None:
                shutil.rmtree(self.folder, ignore_errors=True)
            with contextlib.suppress(ValueError):
                _endings.remove(self)
            close_thread_loop()


def close_thread_loop() -> None:
    """End the asyncio loop jupyter_client made for this worker thread (its sync calls
    make one per thread and never close it: each left holds a socket pair and an epoll
    file, a few per kernel started and ended)."""
    if threading.current_thread() is threading.main_thread():
        return
    policy = asyncio.get_event_loop_policy()
    try:
        loop = policy.get_event_loop()
    except RuntimeError:
        return
    if not loop.is_running() and not loop.is_closed():
        loop.close()
    policy.set_event_loop(None)


def close_client(client: Any) -> None:
    """Stop a kernel client's channels and end the zmq context it made for itself
    (jupyter_client ends it only when the client is collected: each one left holds an
    I/O thread and its sockets' files)."""
    client.stop_channels()
    if getattr(client, "_created_context", False) and not client.context.closed:
        client.context.destroy(linger=0)


_endings: list[_Ending] = []
"""Kernels being ended on a thread (not daemons: the process waits for them at exit)."""


def wait_for_endings(timeout: float = 10.0) -> None:
    """Wait until every kernel a restart replaced has ended."""
    for ending in list(_endings):
        ending.join(timeout)


def _end_kernel(manager: Any) -> None:
    provisioner = manager.provisioner
    process = getattr(provisioner, "process", None) if provisioner is not None else None
    group = process.pid if process is not None else None
    if process is not None and process.poll() is None:  # not reaped: its pid holds
        process_ends.end_tree(process.pid)  # what nodes started, in any session
    if manager.has_kernel:
        manager.shutdown_kernel(now=True)
    manager.cleanup_resources()
    if group is not None:  # what its nodes started goes too (same process group)
        process_ends.end_group(group)


_finding_provisioners: list[threading.Thread] = []


def find_provisioners_soon() -> None:
    """jupyter_client lists the installed kernel provisioners (every package's entry
    points: 0.2-1 s) on the first kernel start of a process; done on a thread once per
    process, so a kernel started after the window shows does not hold it."""
    if _finding_provisioners:
        return
    from jupyter_client.provisioning.factory import KernelProvisionerFactory

    thread = threading.Thread(
        target=KernelProvisionerFactory.instance, name="studio-provisioners", daemon=True
    )
    _finding_provisioners.append(thread)
    thread.start()
