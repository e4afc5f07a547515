"""Tracebacks as data: each frame with its file, line, function and whether it is the user's."""

from __future__ import annotations

import traceback
from pathlib import Path

from studio.core.discovery.scan import is_project_path
from studio.core.protocol.requests import TracebackFrame


def relative_to_root(root: Path, filename: str | None) -> str | None:
    if not filename:
        return None
    path = Path(filename)
    try:
        return path.resolve().relative_to(root).as_posix()
    except (ValueError, OSError):
        return filename


def in_project(root: Path, filename: str) -> bool:
    return filename.startswith(str(root)) and is_project_path(root, Path(filename))


def frames(root: Path, error: BaseException) -> list[TracebackFrame]:
    """Every frame of the error's traceback, innermost last."""
    found = []
    for summary in traceback.extract_tb(error.__traceback__):
        mine = in_project(root, summary.filename)
        found.append(
            TracebackFrame(
                file=relative_to_root(root, summary.filename) if mine else summary.filename,
                line=summary.lineno,
                function=summary.name,
                text=(summary.line or "").strip(),
                in_project=mine,
            )
        )
    return found


def innermost_project_frame(root: Path, error: BaseException) -> tuple[str | None, int | None]:
    """File and line of the innermost frame inside the project's own code."""
    for frame in reversed(frames(root, error)):
        if frame.in_project:
            return frame.file, frame.line
    return None, None


def describe(error: BaseException) -> str:
    """`Type: message`, the one line a user reads first."""
    if isinstance(error, SystemExit):
        return f"SystemExit: the node called sys.exit({error.code!r}), which a node must not"
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
