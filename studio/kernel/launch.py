"""Start an ipykernel with the studio's agent installed.

The GUI starts kernels as `studio --kernel -f CONNECTION_FILE` (or, from a
source checkout or another interpreter, `python -m studio.kernel.launch -f
...`). The agent is registered before the kernel serves its first message,
so the GUI's comm never races the kernel's start-up.

On POSIX the kernel opens no TCP port at all: its channels use the IPC
transport chosen by the GUI (on Windows, loopback TCP: see
`studio.core.platform.kernel_transport`), and ipykernel's loopback TCP pipe for output of forked
child processes is left out (that output still arrives, because the
kernel captures its standard output at the file-descriptor level, which
forked children share).
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def _kernel_app_class() -> Any:
    from ipykernel import kernelapp
    from ipykernel.iostream import IOPubThread

    class LocalIOPubThread(IOPubThread):
        def __init__(self, socket: Any, pipe: bool = False, session: Any = False) -> None:
            super().__init__(socket, pipe=False, session=session)

    class StudioKernelApp(kernelapp.IPKernelApp):
        def init_poller(self) -> None:
            from studio.kernel.orphan_guard import guards

            if not guards():  # otherwise the orphan guard watches the app, and alone
                super().init_poller()

        def init_iopub(self, context: Any) -> None:
            original = kernelapp.IOPubThread
            kernelapp.IOPubThread = LocalIOPubThread
            try:
                super().init_iopub(context)
            finally:
                kernelapp.IOPubThread = original

    return StudioKernelApp


class _RoutingLookupFilter(logging.Filter):
    """ipykernel's shell thread looks a comm up to route its message before the main
    thread has registered it (right after `comm_open`) and warns "No such comm";
    the message is then handled normally, so the warning only confuses users."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("No such comm")


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("HAMILTON_TELEMETRY_ENABLED", "false")
    # The kernel starts in the project folder: that folder must not come before the
    # standard library on the path (a project's `numbers.py` killed every kernel).
    here = {"", ".", str(Path.cwd())}
    sys.path[:] = [entry for entry in sys.path if entry not in here]
    if getattr(sys, "frozen", False):
        # Subprocesses of user code must see the system's libraries, not the bundle's.
        original = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
        if original is not None:
            os.environ["LD_LIBRARY_PATH"] = original
        else:
            os.environ.pop("LD_LIBRARY_PATH", None)
    logging.getLogger("Comm").addFilter(_RoutingLookupFilter())
    from studio.core.process_tree import become_subreaper
    from studio.kernel.agent import install
    from studio.kernel.orphan_guard import guard_against_orphans

    become_subreaper()  # what nodes start stays below the kernel, even in a new session

    app = _kernel_app_class().instance()
    app.initialize(list(sys.argv[1:] if argv is None else argv))
    install(app.kernel)
    guard_against_orphans()
    # What is loaded so far lives as long as the kernel: later collections skip it.
    gc.collect()
    gc.freeze()
    app.start()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
