"""The kernel agent's source, for kernels that run in another Python.

A project's own interpreter does not have the studio installed. Its kernel
(and the headless commands run with `--interpreter`) gets a folder on
`sys.path` that holds only the `studio` package's Qt-free parts
(`studio/core`, `studio/kernel`, `studio/cli`): in the frozen app they ship
as source (see packaging/dataflow-studio.spec); from a source checkout they
are copied once into the user's cache folder.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

import platformdirs

_PACKAGE = Path(__file__).resolve().parents[2]
_PARTS = ("__init__.py", "core", "kernel", "cli")


def agent_source_dir() -> Path:
    """A folder to put on `sys.path` so that `import studio.kernel.launch` works."""
    bundled = Path(getattr(sys, "_MEIPASS", "")) / "agent"
    if getattr(sys, "frozen", False) and (bundled / "studio" / "cli").is_dir():
        return bundled
    files = sorted(_source_files())
    digest = hashlib.sha1()
    for path in files:  # by size and time: every kernel start asks, reading all is slow
        stat = path.stat()
        digest.update(f"{path.relative_to(_PACKAGE)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    base = Path(
        os.environ.get("STUDIO_CACHE_DIR") or platformdirs.user_cache_dir("dataflow-studio")
    )
    target = base / "agent" / digest.hexdigest()[:16]
    if not (target / "studio" / "kernel" / "launch.py").exists():
        staging = Path(tempfile.mkdtemp(prefix="agent-", dir=_ensure(base / "agent")))
        for path in files:
            destination = staging / "studio" / path.relative_to(_PACKAGE)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)
        try:
            staging.rename(target)
        except OSError:  # another studio won the race: its copy is the same
            shutil.rmtree(staging, ignore_errors=True)
    return target


def _ensure(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _source_files() -> list[Path]:
    found = []
    for part in _PARTS:
        path = _PACKAGE / part
        if path.is_file():
            found.append(path)
        else:
            found.extend(p for p in path.rglob("*.py") if "__pycache__" not in p.parts)
    return found
