"""Output that a console in another encoding can take; child processes in UTF-8 and,
from the windowed app on Windows, without a console window of their own.

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

CREATE_NO_WINDOW = 0x08000000
"""`subprocess.CREATE_NO_WINDOW`, which only Windows' `subprocess` defines."""


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


def no_console_window() -> dict[str, int]:
    """Keyword arguments for `subprocess.run`/`Popen`: on Windows a console program
    started from the windowed app would open (flash) a console window of its own."""
    if sys.platform == "win32":
        return {"creationflags": CREATE_NO_WINDOW}
    return {}
