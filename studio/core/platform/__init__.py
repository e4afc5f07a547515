"""What differs between Linux, macOS and Windows, in one place.

Every call that only some systems have (process groups, `SIGALRM`, IPC
sockets, `os.getuid`, `os.pwrite`, the `fork` start method) goes through a
module here, which picks the system's way. Linux keeps exactly the
behaviour the studio was built with; the other branches are typed for
`mypy --platform win32/darwin` and driven by the shim tests in
`tests/platform/`, which remove the POSIX-only calls and set `sys.platform`.

The system is read at each call (not once at import), so those tests can
change it.
"""

from __future__ import annotations

import sys


def is_windows() -> bool:
    return sys.platform == "win32"


def is_macos() -> bool:
    return sys.platform == "darwin"


def is_linux() -> bool:
    return sys.platform.startswith("linux")
