"""The Python environments a project brings with it, and the one it runs in.

A trusted project runs in its own environment without being asked: the
interpreter its settings name, else the first environment folder in it
(`.venv`, `venv`, ...), else one its uv, Poetry or conda files name
(`named_environments`). `environments_to_run` is that order for the window
and the headless commands alike; finding them only looks at files.
"""

from __future__ import annotations

from pathlib import Path

from studio.core.discovery.settings import load_settings
from studio.core.interpreters.check import is_this_environment
from studio.core.interpreters.named_environments import named_environments
from studio.core.interpreters.project_environment import ProjectEnvironment, python_in

__all__ = [
    "ProjectEnvironment",
    "environment_to_run",
    "environments_to_run",
    "found_environments",
    "project_environments",
    "python_in",
]

ENVIRONMENT_FOLDERS = (".venv", "venv", ".env", "env")


def project_environments(root: Path) -> list[ProjectEnvironment]:
    """Virtual environments directly inside the project folder."""
    found = []
    for name in ENVIRONMENT_FOLDERS:
        python = python_in(root / name)
        if python is not None:
            found.append(ProjectEnvironment(root / name, python))
    return found


def environments_to_run(root: Path) -> list[ProjectEnvironment]:
    """The project's own Pythons in the order they are taken: the interpreter its settings
    name (whether it exists or not: that is for its check to say), its environment
    folders, then those its tools name; [] for a folder that is not there."""
    if not root.is_dir():
        return []
    settings, _ = load_settings(root)
    if settings.interpreter:
        python = (root / settings.interpreter).expanduser().absolute()
        return [ProjectEnvironment(python.parent.parent, python, settings.source or "settings")]
    return found_environments(root)


def found_environments(root: Path) -> list[ProjectEnvironment]:
    """The project's environment folders, then those its uv, Poetry or conda files name
    (one named twice counts once)."""
    found = project_environments(root)
    pythons = {environment.python for environment in found}
    found += [e for e in named_environments(root) if e.python not in pythons]
    return found


def environment_to_run(root: Path) -> ProjectEnvironment | None:
    """The project's own Python, unless the studio runs in it already; None when it has
    none.

    Running it runs the folder's code: ask only for a folder the user trusts.
    """
    for environment in environments_to_run(root):
        return None if is_this_environment(environment.python) else environment
    return None
