"""Which file-system changes in a project folder should reload its graph."""

from __future__ import annotations

from pathlib import Path

from studio.core.discovery.scan import is_project_path

SETTINGS_FILES = frozenset({"pyproject.toml", "studio.toml"})
_TEMP_SUFFIXES = (".swp", ".swx", ".swo", ".tmp", ".bak", "~", "___jb_tmp___", "___jb_old___")


def is_editor_temp_file(name: str) -> bool:
    """Scratch files editors write while saving (vim, emacs, JetBrains, ...)."""
    return (
        name.startswith((".#", "#", ".~"))
        or name.endswith(_TEMP_SUFFIXES)
        or name == "4913"  # vim's probe file
        or (name.startswith(".") and name.endswith((".py", ".ipynb")))
    )


def is_relevant_change(root: Path, path: Path) -> bool:
    """A change to the project's own Python code, its notebooks (a save from Jupyter;
    never a checkpoint, whose folder is hidden) or its studio settings."""
    name = path.name
    if is_editor_temp_file(name):
        return False
    if name in SETTINGS_FILES and path.parent == root:
        return True
    return name.endswith((".py", ".ipynb")) and is_project_path(root, path)
