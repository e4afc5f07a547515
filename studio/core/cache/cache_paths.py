"""Where the studio keeps a project's cached data: never inside the project folder.

`$STUDIO_CACHE_DIR` replaces the user's cache folder (tests use it).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

import platformdirs


def project_cache_dir(root: Path) -> Path:
    """The project's folder in the user's cache: Hamilton's result cache, run durations."""
    override = os.environ.get("STUDIO_CACHE_DIR")
    base = Path(override) if override else Path(platformdirs.user_cache_dir("dataflow-studio"))
    return base / "projects" / f"{root.name}-{project_key(root)}"


def private_project_cache(root: Path) -> Path:
    """The project's cache folder, created readable by its owner only (0700).

    It holds pickles of the user's results; the folders Hamilton creates
    inside it keep their default modes, but nobody else can enter this one.
    """
    folder = project_cache_dir(root)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder.chmod(0o700)
    return folder


def hamilton_cache_dir(root: Path) -> Path:
    return project_cache_dir(root) / "hamilton-cache"


def durations_file(root: Path) -> Path:
    return project_cache_dir(root) / "durations.json"


def kept_files_dir(root: Path) -> Path:
    """What reading the project's files gave (see `studio.core.cache.file_cache`)."""
    return project_cache_dir(root) / "files"


RUN_OUTPUTS_KEPT = 20
DEFAULT_CACHE_LIMIT = 5 * 1024**3
"""Bytes of results a project's cache keeps unless the user chose otherwise."""


def new_run_output_file(root: Path, number: int) -> Path | None:
    """A fresh file for what run `number` prints, among the project's last
    `RUN_OUTPUTS_KEPT` (older ones are removed); None when the cache cannot be written."""
    folder = project_cache_dir(root) / "run-output"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        older = sorted(folder.glob("run-*.txt"), key=lambda p: p.stat().st_mtime)
        for stale in older[: max(0, len(older) - RUN_OUTPUTS_KEPT + 1)]:
            stale.unlink(missing_ok=True)
        target = folder / f"run-{number}-{os.getpid()}.txt"
        target.write_text("", encoding="utf-8")
        target.chmod(0o600)
    except OSError:
        return None
    return target


def cache_problem(folder: Path) -> str | None:
    """Why results cannot be kept in `folder` (a read-only or full disk), or None when they
    can: the folder is made if missing, and a small file written in it and removed."""
    probe = folder / f".probe-{os.getpid()}"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with probe.open("wb") as stream:
            stream.write(bytes(64 * 1024))
    except OSError as error:
        return error.strerror or str(error)
    finally:
        with contextlib.suppress(OSError):
            probe.unlink()
    return None


def project_key(root: Path) -> str:
    return hashlib.sha1(str(root).encode()).hexdigest()[:16]
