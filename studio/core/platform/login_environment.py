"""The user's shell PATH and editor for an app started from macOS' Finder or Dock.

launchd starts apps with `PATH=/usr/bin:/bin:/usr/sbin:/sbin` and no `$EDITOR`
or `$VISUAL`: what the user's shell profile adds (Homebrew's `/opt/homebrew/bin`,
pyenv, `code`, `uv`) is missing, so the editor and the tools the studio looks
up are not found. When the studio runs frozen on macOS, or PATH is launchd's,
the user's login shell is asked once for its environment (`$SHELL -l -i -c
'env -0'`, with a timeout, on a thread: the window never waits for it), and
its PATH, EDITOR and VISUAL are used for those lookups. Until it has answered,
or when it fails, the app's own environment is used, as on Linux and Windows,
where nothing is read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping

from studio.core.platform import process_ends
from studio.core.platform.own_command import is_frozen

LAUNCHD_PATH = "/usr/bin:/bin:/usr/sbin:/sbin"
TAKEN = ("PATH", "EDITOR", "VISUAL")
"""What is taken from the login shell's environment."""
TIMEOUT_S = 10.0
_MARKER = "__studio_environment__"
"""Printed before the environment: what a profile prints first is cut off."""


def needs_login_environment(environment: Mapping[str, str]) -> bool:
    """Whether this process may lack the user's shell set-up (macOS only)."""
    if sys.platform != "darwin":
        return False
    return is_frozen() or environment.get("PATH", "") == LAUNCHD_PATH


def read_login_environment(shell: str, timeout: float = TIMEOUT_S) -> dict[str, str] | None:
    """The environment `shell` has as a login, interactive shell; None when it does not
    answer in time or cannot run. Its own session (an interactive shell takes no
    terminal of ours), nothing on its standard input."""
    command = [shell, "-l", "-i", "-c", f"printf '%s' {_MARKER}; env -0"]
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        return None
    try:
        out, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process_ends.end_group(process.pid)  # the shell and what its profile started
        process.communicate()
        return None
    _, found, listing = out.partition(_MARKER.encode())
    if process.returncode != 0 or not found:
        return None
    environment = {}
    for entry in listing.split(b"\0"):
        name, equals, value = entry.decode("utf-8", "replace").partition("=")
        if equals and name and "\n" not in name:
            environment[name] = value
    return environment


class LoginEnvironment:
    """The login shell's PATH, EDITOR and VISUAL, read once on a thread."""

    def __init__(self, read: Callable[[str], dict[str, str] | None] = read_login_environment):
        self._read = read
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._found: dict[str, str] = {}
        self.done = threading.Event()

    def start(self, environment: Mapping[str, str]) -> bool:
        """Start reading when this process needs it (once); whether it is read."""
        with self._lock:
            if self._thread is not None:
                return True
            if not needs_login_environment(environment):
                return False
            shell = environment.get("SHELL") or "/bin/zsh"  # macOS' default shell
            self._thread = threading.Thread(
                target=self._run, args=(shell,), name="studio-login-shell", daemon=True
            )
            self._thread.start()
            return True

    def _run(self, shell: str) -> None:
        try:
            found = self._read(shell) or {}
            self._found = {name: found[name] for name in TAKEN if found.get(name)}
        finally:
            self.done.set()

    def apply(self, environment: Mapping[str, str]) -> dict[str, str]:
        """`environment` with what the login shell gave (nothing until it answered)."""
        self.start(environment)
        return {**environment, **self._found}


_login = LoginEnvironment()


def start_reading(environment: Mapping[str, str] | None = None) -> bool:
    """Start reading the login shell's environment now, if this process needs it (the app
    calls this at start, so that it is there before it is used)."""
    return _login.start(os.environ if environment is None else environment)


def tool_environment(environment: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment to look up the user's editor and tools with: this process's (or
    `environment`) with the login shell's PATH, EDITOR and VISUAL when they were read."""
    return _login.apply(os.environ if environment is None else environment)


def tool_which(environment: Mapping[str, str] | None = None) -> Callable[[str], str | None]:
    """`shutil.which` over the PATH of `tool_environment(environment)`."""
    path = tool_environment(environment).get("PATH")
    return lambda name: shutil.which(name, path=path)
