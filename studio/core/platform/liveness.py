"""Whether a process is still there (by its pid).

POSIX asks with signal 0. On Windows `os.kill(pid, 0)` is not a probe: 0
is `CTRL_C_EVENT`, which interrupts the whole console group, so psutil
asks the system (`OpenProcess` and its exit code) instead.
"""

from __future__ import annotations

import os
import sys


def process_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import psutil

        return psutil.pid_exists(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's: it exists
        return True
    return True
