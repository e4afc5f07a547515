"""Hamilton's example folders copied out of the bare git mirror, for benches that run them.

`git archive` stops at the first object the mirror lacks (some data files
were never fetched), so each file is read on its own: what is present is
written, what is absent is listed, and a symbolic link (e.g.
`dask/hello_world/business_logic.py` -> `../../hello_world/my_functions.py`)
is written as a copy of its target, so a folder works on its own.
"""

from __future__ import annotations

import os
import posixpath
import subprocess
from pathlib import Path

MIRROR = Path(os.environ.get("HAMILTON_MIRROR", "/work/.mirror/apache+hamilton/repo"))
SYMLINK_MODE = b"120000"


def _git(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "-C", str(MIRROR), *args], capture_output=True, check=False)


def _blob(sha: str) -> bytes | None:
    done = _git("cat-file", "blob", sha)
    return done.stdout if done.returncode == 0 else None


def mirror_commit() -> str:
    """The mirror's HEAD commit (short), to say which examples were measured."""
    return _git("rev-parse", "--short", "HEAD").stdout.decode().strip() or "?"


def extract_example(name: str, destination: Path) -> list[str]:
    """Write examples/NAME of the mirror's HEAD into DESTINATION; returns the files it lacks."""
    listing = _git("ls-tree", "-r", "-z", "HEAD", "--", f"examples/{name}")
    if listing.returncode != 0:
        raise RuntimeError(listing.stderr.decode().strip() or f"git ls-tree failed for {name}")
    prefix = f"examples/{name}/"
    missing: list[str] = []
    written = 0
    for entry in filter(None, listing.stdout.split(b"\0")):
        meta, raw_path = entry.split(b"\t", 1)
        mode, kind, sha = meta.split()
        path = raw_path.decode()
        if kind != b"blob" or not path.startswith(prefix):
            continue
        content = _blob(sha.decode())
        if content is not None and mode == SYMLINK_MODE:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), content.decode()))
            resolved = _git("rev-parse", f"HEAD:{target}")
            content = _blob(resolved.stdout.decode().strip()) if resolved.returncode == 0 else None
        relative = path.removeprefix(prefix)
        if content is None:
            missing.append(relative)
            continue
        out = destination / relative
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(content)
        written += 1
    if not written and not missing:
        raise RuntimeError(f"no example named {name} in {MIRROR}")
    return missing
