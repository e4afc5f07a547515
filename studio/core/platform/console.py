"""Output that a console in another encoding can take, and UTF-8 for child processes.

A Windows console (cp1252, cp437) or a `LANG=C` terminal cannot encode
the arrows and names the commands print; Python would raise
`UnicodeEncodeError` half-way through the output. Characters the console
cannot show are replaced instead.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Mapping


def tolerate_console_encoding() -> None:
    """Standard output and error replace what their encoding cannot hold."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(errors="replace")


def utf8_environment(environment: Mapping[str, str]) -> dict[str, str]:
    """`environment` for a child Python whose output this process reads as UTF-8. Only
    its standard streams: the project's own `open()` calls keep the system's default."""
    return {**environment, "PYTHONIOENCODING": "utf-8"}
