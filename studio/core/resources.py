"""Where the app's bundled files (example projects, icons) live.

Installed, they sit inside the package (`studio/resources`); in a source
checkout they are the repository's top-level `resources/` folder. The frozen
app opens its examples from a copy in the user's data folder.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import platformdirs

_PACKAGE = Path(__file__).resolve().parent.parent


def resources_root() -> Path:
    for candidate in (_PACKAGE / "resources", _PACKAGE.parent / "resources"):
        if (candidate / "examples").is_dir():
            return candidate
    raise FileNotFoundError(f"the studio's resources are missing (looked beside {_PACKAGE})")


def example_path(name: str) -> Path:
    path = resources_root() / "examples" / name
    if not path.is_dir():
        raise FileNotFoundError(f"no example project called {name!r}")
    return path


def example_to_open(name: str) -> Path:
    """The example project `name` as the app opens it: in the frozen app, a copy in the
    user's data folder, made the first time (edits, caches and a project's environment
    go there, never inside the bundle, which is read-only in Program Files and signed on
    macOS); the copy is kept across versions, the user's edits with it. From source or
    an installed package, the example itself."""
    from studio.core.platform.own_command import is_frozen

    source = example_path(name)
    if not is_frozen():
        return source
    target = user_data_folder() / "examples" / name
    if not target.is_dir():
        staging = target.with_name(f".{name}.copying")
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(source, staging, ignore=shutil.ignore_patterns("__pycache__"))
        staging.replace(target)  # whole or not at all: a copy cut short is not opened
    return target


def user_data_folder() -> Path:
    """Where the studio keeps the user's copies of its examples (`STUDIO_DATA_DIR`
    overrides it, for tests)."""
    override = os.environ.get("STUDIO_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir("dataflow-studio"))
