"""The command that starts the studio itself (for `studio run` below `studio diff`,
for a kernel).

From source or an installed package it is this Python with `-m studio`. In
the frozen bundle `sys.executable` is the studio's own executable, which
takes the studio's arguments directly and has no `-m`.
"""

from __future__ import annotations

import sys


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def studio_command() -> list[str]:
    if is_frozen():
        return [sys.executable]
    return [sys.executable, "-m", "studio"]
