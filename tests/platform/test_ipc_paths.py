"""The kernel's IPC socket paths stay within AF_UNIX's room: 104 bytes on macOS, whose
`$TMPDIR` is long (`/var/folders/xx/…/T/`), 108 on Linux. A temporary folder too long for
them gives way to a short base; one that fits is used as before."""

import os
import shutil
import socket
import sys
import tempfile
from pathlib import Path

import pytest

from studio.core.platform import kernel_transport
from studio.core.platform.kernel_transport import (
    private_folder_base,
    private_folder_bases,
    socket_path_limit,
)
from studio.ui.kernel.session import KERNEL_FOLDER_PREFIX, remove_stale_kernel_folders

MACOS_TMPDIR = "/var/folders/zz/zyxvpxvq6csfxvn_n0000000000000/T"
"""A per-user temporary folder as macOS makes them."""

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="IPC sockets: POSIX")


def _sockets(folder: Path) -> list[str]:
    """The socket paths jupyter_client makes for a kernel in `folder` (five, from 1)."""
    prefix = kernel_transport.kernel_transport(folder).ip
    return [f"{prefix}-{port}" for port in range(1, 6)]


def _long_folder(root: Path, length: int) -> Path:
    """An existing folder whose path is `length` bytes long."""
    folder = root
    while len(os.fsencode(folder)) < length - 20:
        folder = folder / ("d" * min(20, length - len(os.fsencode(folder)) - 21))
    folder = folder / ("e" * (length - len(os.fsencode(folder)) - 1))
    folder.mkdir(parents=True, exist_ok=True)
    assert len(os.fsencode(folder)) == length
    return folder


@pytest.fixture
def short_root():
    """A folder of the test's own under `/tmp`, short enough to grow to any length asked
    (pytest's own `tmp_path` reached 73 bytes once its numbering passed 1,000)."""
    root = Path(tempfile.mkdtemp(prefix="long-", dir="/tmp"))
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def short_base(monkeypatch):
    """`/tmp` stands for itself in the result, but the folders are made in one of the
    test's own (`/tmp` is shared)."""
    base = Path(tempfile.mkdtemp(prefix="ipc-", dir="/tmp"))
    monkeypatch.setattr(kernel_transport, "SHORT_BASE", base)
    yield base
    for folder in base.iterdir():
        folder.rmdir()
    base.rmdir()


def test_macos_temporary_folder_is_kept_when_the_sockets_fit(as_macos):
    assert socket_path_limit() == 103
    base = private_folder_base(KERNEL_FOLDER_PREFIX, Path(MACOS_TMPDIR))
    assert base == Path(MACOS_TMPDIR)
    longest = max(_sockets(base / f"{KERNEL_FOLDER_PREFIX}abcdefgh"), key=len)
    assert len(longest) <= 103


@pytest.mark.linux_only
def test_a_long_macos_temporary_folder_gives_way_to_a_short_one(
    as_macos, short_root, short_base, monkeypatch
):
    temporary = _long_folder(short_root, 72)  # its sockets fit Linux's 108, not macOS' 104
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    base = private_folder_base(KERNEL_FOLDER_PREFIX)
    assert base == short_base
    folder = Path(tempfile.mkdtemp(prefix=KERNEL_FOLDER_PREFIX, dir=base))
    assert all(len(os.fsencode(path)) <= 103 for path in _sockets(folder))
    assert oct(folder.stat().st_mode & 0o777) == "0o700"

    folder.rename(folder.with_name(f"{KERNEL_FOLDER_PREFIX}stale"))  # no owner.pid, new
    assert private_folder_bases(KERNEL_FOLDER_PREFIX) == [temporary, short_base]
    dead = short_base / f"{KERNEL_FOLDER_PREFIX}dead"
    dead.mkdir()
    (dead / "owner.pid").write_text("999999999", encoding="utf-8")
    assert remove_stale_kernel_folders() == [dead], "the short base is cleaned up too"


@pytest.mark.linux_only
def test_linux_keeps_its_temporary_folder_when_the_sockets_fit(short_root, monkeypatch):
    temporary = _long_folder(short_root, 72)
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    assert socket_path_limit() == 107
    assert private_folder_base(KERNEL_FOLDER_PREFIX) == temporary
    assert private_folder_bases(KERNEL_FOLDER_PREFIX) == [temporary]


def test_windows_uses_tcp_and_keeps_its_temporary_folder(as_windows, tmp_path):
    temporary = _long_folder(tmp_path, 150)
    assert private_folder_base(KERNEL_FOLDER_PREFIX, temporary) == temporary


@pytest.mark.linux_only
def test_a_kernel_starts_from_a_temporary_folder_too_long_for_its_sockets(
    qtbot, tmp_path, short_base, monkeypatch
):
    """Linux's own limit, for real: a socket cannot be bound in this temporary folder,
    yet the kernel starts (its folder is in the short base) and answers."""
    from studio.ui.kernel.session import KernelSession

    temporary = _long_folder(tmp_path, 100)
    too_long = temporary / f"{KERNEL_FOLDER_PREFIX}abcdefgh-kernel-1"
    with socket.socket(socket.AF_UNIX) as probe, pytest.raises(OSError):
        probe.bind(str(too_long))
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    session = KernelSession(restart_on_death=False)
    try:
        with qtbot.waitSignal(session.ready, timeout=60_000):
            session.start(tmp_path)
        folder = session.connection_folder
        assert folder is not None and folder.parent == short_base
    finally:
        session.shutdown()
    assert not any(short_base.iterdir()), "its folder is removed at shutdown"
