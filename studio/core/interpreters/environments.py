"""Python environments a project brings with it (`.venv`, `venv`, ...), found by looking."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

ENVIRONMENT_FOLDERS = (".venv", "venv", ".env", "env")


@dataclass(frozen=True, slots=True)
class ProjectEnvironment:
    folder: Path
    python: Path

    @property
    def label(self) -> str:
        return self.folder.name


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
