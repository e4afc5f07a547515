"""The command that starts the studio itself (for `studio run` below `studio diff`,
for a kernel).

From source or an installed package it is this Python with `-m studio`. In
the frozen bundle `sys.executable` is the studio's own executable, which
takes the studio's arguments directly and has no `-m`. On Windows the
bundle has two: the windowed `Dataflow Studio.exe` (no console, no standard
output) and the console `studio.exe` beside it, which is what runs commands
and kernels.
"""

from __future__ import annotations

import sys
from pathlib import Path

CONSOLE_EXECUTABLE = "studio.exe"


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def studio_command() -> list[str]:
    if is_frozen():
        if sys.platform == "win32":
            console = Path(sys.executable).with_name(CONSOLE_EXECUTABLE)
            if console.is_file():
                return [str(console)]
        return [sys.executable]
    return [sys.executable, "-m", "studio"]
