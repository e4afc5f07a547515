"""Another Python than the studio's own: checking it, installing into it, starting it.

A project may run in its own environment (`.venv`, or any interpreter the
user names). The studio's Qt-free parts run there from source (see
`studio.core.interpreters.agent_source`); the environment itself needs a few packages.
`check_interpreter` runs it once, without importing anything heavy, and
says exactly what to install and how: with `uv` when uv made the
environment, else with its pip.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from studio.core.platform.console import no_console_window
from studio.core.platform.login_environment import tool_which

MIN_VERSION = (3, 11)
KERNEL_PACKAGES = {
    "ipykernel": "ipykernel",
    "hamilton": "apache-hamilton",
    "packaging": "packaging",
    # The results table serves every frame library through narwhals (small, pure Python).
    "narwhals": "narwhals",
}
"""What a kernel needs (import name -> distribution)."""
HEADLESS_PACKAGES = {"hamilton": "apache-hamilton", "packaging": "packaging"}
"""What `studio graph` and `studio run` need."""

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
                  "prefix": sys.prefix, "packages": found,
                  "pip": importlib.util.find_spec("pip") is not None}))
"""


@dataclass(frozen=True, slots=True)
class InterpreterCheck:
    python: Path
    ok: bool
    version: str = ""
    packages: dict[str, str | None] = field(default_factory=dict)
    problem: str = ""
    install_command: str = ""

    def describe(self, purpose: str = "the studio's kernel") -> str:
        if self.ok:
            return f"Python {self.version} ({self.python})"
        text = f"{self.python} cannot run {purpose}: {self.problem}."
        if self.install_command:
            text += f" Install what is missing with:\n\n    {self.install_command}"
        return text


def check_interpreter(
    python: Path, required: Mapping[str, str] = KERNEL_PACKAGES, timeout: float = 30.0
) -> InterpreterCheck:
    """Run `python` once to see whether it has what the studio needs (blocking)."""
    code = f"REQUIRED = {dict(required)!r}\n{_CHECK}"
    try:
        done = subprocess.run(
            [str(python), "-c", code],
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            check=False,
            cwd=tempfile.gettempdir(),  # so no folder here passes for a package
            env=foreign_environment(),
            **no_console_window(),
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


def managed_by_uv(python: Path) -> bool:
    """Whether uv made the environment `python` belongs to (its `pyvenv.cfg` says so)."""
    config = Path(python).absolute().parent.parent / "pyvenv.cfg"
    try:
        return any(
            line.split("=")[0].strip() == "uv"
            for line in config.read_text(encoding="utf-8").splitlines()
        )
    except OSError:
        return False


def install_command(python: Path, packages: list[str], has_pip: bool | None = None) -> str:
    """The command that installs `packages` into `python`'s environment."""
    names = " ".join(packages)
    if managed_by_uv(python) or (has_pip is False and tool_which()("uv")):
        return f"uv pip install --python {python} {names}"
    if has_pip is None or has_pip:
        return f"{python} -m pip install {names}"
    return f"{python} -m ensurepip && {python} -m pip install {names}"


def is_this_environment(python: Path) -> bool:
    """Whether `python` is the interpreter of the environment this process runs in."""
    python = Path(python).absolute()
    if python == Path(sys.executable).absolute():
        return True
    return python.parent.parent == Path(sys.prefix).absolute()


def foreign_environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment variables for another Python started by the studio.

    Nothing of this process's own Python set-up leaks in, and a frozen app's
    library path is replaced by the system's.
    """
    env = system_library_path(dict(os.environ if base is None else base))
    env["HAMILTON_TELEMETRY_ENABLED"] = "false"
    for name in ("PYTHONHOME", "PYTHONPATH", "VIRTUAL_ENV"):
        env.pop(name, None)
    return env


def system_library_path(env: dict[str, str]) -> dict[str, str]:
    """The frozen app's loader points LD_LIBRARY_PATH at its own libraries; any process it
    starts (a kernel, another Python) must see the system's."""
    if getattr(sys, "frozen", False):
        original = env.pop("LD_LIBRARY_PATH_ORIG", None)
        if original is not None:
            env["LD_LIBRARY_PATH"] = original
        else:
            env.pop("LD_LIBRARY_PATH", None)
    return env
