"""Whether a file in the shared temporary folder is this user's.

POSIX compares the owner's uid. Windows has no uids (`os.getuid` is not
there) and each user's temporary folder (`%LOCALAPPDATA%\\Temp`) is their
own, so what is found there is taken to be the user's.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def owned_by_me(path: Path) -> bool:
    """Whether `path` belongs to this user (False when it cannot be read)."""
    if sys.platform == "win32":
        return path.exists()
    try:
        return path.stat().st_uid == os.getuid()
    except OSError:
        return False
