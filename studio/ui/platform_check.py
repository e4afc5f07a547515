"""Can Qt open a window here? A clear message instead of Qt's abort when it cannot.

On Linux, Qt's X11 platform plugin needs a handful of system libraries
(libxcb-cursor0 and friends) that the PySide6 wheels do not carry. When one
is missing, Qt prints a generic error and aborts the process. Loading the
plugin ourselves first tells exactly which library is missing.
"""

from __future__ import annotations

import ctypes
import os
import re
import sys
from pathlib import Path


def display_problem() -> str | None:
    """Why no window can be shown, or None when it can (as far as we can tell)."""
    if not sys.platform.startswith("linux"):
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return None
    if not platform and os.environ.get("WAYLAND_DISPLAY"):
        return None
    if not os.environ.get("DISPLAY"):
        return (
            "no display: DISPLAY is not set. Run the studio in a desktop session, or set "
            "QT_QPA_PLATFORM=offscreen for a window nobody sees (tests, screenshots)."
        )
    plugin = _xcb_plugin()
    if plugin is None:
        return None
    try:
        ctypes.CDLL(str(plugin))
    except OSError as error:
        return _missing_library_message(str(error))
    return None


def _xcb_plugin() -> Path | None:
    try:
        import PySide6
    except ImportError:
        return None
    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return plugin if plugin.exists() else None


def _missing_library_message(error: str) -> str:
    match = re.search(r"(lib[\w.+-]+\.so(?:\.\d+)*)", error)
    if match is None:
        return f"Qt's X11 plugin cannot be loaded: {error}"
    library = match.group(1)
    return (
        f"Qt's X11 plugin needs the system library {library}, which is not installed. "
        f"On Debian or Ubuntu: sudo apt-get install {debian_package(library)} "
        "(Qt 6 also needs libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1 and "
        "libxkbcommon-x11-0)."
    )


def debian_package(library: str) -> str:
    """The usual Debian package of a shared library: libxcb-icccm.so.4 -> libxcb-icccm4."""
    name, _, version = library.partition(".so")
    major = version.strip(".").split(".")[0] if version.strip(".") else ""
    separator = "-" if name[-1:].isdigit() else ""
    return f"{name}{separator}{major}"
