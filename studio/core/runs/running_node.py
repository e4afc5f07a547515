"""Where a kernel writes the node it runs, for the window to read if the kernel dies
(see `studio.kernel.running.running_marker`)."""

from __future__ import annotations

from pathlib import Path

FILE_NAME = "running-node"


def read_running_node(folder: Path | None) -> str | None:
    """The node a dead kernel was running, as it last wrote it (its connection folder)."""
    if folder is None:
        return None
    try:
        return (folder / FILE_NAME).read_text(encoding="utf-8", errors="replace").strip() or None
    except OSError:
        return None
