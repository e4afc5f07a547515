"""Checking a Python interpreter before a kernel is started in it.

The studio's agent runs in the project's own environment without being
installed there (its source is put on the kernel's `sys.path`), but that
environment needs `ipykernel`, `apache-hamilton` (and `packaging`, which
Hamilton's pandas extension needs without declaring it). The check runs
the interpreter once, without importing anything heavy.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Signal

MIN_VERSION = (3, 11)
REQUIRED = {"ipykernel": "ipykernel", "hamilton": "apache-hamilton", "packaging": "packaging"}

_CHECK = r"""
import importlib.metadata, importlib.util, json, sys
found = {}
for module, dist in REQUIRED.items():
    if importlib.util.find_spec(module) is None:
        found[dist] = None
        continue
    try:
        found[dist] = importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        found[dist] = "unknown"
print(json.dumps({"version": list(sys.version_info[:3]), "executable": sys.executable,
                  "packages": found, "pip": importlib.util.find_spec("pip") is not None}))
"""


@dataclass(frozen=True, slots=True)
class InterpreterCheck:
    python: Path
    ok: bool
    version: str = ""
    packages: dict[str, str | None] = field(default_factory=dict)
    problem: str = ""
    install_command: str = ""

    def describe(self) -> str:
        if self.ok:
            return f"Python {self.version} ({self.python})"
        text = f"{self.python} cannot run the studio's kernel: {self.problem}."
        if self.install_command:
            text += f" Install what is missing with:\n\n    {self.install_command}"
        return text


def check_interpreter(python: Path, timeout: float = 30.0) -> InterpreterCheck:
    """Run `python` once to see whether the kernel can run in it (blocking: use a thread)."""
    code = f"REQUIRED = {REQUIRED!r}\n{_CHECK}"
    try:
        done = subprocess.run(
            [str(python), "-c", code],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            cwd=tempfile.gettempdir(),  # so no folder here passes for a package
        )
    except FileNotFoundError:
        return InterpreterCheck(python, False, problem="there is no such file")
    except PermissionError:
        return InterpreterCheck(python, False, problem="it is not executable")
    except subprocess.TimeoutExpired:
        return InterpreterCheck(python, False, problem=f"it did not answer within {timeout:.0f} s")
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["it failed to start"])[-1]
        return InterpreterCheck(python, False, problem=last)
    info = json.loads(done.stdout.strip().splitlines()[-1])
    version = ".".join(str(v) for v in info["version"])
    packages = info["packages"]
    if tuple(info["version"][:2]) < MIN_VERSION:
        needed = ".".join(map(str, MIN_VERSION))
        return InterpreterCheck(
            python, False, version, packages, f"it is Python {version}; {needed} or newer is needed"
        )
    missing = [dist for dist, found in packages.items() if found is None]
    if missing:
        return InterpreterCheck(
            python,
            False,
            version,
            packages,
            f"it lacks {', '.join(missing)}",
            install_command(python, missing, has_pip=info["pip"]),
        )
    return InterpreterCheck(python, True, version, packages)


def install_command(python: Path, packages: list[str], has_pip: bool) -> str:
    names = " ".join(packages)
    if has_pip:
        return f"{python} -m pip install {names}"
    if shutil.which("uv"):
        return f"uv pip install --python {python} {names}"
    return f"{python} -m ensurepip && {python} -m pip install {names}"


class InterpreterChecker(QObject):
    """Runs `check_interpreter` on a worker thread; `checked` arrives on the GUI thread."""

    checked = Signal(object)

    def check(self, python: Path) -> None:
        threading.Thread(
            target=lambda: self.checked.emit(check_interpreter(python)),
            name="studio-interpreter-check",
            daemon=True,
        ).start()
