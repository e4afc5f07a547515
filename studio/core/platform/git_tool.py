"""Whether `git` runs here, and what to tell the user when it does not.

macOS has `/usr/bin/git` even without Apple's Command Line Tools: it is a
stub (xcrun's) that exits 1 without doing anything, printing at most a note
that asks for the tools. Every git command then fails as a plain failure
would, and `studio diff` said the folder was "not in a git repository".
`git --version` is asked once per PATH: git that does not answer with its
version is named, on macOS with the one command that installs it.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from collections.abc import Mapping

from studio.core.platform.console import no_console_window

XCODE_HINT = "install the command line tools: xcode-select --install"
NOT_INSTALLED = "git is not installed"
_TIMEOUT_S = 15.0


def git_problem(environment: Mapping[str, str] | None = None) -> str | None:
    """Why git cannot be used with `environment`'s PATH (this process's by default), or
    None when it runs."""
    env = os.environ if environment is None else environment
    return _problem(sys.platform, env.get("PATH", os.defpath))


@functools.cache
def _problem(platform: str, path: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "--version"],
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            env={**os.environ, "PATH": path},
            timeout=_TIMEOUT_S,
            check=False,
            **no_console_window(),
        )
    except FileNotFoundError:
        return NOT_INSTALLED
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"git does not run here ({error})"
    if done.returncode == 0 and done.stdout.startswith("git version"):
        return None
    said = " ".join(done.stderr.split())[:200]
    how = f"exit status {done.returncode}" + (f": {said}" if said else ", and no message")
    if platform == "darwin":
        return f"git does not work here ({how}): {XCODE_HINT}"
    return f"git does not work here ({how})"


def forget() -> None:
    """Ask again at the next call (git may have been installed meanwhile)."""
    _problem.cache_clear()
