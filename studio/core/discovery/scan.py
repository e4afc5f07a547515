"""Which files of a project folder belong to the project's own code.

The same rules serve discovery (which files to read) and the file watcher
(which changes matter): virtual environments, hidden folders, caches,
installed packages and tests are not the user's dataflow code.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

SKIPPED_DIR_NAMES = frozenset(
    {
        "__pycache__",
        "site-packages",
        "dist-packages",
        "node_modules",
        "build",
        "dist",
        "tests",
        "test",
    }
)


def is_test_file(name: str) -> bool:
    return name == "conftest.py" or name.startswith("test_") or name.endswith("_test.py")


def is_skipped_dir(path: Path) -> bool:
    """A folder whose files are never project code."""
    name = path.name
    if name.startswith(".") or name in SKIPPED_DIR_NAMES or name.endswith(".egg-info"):
        return True
    try:
        return (path / "pyvenv.cfg").exists() or (path / "conda-meta").is_dir()
    except OSError:  # a folder that cannot be looked into is reported by the scan
        return False


def matches_any(relative: str, patterns: Iterable[str]) -> bool:
    """Whether a root-relative POSIX path matches one of the glob patterns.

    A pattern matches the path itself or any folder above it, so `scratch`
    and `scratch/*` both exclude everything under `scratch/`.
    """
    parts = PurePosixPath(relative).parts
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return any(fnmatch.fnmatch(prefix, pattern) for pattern in patterns for prefix in prefixes)


def iter_python_files(
    root: Path,
    exclude: Iterable[str] = (),
    unreadable: list[Path] | None = None,
    suffixes: tuple[str, ...] = (".py",),
) -> Iterator[Path]:
    """The project's own `.py` files (and notebooks, with `.ipynb` in `suffixes`), in a
    stable order. Folders that cannot be listed are left out, and added to `unreadable`."""
    patterns = tuple(exclude)

    def cannot_list(error: OSError) -> None:
        if unreadable is not None and error.filename:
            unreadable.append(Path(error.filename))

    for current, dirnames, filenames in os.walk(root, onerror=cannot_list):
        here = Path(current)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not is_skipped_dir(here / d)
            and not matches_any((here / d).relative_to(root).as_posix(), patterns)
        )
        for name in sorted(filenames):
            if not name.endswith(suffixes) or (name.endswith(".py") and is_test_file(name)):
                continue
            path = here / name
            if not matches_any(path.relative_to(root).as_posix(), patterns):
                yield path


def is_project_path(root: Path, path: Path) -> bool:
    """Whether `path` lies in the project's own code area (not a venv, cache, test...)."""
    try:
        relative = path.relative_to(root)
    except ValueError:
        return False
    folder = root
    for part in relative.parts[:-1]:
        folder = folder / part
        if is_skipped_dir(folder):
            return False
    return True


def module_name(relative: Path, package: str = "") -> str:
    """The import name of a root-relative `.py` path (`pkg/mod.py` -> `pkg.mod`); in a
    folder that is itself the package `package`, under its name (`__init__.py` ->
    `package`, `mod.py` -> `package.mod`), as `import` names them from the parent folder."""
    parts = list(relative.with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join([package, *parts] if package else parts)


def root_package(root: Path) -> str:
    """The package name the folder has when it is itself a package (an `__init__.py` and
    a name `import` accepts), else ''."""
    try:
        is_package = (root / "__init__.py").is_file()
    except OSError:
        return ""
    return root.name if is_package and root.name.isidentifier() else ""
