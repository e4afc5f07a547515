"""A Python environment a project may run in, and the interpreter inside one.

Shared by the environments found in the project folder (`environments`)
and those a tool's files name elsewhere (`named_environments`).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ProjectEnvironment:
    folder: Path
    python: Path
    named_by: str = ""
    """The settings file that names this interpreter; "" for a folder found by looking."""
    described: str = ""
    """What named it, for an environment outside the project ("Poetry's environment for
    myproj"); "" for one in the project or its settings."""

    @property
    def label(self) -> str:
        if self.described:
            return self.described
        return f"`interpreter` in {self.named_by}" if self.named_by else self.folder.name

    def of(self, owner: str) -> str:
        """The label in a sentence: "its .venv" for one of the project's (`owner` "its"),
        the label alone for one a tool names."""
        return self.described or f"{owner} {self.label}"


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
