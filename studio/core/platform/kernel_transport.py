"""How the GUI and its kernel talk: ZeroMQ over IPC sockets, or loopback TCP.

POSIX: IPC sockets in the kernel's private folder (mode 0700): no port is
opened, and no other user can connect. pyzmq's Windows wheels have no IPC
transport, so there the kernel listens on 127.0.0.1 TCP ports; each
message is signed with the connection file's HMAC key, which only the
user can read (see docs/RELIABILITY.md for what that leaves open).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studio.core.platform import is_windows

LOOPBACK = "127.0.0.1"


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
    return KernelTransport("ipc", str(folder / "kernel"))
