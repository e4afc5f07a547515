"""Where the app's bundled files (example projects, icons) live.

Installed, they sit inside the package (`studio/resources`); in a source
checkout they are the repository's top-level `resources/` folder.
"""

from __future__ import annotations

from pathlib import Path

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
