"""How the GUI and its kernel talk: ZeroMQ over IPC sockets, or loopback TCP.

POSIX: IPC sockets in the kernel's private folder (mode 0700): no port is
opened, and no other user can connect. pyzmq's Windows wheels have no IPC
transport, so there the kernel listens on 127.0.0.1 TCP ports; each
message is signed with the connection file's HMAC key, which only the
user can read (see docs/RELIABILITY.md for what that leaves open).

A Unix socket's path has a fixed room (`sun_path`: 104 bytes on macOS and
the BSDs, 108 on Linux, the final NUL included). macOS' temporary folder is
long (`/var/folders/xx/…/T/`) and `$TMPDIR` may be longer still: when the
longest socket path in the private folder would not fit, the folder is made
in `/tmp` instead (still mode 0700, still checked for its owner).
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from studio.core.platform import is_windows

LOOPBACK = "127.0.0.1"
SOCKET_PREFIX = "kernel"
"""jupyter_client names each IPC socket `<prefix>-<n>`, n counting from 1 (five sockets)."""
_LONGEST_SOCKET = f"{SOCKET_PREFIX}-99"
_RANDOM_NAME_LENGTH = 8
"""What `tempfile.mkdtemp` adds to the prefix."""
SHORT_BASE = Path("/tmp")


@dataclass(frozen=True)
class KernelTransport:
    transport: str
    """`ipc` or `tcp`, as jupyter_client names it."""
    ip: str
    """The socket path prefix (ipc) or the address (tcp)."""


def kernel_transport(folder: Path) -> KernelTransport:
    """The transport for a kernel whose private connection folder is `folder`."""
    if is_windows():
        return KernelTransport("tcp", LOOPBACK)
    return KernelTransport("ipc", str(folder / SOCKET_PREFIX))


def socket_path_limit() -> int:
    """The longest socket path the system takes, in bytes (without the final NUL)."""
    return (108 if sys.platform.startswith("linux") else 104) - 1


def private_folder_base(prefix: str, temporary: Path | None = None) -> Path:
    """Where a kernel's private folder (`mkdtemp(prefix=prefix)`) is made: the temporary
    folder, or `/tmp` when a socket path in it would be too long (IPC only)."""
    base = Path(tempfile.gettempdir()) if temporary is None else temporary
    if is_windows():
        return base
    longest = base / f"{prefix}{'x' * _RANDOM_NAME_LENGTH}" / _LONGEST_SOCKET
    if len(os.fsencode(longest)) <= socket_path_limit():
        return base
    return SHORT_BASE


def private_folder_bases(prefix: str) -> list[Path]:
    """Every folder a private folder of this user's kernels may be in now."""
    temporary = Path(tempfile.gettempdir())
    chosen = private_folder_base(prefix, temporary)
    return [temporary] if chosen == temporary else [temporary, chosen]
