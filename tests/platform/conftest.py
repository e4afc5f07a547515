"""Shims that make this Linux machine look like Windows or macOS to the studio.

`as_windows` sets `sys.platform` to "win32" and removes what Windows does
not have (process groups, uids, `pwrite`, `fork`, SIGALRM, SIGHUP...), so
a call that slipped past `studio.core.platform` fails here as it would
there. Each is undone after the test.
"""

import os
import signal
import sys
from pathlib import Path

import psutil  # noqa: F401  (imported before any shim: it picks its Linux module at import)
import pytest

POSIX_ONLY_OS = ("getuid", "getpgrp", "killpg", "pwrite", "setsid", "fork", "getpgid")
POSIX_ONLY_SIGNALS = ("SIGALRM", "SIGHUP", "SIGKILL", "SIGSTOP", "SIGCONT", "setitimer")


@pytest.fixture
def as_windows(monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    for name in POSIX_ONLY_OS:
        monkeypatch.delattr(os, name, raising=False)
    for name in POSIX_ONLY_SIGNALS:
        monkeypatch.delattr(signal, name, raising=False)
    return monkeypatch


@pytest.fixture
def as_macos(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    return monkeypatch


def pytest_collection_modifyitems(items):
    """pytest-timeout's default timer is SIGALRM, which `as_windows` removes: a thread
    keeps time for these tests instead."""
    here = str(Path(__file__).parent)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.timeout(180, method="thread"))
        if item.get_closest_marker("linux_only") and not sys.platform.startswith("linux"):
            item.add_marker(pytest.mark.skip(reason="needs Linux"))
