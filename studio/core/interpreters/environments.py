"""Python environments a project brings with it (`.venv`, `venv`, ...), found by looking.

A trusted project runs in its own environment without being asked: the
interpreter its settings name, else the first environment folder in it
(`environment_to_run`), the same order as the headless commands follow.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from studio.core.discovery.settings import load_settings
from studio.core.interpreters.check import is_this_environment

ENVIRONMENT_FOLDERS = (".venv", "venv", ".env", "env")


@dataclass(frozen=True, slots=True)
class ProjectEnvironment:
    folder: Path
    python: Path
    named_by: str = ""
    """The settings file that names this interpreter; "" for a folder found by looking."""

    @property
    def label(self) -> str:
        return f"`interpreter` in {self.named_by}" if self.named_by else self.folder.name


def python_in(folder: Path) -> Path | None:
    """The interpreter of a virtual environment folder, if it is one."""
    if not (folder / "pyvenv.cfg").is_file():
        return None
    candidates = (
        [folder / "Scripts" / "python.exe"]
        if sys.platform == "win32"
        else [folder / "bin" / "python3", folder / "bin" / "python"]
    )
    return next((c for c in candidates if c.exists()), None)


def project_environments(root: Path) -> list[ProjectEnvironment]:
    """Virtual environments directly inside the project folder."""
    found = []
    for name in ENVIRONMENT_FOLDERS:
        python = python_in(root / name)
        if python is not None:
            found.append(ProjectEnvironment(root / name, python))
    return found


def environment_to_run(root: Path) -> ProjectEnvironment | None:
    """The project's own Python, unless the studio runs in it already: the interpreter
    the settings name, else the first environment folder; None when it has neither.

    Running it runs the folder's code: ask only for a folder the user trusts.
    """
    if not root.is_dir():
        return None
    settings, _ = load_settings(root)
    if settings.interpreter:
        python = (root / settings.interpreter).expanduser().absolute()
        named = ProjectEnvironment(python.parent.parent, python, settings.source or "settings")
        return None if is_this_environment(python) else named
    for environment in project_environments(root):
        return None if is_this_environment(environment.python) else environment
    return None
